import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cloreOrderProvider, CloreOrderInputs } from "../../../components/clore/orderProvider";
import { MAX_CANDIDATES } from "../../../components/clore/placement";
import { FakeCloreApi } from "../../fakes/cloreApi";
import { orderInputs } from "./orderInputs";

// Issue 20, points 1-4 and the HTTP row: which server gets the order when the API refuses,
// against the fake answering with Clore's real refusal texts and codes.
let fake: FakeCloreApi;
let keyCounter = 0;

beforeEach(async () => {
    fake = await new FakeCloreApi({ apiKey: `placement-key-${++keyCounter}-${Date.now()}` }).start();
});
afterEach(async () => {
    await fake.stop();
});

const inputs = (overrides: Partial<CloreOrderInputs> = {}) => orderInputs(fake, overrides);
const create = (i: CloreOrderInputs) => cloreOrderProvider.create(i);
const triedServers = () => fake.callsTo("/create_order").map((r) => (r.body as { renting_server: number }).renting_server);
const failure = (p: Promise<unknown>) => p.then(() => new Error("expected a failure"), (e: unknown) => e as Error);

describe("point 1: a refusal that leaves the server free tries the next candidate", () => {
    it("server-offline: the server is still listed free, the next one is rented", async () => {
        fake.offline.add(104);
        const result = await create(inputs());
        expect(triedServers()).toEqual([104, 107]);
        expect(result.outs!.serverId).toBe(107);
        expect(fake.servers.find((s) => s.id === 104)!.rented).toBe(false);
    });

    it("currency-not-allowed: the server took the coin when listed and refuses it now", async () => {
        fake.beforeNextCreate = () => {
            fake.servers.find((s) => s.id === 104)!.allowed_coins = ["bitcoin"];
        };
        const result = await create(inputs());
        expect(triedServers()).toEqual([104, 107]);
        expect(result.outs!.serverId).toBe(107);
    });

    it("a failed required_price (the price moved after the listing) tries the next server", async () => {
        fake.beforeNextCreate = () => {
            fake.servers.find((s) => s.id === 104)!.price.on_demand!["CLORE-Blockchain"] = 58;
        };
        const result = await create(inputs());
        expect(fake.callsTo("/create_order")[0].body).toMatchObject({ renting_server: 104, required_price: 55 });
        expect(triedServers()).toEqual([104, 107]);
        expect(result.outs!.serverId).toBe(107);
    });

    it("an unknown refusal text counts as this server's; after the last candidate the error lists every refusal", async () => {
        for (const id of [101, 102, 103, 104, 105, 106, 107]) fake.offline.add(id);
        const error = await failure(create(inputs({ filters: {} })));
        expect(triedServers()).toHaveLength(MAX_CANDIDATES);
        expect(error.message).toBe(
            `Clore.ai refused the order on ${MAX_CANDIDATES} server(s) in a row; nothing was rented. Try again later, or widen the filters\n` +
                "Refused before: \n" +
                "  server 101 (1x NVIDIA GeForce RTX 3090): Clore.ai POST /create_order failed with code 6: server-offline\n" +
                "  server 105 (1x NVIDIA GeForce RTX 4090): Clore.ai POST /create_order failed with code 6: server-offline\n" +
                "  server 104 (1x NVIDIA GeForce RTX 4090): Clore.ai POST /create_order failed with code 6: server-offline\n" +
                "  server 107 (1x NVIDIA GeForce RTX 4090): Clore.ai POST /create_order failed with code 6: server-offline\n" +
                "  server 102 (1x NVIDIA GeForce RTX 4090): Clore.ai POST /create_order failed with code 6: server-offline",
        );
        expect(fake.activeOrders()).toHaveLength(0);
    });

    it("when no other server matches, says so with the refusals", async () => {
        fake.offline.add(106);
        const error = await failure(create(inputs({ filters: { gpuModel: "A100" } })));
        expect(error.message).toBe(
            "no other Clore.ai server matches the filters; nothing was rented\nRefused before: \n  server 106 (1x NVIDIA A100 80GB PCIe): Clore.ai POST /create_order failed with code 6: server-offline",
        );
    });
});

describe("point 2: code 1 is a refusal that may mean the balance", () => {
    it("with a balance too low, stops and names it", async () => {
        fake.lowBalanceAnswer = "code 1";
        fake.balances["CLORE-Blockchain"] = 20;
        const error = await failure(create(inputs()));
        expect(error.message).toBe(
            "renting Clore.ai server 104 (1x NVIDIA GeForce RTX 4090) failed: Clore.ai POST /create_order failed with code 1 (database error on Clore.ai's side); try again later; " +
                "your CLORE-Blockchain balance is 20, below the 55 CLORE-Blockchain/day this server costs: top up the CLORE-Blockchain wallet at clore.ai, or choose another currency (host.currency)",
        );
        expect(triedServers()).toEqual([104]);
        expect(fake.callsTo("/wallets")).toHaveLength(1);
    });

    it("with enough balance, takes it as the server being taken and tries the next", async () => {
        fake.failNextCreate = { code: 1 };
        const result = await create(inputs());
        expect(triedServers()).toEqual([104, 107]);
        expect(result.outs!.serverId).toBe(107);
        expect(fake.callsTo("/wallets")).toHaveLength(1);
    });
});

describe("points 3 and 4: USD-Blockchain and allowed_coins", () => {
    it("rents in USD-Blockchain, never on a server whose allowed_coins leaves USD out", async () => {
        const result = await create(inputs({ currency: "USD-Blockchain" }));
        // 104 lists the lowest USD price (0.8) but takes only CLORE: it is never asked.
        expect(triedServers()).toEqual([107]);
        expect(result.outs!).toMatchObject({ serverId: 107, pricePerDay: 0.85, currency: "USD-Blockchain" });
        expect(fake.orderRequest(result.outs!.orderId)).toMatchObject({ currency: "USD-Blockchain", required_price: 0.85 });
    });
});

describe("HTTP answers that are not the API's JSON on create_order", () => {
    it("an error page with no order behind it fails at once with the status and an excerpt (no long poll)", async () => {
        fake.htmlNext.set("/create_order", { status: 502, count: 1 });
        const started = Date.now();
        const error = await failure(create(inputs({ readyTimeoutSeconds: 900, pollIntervalSeconds: 5 })));
        expect(error.message).toBe(
            'Clore.ai POST /create_order answered HTTP 502 with a body that is not the API\'s JSON: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"; ' +
                "no new order on server 104 shows in my_orders, so nothing was rented (check your orders at clore.ai to be sure)",
        );
        expect(Date.now() - started).toBeLessThan(3000);
        expect(fake.callsTo("/create_order")).toHaveLength(1);
    });

    it("an error page in front of an order that went through: the order is found and used", async () => {
        fake.htmlNext.set("/create_order", { status: 504, count: 1, placeOrder: true });
        const result = await create(inputs());
        expect(result.outs!.serverId).toBe(104);
        expect(fake.activeOrders().map((o) => o.id)).toEqual([result.outs!.orderId]);
    });

    it("HTTP 429 on create_order is the rate limit: the same order is sent again after a pause", async () => {
        fake.tooFastOn.set("/create_order", 1);
        const result = await create(inputs());
        expect(result.outs!.serverId).toBe(104);
        expect(fake.activeOrders()).toHaveLength(1);
        expect(fake.callsTo("/create_order")).toHaveLength(2);
    });
});
