import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cloreOrderProvider, CloreOrderInputs } from "../../../components/clore/orderProvider";
import { FakeCloreApi } from "../../fakes/cloreApi";
import { orderInputs } from "./orderInputs";

// Issue 20, mrl: the maximum rental length in hours. Servers shorter than filters.minRentalHours
// are skipped, the expiry is in the outputs, and the fake ends rentals after mrl hours.
let fake: FakeCloreApi;
let keyCounter = 0;
let clock = Date.now();

beforeEach(async () => {
    fake = await new FakeCloreApi({ apiKey: `mrl-key-${++keyCounter}-${Date.now()}` }).start();
    clock = Date.now();
    fake.now = () => clock;
});
afterEach(async () => {
    await fake.stop();
});

const inputs = (overrides: Partial<CloreOrderInputs> = {}) => orderInputs(fake, overrides);

describe("mrl", () => {
    it("reports the rental length and the expiry (creation + mrl hours)", async () => {
        const { outs } = await cloreOrderProvider.create(inputs());
        const createdAt = Math.floor(clock / 1000);
        expect(outs!).toMatchObject({ serverId: 104, createdAt, rentalHours: 72, expiresAt: createdAt + 72 * 3600 });
        expect(outs!.server.mrl).toBe(72);
    });

    it("skips servers whose mrl is below filters.minRentalHours", async () => {
        const { outs } = await cloreOrderProvider.create(inputs({ filters: { gpuModel: "RTX 4090", minRamGb: 32, minRentalHours: 100 } }));
        expect(fake.callsTo("/create_order").map((r) => (r.body as { renting_server: number }).renting_server)).toEqual([103]);
        expect(outs!).toMatchObject({ serverId: 103, rentalHours: 168 });
    });

    it("a rental past its mrl has ended: refresh drops it", async () => {
        const { id, outs } = await cloreOrderProvider.create(inputs());
        clock += 71 * 3600 * 1000;
        expect((await cloreOrderProvider.read!(id, outs!)).props).toMatchObject({ expiresAt: outs!.expiresAt });
        clock += 2 * 3600 * 1000;
        expect(await cloreOrderProvider.read!(id, outs!)).toEqual({});
    });

    it("a raised minRentalHours replaces the rental only when the rented server's mrl is too short", async () => {
        const { id, outs } = await cloreOrderProvider.create(inputs());
        const ok = await cloreOrderProvider.diff!(id, outs!, inputs({ filters: { gpuModel: "RTX 4090", minRamGb: 32, minRentalHours: 48 } }));
        expect(ok.replaces).toEqual([]);
        const tooShort = await cloreOrderProvider.diff!(id, outs!, inputs({ filters: { gpuModel: "RTX 4090", minRamGb: 32, minRentalHours: 100 } }));
        expect(tooShort.replaces).toEqual(["filters"]);
    });
});
