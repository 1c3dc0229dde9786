import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cloreOrderProvider, CloreOrderInputs, CloreOrderOutputs } from "../../../components/clore/orderProvider";
import { FakeCloreApi } from "../../fakes/cloreApi";
import { orderInputs } from "./orderInputs";

// Issue 20, points 5 and 6: spot bids against competing bids, outbid on refresh, lowering a bid.
let fake: FakeCloreApi;
let keyCounter = 0;
let clock = Date.now();

beforeEach(async () => {
    fake = await new FakeCloreApi({ apiKey: `spot-key-${++keyCounter}-${Date.now()}` }).start();
    clock = Date.now();
    fake.now = () => clock;
});
afterEach(async () => {
    await fake.stop();
});

const inputs = (overrides: Partial<CloreOrderInputs> = {}) => orderInputs(fake, { orderType: "spot", ...overrides });
const create = (i: CloreOrderInputs) => cloreOrderProvider.create(i);
const read = (id: string, props: CloreOrderOutputs) => cloreOrderProvider.read!(id, props);
const update = (id: string, olds: CloreOrderOutputs, news: CloreOrderInputs) => cloreOrderProvider.update!(id, olds, news);
const failure = (p: Promise<unknown>) => p.then(() => new Error("expected a failure"), (e: unknown) => e as Error);

describe("point 5: bidding against competing bids", () => {
    it("bids just above the highest active competing bid, and reports the bid active", async () => {
        fake.addCompetingBid(104, 30);
        const { outs } = await create(inputs({ maxSpotPrice: 35 }));
        expect(fake.callsTo("/spot_marketplace")[0].query).toEqual({ market: "104" });
        expect(outs!).toMatchObject({ serverId: 104, spotPrice: 30.3, pricePerDay: 30.3, bidState: "active" });
        expect(fake.orderRequest(outs!.orderId)).toMatchObject({ type: "spot", spotprice: 30.3 });
    });

    it("compares bids in other coins through the market's USD rates", async () => {
        // 0.0000125 bitcoin at 60000 USD = 0.75 USD = 37.5 CLORE at 0.02 USD.
        fake.addCompetingBid(104, 0.0000125, "bitcoin");
        const { outs } = await create(inputs({ maxSpotPrice: 50 }));
        expect(outs!.spotPrice).toBe(37.875);
    });

    it("skips a server whose competing bid is above the ceiling, and takes the next one at its minimum", async () => {
        fake.addCompetingBid(104, 36);
        const { outs } = await create(inputs({ maxSpotPrice: 35 }));
        expect(fake.callsTo("/create_order").map((r) => (r.body as { renting_server: number }).renting_server)).toEqual([107]);
        expect(outs!).toMatchObject({ serverId: 107, spotPrice: 28, bidState: "active" });
    });

    it("with nothing winnable within the ceiling, fails naming the bids and the ceiling field, without ordering", async () => {
        fake.addCompetingBid(104, 36);
        fake.addCompetingBid(107, 40);
        const error = await failure(create(inputs({ filters: { gpuModel: "RTX 4090", minRamGb: 32, countries: ["FI", "CZ"] }, maxSpotPrice: 35 })));
        expect(error.message).toBe(
            "no other Clore.ai server matches the filters; nothing was rented\nRefused before: \n" +
                "  server 104 (1x NVIDIA GeForce RTX 4090): someone else's active bid of 36 CLORE-Blockchain/day holds it; winning it takes 36.36, above your ceiling of 35 (host.maxSpotPrice)\n" +
                "  server 107 (1x NVIDIA GeForce RTX 4090): someone else's active bid of 40 CLORE-Blockchain/day holds it; winning it takes 40.4, above your ceiling of 35 (host.maxSpotPrice)",
        );
        expect(fake.callsTo("/create_order")).toHaveLength(0);
    });

    it("a fixed bid that would not run is not placed: the next server is taken", async () => {
        fake.addCompetingBid(104, 33);
        const { outs } = await create(inputs({ spotPrice: 32 }));
        expect(outs!).toMatchObject({ serverId: 107, spotPrice: 32 });
    });

    it("a bid outranked right after it was placed does not start: up stops waiting, cancels it and says so", async () => {
        fake.beforeNextCreate = () => fake.addCompetingBid(104, 50);
        const started = Date.now();
        const error = await failure(create(inputs({ maxSpotPrice: 35, readyTimeoutSeconds: 30 })));
        const [order] = fake.allOrders();
        expect(error.message).toBe(
            `Clore.ai spot order ${order.id} on server 104 did not start: someone else's bid of 50 CLORE-Blockchain/day holds the server, above yours of 28; ` +
                "the order was cancelled. Try again, or raise host.maxSpotPrice (or host.spotPrice)",
        );
        expect(Date.now() - started).toBeLessThan(5000);
        expect(fake.activeOrders()).toHaveLength(0);
    });

    it("a bid below the server's minimum is refused by the API with too_low_price", async () => {
        const raw = await fetch(`${fake.url}/create_order`, {
            method: "POST",
            headers: { auth: fake.apiKey, "content-type": "application/json" },
            body: JSON.stringify({ currency: "CLORE-Blockchain", image: "i", renting_server: 104, type: "spot", spotprice: 20, ports: {}, env: {} }),
        });
        expect(await raw.json()).toEqual({ code: 6, error: "too_low_price" });
    });
});

describe("point 5: outbid detected on refresh", () => {
    it("keeps the ended order in state, says it was outbid and what to do, and the next up replaces it", async () => {
        const { id, outs } = await create(inputs({ maxSpotPrice: 35 }));
        fake.addCompetingBid(104, 45);
        expect(fake.activeOrders()).toHaveLength(0);
        const refreshed = await read(id, outs!);
        expect(refreshed.id).toBe(id);
        expect(refreshed.props).toMatchObject({ bidState: "outbid", ended: true });
        expect(refreshed.props!.notice).toBe(
            `Clore.ai spot order ${id} on server 104 was outbid: someone else's bid of 45 CLORE-Blockchain/day holds the server now, above yours of 28. ` +
                "The rental and the data on it are gone; the next `pulumi up` rents again. " +
                "Raise host.maxSpotPrice (or host.spotPrice), or use orderType on-demand, and restore the data from a backup (milvus-gpu:backup, restoreFrom)",
        );
        const diff = await cloreOrderProvider.diff!(id, refreshed.props as CloreOrderOutputs, inputs({ maxSpotPrice: 35 }));
        expect(diff).toEqual({ changes: true, replaces: ["ended"], deleteBeforeReplace: true });
    });

    it("a spot order still listed but no longer holding its server is reported, not replaced", async () => {
        const { id, outs } = await create(inputs({ spotPrice: 30 }));
        // Someone else's bid above ours, while Clore still lists our order (not ended here).
        fake.bids.push({ offerId: 9999, serverId: 104, bid: 50, currency: "CLORE-Blockchain", mine: false });
        const refreshed = await read(id, outs!);
        expect(refreshed.props).toMatchObject({ bidState: "outbid" });
        expect(refreshed.props!.ended).toBeUndefined();
        expect(refreshed.props!.notice).toBe(
            `Clore.ai spot order ${id} on server 104 is outbid: someone else's bid of 50 CLORE-Blockchain/day holds the server, above yours of 30. ` +
                "Raise host.spotPrice to win it back; if the order ends, the data on it goes with it: keep a backup (milvus-gpu:backup)",
        );
        const diff = await cloreOrderProvider.diff!(id, refreshed.props as CloreOrderOutputs, inputs({ spotPrice: 55 }));
        expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("a spot order that ended for another reason is simply gone", async () => {
        const { id, outs } = await create(inputs({ maxSpotPrice: 35 }));
        fake.expireOrder(outs!.orderId);
        expect(await read(id, outs!)).toEqual({});
    });
});

describe("point 6: changing a spot bid", () => {
    it("raises at once", async () => {
        const { id, outs } = await create(inputs({ spotPrice: 30 }));
        const updated = await update(id, outs!, inputs({ spotPrice: 40 }));
        expect(updated.outs).toMatchObject({ spotPrice: 40, pricePerDay: 40 });
        expect(fake.activeOrders()[0].price).toBe(40);
    });

    it("lowers within the step, then says when it may be lowered again, and goes on after the interval", async () => {
        const { id, outs } = await create(inputs({ spotPrice: 40 }));
        // The fake's step is a tenth of the current bid: 40 -> 36 at most.
        const first = await failure(update(id, outs!, inputs({ spotPrice: 30 })));
        const time = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
        expect(first.message).toMatch(
            new RegExp(
                `^Clore.ai lowers a spot bid by at most 4/day per change \\(exceeded_max_step\\): order ${id}'s bid went from 40 to 36/day, not to 30; ` +
                    `it may be lowered again in 600 s \\(at ${time}\\); run \`pulumi up\` then to continue$`,
            ),
        );
        expect(fake.activeOrders()[0].price).toBe(36);

        clock += 100_000;
        const second = await failure(update(id, outs!, inputs({ spotPrice: 30 })));
        expect(second.message).toMatch(
            new RegExp(
                `^Clore.ai lowers a spot bid at most once every 600 s: order ${id}'s bid stays at 36/day for now; it may be lowered again in 500 s ` +
                    `\\(at ${time}\\); run \`pulumi up\` then to continue towards 30/day$`,
            ),
        );
        expect(fake.activeOrders()[0].price).toBe(36);

        clock += 501_000;
        const third = await update(id, outs!, inputs({ spotPrice: 33 }));
        expect(third.outs).toMatchObject({ spotPrice: 33, pricePerDay: 33 });
    });

    it("a lowering within the step and interval goes through", async () => {
        const { id, outs } = await create(inputs({ spotPrice: 40 }));
        const updated = await update(id, outs!, inputs({ spotPrice: 37 }));
        expect(updated.outs).toMatchObject({ spotPrice: 37, pricePerDay: 37 });
        expect(fake.activeOrders()[0].price).toBe(37);
    });
});
