import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CloreClient, CloreClientOptions } from "../../../components/clore/client";
import {
    CloreHttpError,
    CloreInvalidInputError,
    CloreInvalidTokenError,
    CloreNetworkError,
    CloreOtherError,
    CloreRateLimitError,
} from "../../../components/clore/errors";
import { FakeCloreApi } from "../../fakes/cloreApi";

let fake: FakeCloreApi;
// Each test gets its own key so the process-wide spacing state does not leak between tests.
let keyCounter = 0;

const fastOptions = (overrides: Partial<CloreClientOptions> = {}): CloreClientOptions => ({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    minSpacingMs: 0,
    createOrderSpacingMs: 0,
    backoffMs: 5,
    maxBackoffMs: 20,
    timeoutMs: 2000,
    ...overrides,
});

beforeEach(async () => {
    fake = await new FakeCloreApi({ apiKey: `test-key-${++keyCounter}-${Date.now()}` }).start();
});
afterEach(async () => {
    await fake.stop();
});

describe("CloreClient", () => {
    it("reads the marketplace, wallets and orders with the key only in the auth header", async () => {
        const client = new CloreClient(fastOptions());
        const market = await client.marketplace();
        expect(market.servers.map((s) => s.id)).toContain(102);
        const wallets = await client.wallets();
        expect(wallets.wallets.map((w) => w.name)).toEqual(["CLORE-Blockchain", "bitcoin", "USD-Blockchain"]);
        const orders = await client.myOrders();
        expect(orders.orders).toEqual([]);
        expect(fake.requests).toHaveLength(3);
        for (const r of fake.requests) {
            expect(r.headers.auth).toBe(fake.apiKey);
            expect(r.rawWithoutAuthHeader).not.toContain(fake.apiKey);
        }
        expect(fake.callsTo("/my_orders")[0].query).toEqual({ return_completed: "false" });
    });

    it("maps code 3 to CloreInvalidTokenError with advice and without the key", async () => {
        const client = new CloreClient(fastOptions({ apiKey: "wrong-key-value-123" }));
        const error = await client.marketplace().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CloreInvalidTokenError);
        const e = error as CloreInvalidTokenError;
        expect(e.code).toBe(3);
        expect(e.message).toBe(
            "Clore.ai GET /marketplace rejected the API key with code 3 (invalid API token): create a key at clore.ai (Account -> API) and set it with `pulumi config set --secret milvus-gpu:cloreApiKey <key>`",
        );
        expect(e.message).not.toContain("wrong-key-value-123");
        // A bad key is not retried.
        expect(fake.requests).toHaveLength(1);
    });

    it("retries code 5 with backoff and then succeeds", async () => {
        fake.tooFastNext = 2;
        const client = new CloreClient(fastOptions({ backoffMs: 40, maxBackoffMs: 1000 }));
        const answer = await client.wallets();
        expect(answer.code).toBe(0);
        const times = fake.callsTo("/wallets").map((r) => r.at);
        expect(times).toHaveLength(3);
        // Backoff doubles: ~40 ms then ~80 ms.
        expect(times[1] - times[0]).toBeGreaterThanOrEqual(35);
        expect(times[2] - times[1]).toBeGreaterThanOrEqual(75);
    });

    it("gives up on code 5 after maxAttempts with CloreRateLimitError", async () => {
        fake.tooFastNext = 10;
        const client = new CloreClient(fastOptions({ maxAttempts: 3 }));
        const error = await client.myOrders().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CloreRateLimitError);
        expect((error as Error).message).toBe(
            "Clore.ai GET /my_orders answered code 5 (called too fast) 3 time(s) in a row; wait a minute and retry, and do not run other clients with the same key at the same time",
        );
        expect(fake.callsTo("/my_orders")).toHaveLength(3);
    });

    it("spaces calls so an API that enforces the spacing never answers code 5", async () => {
        fake.minSpacingMs = 150;
        const client = new CloreClient(fastOptions({ minSpacingMs: 160, maxAttempts: 1 }));
        // Fired together; the client queues them.
        const answers = await Promise.all([client.wallets(), client.marketplace(), client.myOrders()]);
        expect(answers.map((a) => a.code)).toEqual([0, 0, 0]);
        const times = fake.requests.map((r) => r.at);
        expect(times[1] - times[0]).toBeGreaterThanOrEqual(150);
        expect(times[2] - times[1]).toBeGreaterThanOrEqual(150);
    });

    it("shares the spacing between two clients of the same key", async () => {
        fake.minSpacingMs = 150;
        const a = new CloreClient(fastOptions({ minSpacingMs: 160, maxAttempts: 1 }));
        const b = new CloreClient(fastOptions({ minSpacingMs: 160, maxAttempts: 1 }));
        const answers = await Promise.all([a.wallets(), b.wallets()]);
        expect(answers.map((x) => x.code)).toEqual([0, 0]);
    });

    it("keeps create_order further apart than other calls", async () => {
        const client = new CloreClient(fastOptions({ minSpacingMs: 0, createOrderSpacingMs: 200, maxAttempts: 1 }));
        const order = { currency: "CLORE-Blockchain", image: "img", type: "on-demand", ports: {}, env: {} } as const;
        await client.createOrder({ ...order, renting_server: 101 });
        await client.createOrder({ ...order, renting_server: 102 });
        const times = fake.callsTo("/create_order").map((r) => r.at);
        expect(times[1] - times[0]).toBeGreaterThanOrEqual(195);
    });

    it("maps code 2 and code 6 with the API's text", async () => {
        const client = new CloreClient(fastOptions());
        fake.failNextCreate = { code: 6, error: "not_enough_balance" };
        const six = await client
            .createOrder({ currency: "CLORE-Blockchain", image: "i", renting_server: 101, type: "on-demand", ports: {}, env: {} })
            .catch((e: unknown) => e);
        expect(six).toBeInstanceOf(CloreOtherError);
        expect((six as Error).message).toBe("Clore.ai POST /create_order failed with code 6: not_enough_balance");
        const two = await client.cancelOrder({ id: "x" as unknown as number }).catch((e: unknown) => e);
        expect(two).toBeInstanceOf(CloreInvalidInputError);
        expect((two as CloreInvalidInputError).code).toBe(2);
    });

    it("retries a dropped connection on reads", async () => {
        fake.dropNext.set("/marketplace", 2);
        const client = new CloreClient(fastOptions());
        const market = await client.marketplace();
        expect(market.code).toBe(0);
        expect(fake.callsTo("/marketplace")).toHaveLength(3);
    });

    it("does not resend create_order after a lost answer (the order may exist)", async () => {
        fake.loseNextCreateAnswer = true;
        const client = new CloreClient(fastOptions());
        const error = await client
            .createOrder({ currency: "CLORE-Blockchain", image: "i", renting_server: 101, type: "on-demand", ports: {}, env: {} })
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CloreNetworkError);
        expect((error as CloreNetworkError).maybeDelivered).toBe(true);
        expect(fake.callsTo("/create_order")).toHaveLength(1);
        expect(fake.activeOrders()).toHaveLength(1);
    });

    it("times out a call that never answers", async () => {
        const http = await import("node:http");
        const silent = http.createServer(() => {
            /* never answers */
        });
        await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
        const port = (silent.address() as { port: number }).port;
        try {
            const client = new CloreClient(fastOptions({ baseUrl: `http://127.0.0.1:${port}/v1`, timeoutMs: 100, maxAttempts: 2 }));
            const started = Date.now();
            const error = await client.wallets().catch((e: unknown) => e);
            expect(error).toBeInstanceOf(CloreNetworkError);
            expect((error as Error).message).toBe("Clore.ai GET /wallets got no usable answer: no answer within 100 ms (timed out)");
            expect(Date.now() - started).toBeLessThan(2000);
        } finally {
            silent.closeAllConnections();
            silent.close();
        }
    });

    it("reads a server's spot market and sets a spot bid", async () => {
        const client = new CloreClient(fastOptions());
        const market = await client.spotMarket(102);
        expect(market.market.server?.min_pricing).toEqual({ "CLORE-Blockchain": 30, "USD-Blockchain": 0.45 });
        expect(fake.callsTo("/spot_marketplace")[0].query).toEqual({ market: "102" });
        fake.addCompetingBid(102, 31);
        await client.createOrder({ currency: "CLORE-Blockchain", image: "i", renting_server: 102, type: "spot", spotprice: 32, ports: {}, env: {} });
        const [order] = fake.activeOrders();
        await client.setSpotPrice({ order_id: order.id, desired_price: 33 });
        expect(fake.activeOrders()[0].price).toBe(33);
        expect((await client.spotMarket(102)).market.offers).toEqual([
            { offer_id: 9001, bid: 31, active: false, my: false, currency: "CLORE-Blockchain" },
            { offer_id: order.id, bid: 33, active: true, my: true, currency: "CLORE-Blockchain" },
        ]);
        expect(fake.callsTo("/set_spot_price")[0].body).toEqual({ order_id: order.id, desired_price: 33 });
    });

    it("retries create_order when the connection was refused (nothing reached the API)", async () => {
        const net = await import("node:net");
        // A port that was free a moment ago: connections to it are refused.
        const probe = net.createServer();
        await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
        const port = (probe.address() as { port: number }).port;
        await new Promise<void>((r) => probe.close(() => r()));
        let attempts = 0;
        const countingFetch: typeof fetch = (input, init) => {
            attempts++;
            return fetch(input, init);
        };
        const client = new CloreClient(fastOptions({ baseUrl: `http://127.0.0.1:${port}/v1`, maxAttempts: 3, fetch: countingFetch }));
        const error = await client
            .createOrder({ currency: "CLORE-Blockchain", image: "i", renting_server: 101, type: "on-demand", ports: {}, env: {} })
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CloreNetworkError);
        expect((error as CloreNetworkError).maybeDelivered).toBe(false);
        expect((error as Error).message).toBe("Clore.ai POST /create_order got no usable answer: fetch failed: ECONNREFUSED");
        expect(attempts).toBe(3);
    });

    it("answers code 5 as the real API does, with HTTP 429, and the client backs off on it (issue 20, HTTP)", async () => {
        fake.tooFastNext = 1;
        const raw = await fetch(`${fake.url}/wallets`, { headers: { auth: fake.apiKey } });
        expect(raw.status).toBe(429);
        expect(await raw.json()).toEqual({ code: 5 });
        fake.tooFastNext = 2;
        const client = new CloreClient(fastOptions({ backoffMs: 30 }));
        expect((await client.marketplace()).code).toBe(0);
        expect(fake.callsTo("/marketplace")).toHaveLength(3);
    });

    it("waits as long as a 429's Retry-After asks", async () => {
        let calls = 0;
        const answers: typeof fetch = async () => {
            calls++;
            return calls === 1 ? new Response("slow down", { status: 429, headers: { "retry-after": "0.2" } }) : Response.json({ code: 0, wallets: [] });
        };
        const client = new CloreClient(fastOptions({ fetch: answers, backoffMs: 1 }));
        const started = Date.now();
        expect((await client.wallets()).code).toBe(0);
        expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    });

    it("reads a plain-text 401 (seen on /wallets) or a 403 as a bad key, at once and without retries (issue 20, HTTP)", async () => {
        const client = new CloreClient(fastOptions({ apiKey: "wrong-key-value-456" }));
        const error = await client.wallets().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CloreInvalidTokenError);
        expect((error as Error).message).toBe(
            "Clore.ai GET /wallets rejected the API key with HTTP 401 (bad API key): create a key at clore.ai (Account -> API) and set it with `pulumi config set --secret milvus-gpu:cloreApiKey <key>`",
        );
        expect(fake.callsTo("/wallets")).toHaveLength(1);
        const forbidden: typeof fetch = async () => new Response("<html>Forbidden</html>", { status: 403 });
        const e403 = await new CloreClient(fastOptions({ fetch: forbidden })).marketplace().catch((e: unknown) => e);
        expect((e403 as CloreInvalidTokenError).httpStatus).toBe(403);
    });

    it("names a body that is not the API's JSON with its HTTP status and an excerpt; retries it on reads only (issue 20, HTTP)", async () => {
        const client = new CloreClient(fastOptions({ maxAttempts: 3 }));
        fake.htmlNext.set("/marketplace", { status: 502, count: 1 });
        expect((await client.marketplace()).code).toBe(0);
        expect(fake.callsTo("/marketplace")).toHaveLength(2);

        fake.htmlNext.set("/create_order", { status: 502, count: 1 });
        const error = await client
            .createOrder({ currency: "CLORE-Blockchain", image: "i", renting_server: 101, type: "on-demand", ports: {}, env: {} })
            .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CloreHttpError);
        expect((error as CloreHttpError).status).toBe(502);
        expect((error as Error).message).toBe(
            'Clore.ai POST /create_order answered HTTP 502 with a body that is not the API\'s JSON: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"',
        );
        expect(fake.callsTo("/create_order")).toHaveLength(1);
    });

    it("refuses to start without a key", () => {
        expect(() => new CloreClient({ apiKey: "" })).toThrow("an API key is required");
    });
});
