import { describe, expect, it } from "vitest";
import {
    backoffDelays,
    createClient,
    HealthProbe,
    isConnectionLoss,
    MilvusConnectionLostError,
    MilvusUnavailableError,
    waitForHealthy,
} from "../../../../components/schema/server/connection";

describe("createClient", () => {
    it("passes the token and TLS choice to the SDK and leaves retrying to the health wait", async () => {
        const client = createClient({ address: "127.0.0.1:1", token: "root:s3cret", tls: true, rpcTimeoutMs: 5000 });
        try {
            expect(client.config).toMatchObject({ address: "127.0.0.1:1", token: "root:s3cret", ssl: true, timeout: 5000, maxRetries: 0 });
        } finally {
            await client.closeConnection().catch(() => undefined);
        }
        const plain = createClient({ address: "127.0.0.1:1" });
        try {
            expect(plain.config.ssl).toBe(false);
            expect(plain.config.token).toBeUndefined();
        } finally {
            await plain.closeConnection().catch(() => undefined);
        }
    });
});

describe("backoffDelays", () => {
    it("doubles from the initial delay, caps it, and fits within the timeout", () => {
        const d = backoffDelays({ timeoutSeconds: 20, initialDelayMs: 250, maxDelayMs: 4000 });
        expect(d.slice(0, 6)).toEqual([250, 500, 1000, 2000, 4000, 4000]);
        expect(d.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20_000);
    });
});

describe("waitForHealthy", () => {
    it("retries until Milvus reports healthy", async () => {
        let calls = 0;
        const probe: HealthProbe = {
            async checkHealth() {
                calls++;
                if (calls < 3) throw new Error("UNAVAILABLE: connection refused");
                return { isHealthy: calls >= 3 };
            },
        };
        const ms = await waitForHealthy(probe, "x:1", { timeoutSeconds: 5, initialDelayMs: 10 });
        expect(calls).toBe(3);
        expect(ms).toBeLessThan(5000);
    });

    it("gives up at the timeout even when a probe never answers, naming address, timeout and the last error", async () => {
        const hanging: HealthProbe = { checkHealth: () => new Promise(() => {}) };
        const started = Date.now();
        const err = await waitForHealthy(hanging, "10.0.0.1:19530", { timeoutSeconds: 1 }).catch((e: unknown) => e);
        expect(Date.now() - started).toBeLessThan(1500);
        expect(err).toBeInstanceOf(MilvusUnavailableError);
        // The probe is cut off at what is left of the budget: 1000 ms, or a millisecond or two less on a busy machine.
        const m = /^Milvus at 10\.0\.0\.1:19530 did not become healthy within 1s \(1 attempt; last error: no answer within (\d+) ms\)$/.exec((err as Error).message);
        expect(m, (err as Error).message).not.toBeNull();
        expect(Number(m![1])).toBeGreaterThan(900);
        expect(Number(m![1])).toBeLessThanOrEqual(1000);
    });

    it("reports the server's reasons when it answers unhealthy", async () => {
        const sick: HealthProbe = { checkHealth: async () => ({ isHealthy: false, reasons: ["querynode not ready"] }) };
        await expect(waitForHealthy(sick, "h:1", { timeoutSeconds: 1, initialDelayMs: 50 })).rejects.toThrow(/last error: unhealthy: querynode not ready\)/);
    });
});

describe("a connection lost mid-step", () => {
    it("is told apart from a refusal by the server", () => {
        // As grpc-js and the SDK report them when the server goes away.
        expect(isConnectionLoss(Object.assign(new Error("14 UNAVAILABLE: Connection dropped"), { code: 14 }))).toBe(true);
        expect(isConnectionLoss(new Error("getLoadState notes failed: 14 UNAVAILABLE: Connection dropped"))).toBe(true);
        expect(isConnectionLoss(new Error("14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:19530"))).toBe(true);
        expect(isConnectionLoss(Object.assign(new Error("deadline"), { code: 4 }))).toBe(true);
        // The server answered: these are the step's own business, not a lost connection.
        expect(isConnectionLoss(new Error("createIndex failed: invalid index params: nlist out of range"))).toBe(false);
        expect(isConnectionLoss(Object.assign(new Error("16 UNAUTHENTICATED: auth check failure"), { code: 16 }))).toBe(false);
    });

    it("says where the step was, that nothing was removed, and how to resume", () => {
        const e = new MilvusConnectionLostError("localhost:19530", "checking collection notes", "14 UNAVAILABLE: Connection dropped");
        expect(e.message).toContain("lost the connection to Milvus at localhost:19530 while checking collection notes (14 UNAVAILABLE: Connection dropped)");
        expect(e.message).toContain("nothing was dropped or rewritten");
        expect(e.message).toContain("pulumi up --refresh");
    });
});
