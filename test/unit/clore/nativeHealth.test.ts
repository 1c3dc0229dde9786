import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloreOrderProvider, CloreOrderInputs } from "../../../components/clore/orderProvider";
import { createClient, waitForHealthy } from "../../../components/schema/server/connection";
import { MilvusLite, startMilvusLite } from "../../../scripts/milvus-lite";
import { FakeCloreApi } from "../../fakes/cloreApi";
import { recordResources, unwrapSecrets, valueOf } from "../../helpers/pulumiMocks";

/**
 * The native usage end to end on this machine: the fake API "rents" a server whose public
 * 19530 mapping leads to a real Milvus protocol server (Milvus Lite), and the post-deploy
 * health wait reaches it through the `address` output of CloreNativeMilvus.
 */
let fake: FakeCloreApi;
let lite: MilvusLite;

beforeAll(async () => {
    lite = await startMilvusLite();
    fake = await new FakeCloreApi({ publicHost: "127.0.0.1", portForwards: { "19530": lite.port } }).start();
    recordResources({
        stack: "staging",
        create: async (type, _name, rawInputs) => {
            if (type !== "pulumi-nodejs:dynamic/clore:CloreOrder") return undefined;
            const { __provider, ...inputs } = unwrapSecrets(rawInputs) as CloreOrderInputs & { __provider: string };
            const result = await cloreOrderProvider.create(inputs);
            return { id: result.id, state: { ...result.outs, __provider } };
        },
    });
});
afterAll(async () => {
    await fake?.stop();
    await lite?.stop();
});

describe("CloreNativeMilvus through the rental's public port", () => {
    it("gives an address the post-deploy health wait reaches", async () => {
        const { CloreNativeMilvus } = await import("../../../components/clore/cloreNativeMilvus");
        const milvus = new CloreNativeMilvus("native", {
            apiKey: pulumi.secret(fake.apiKey),
            api: { baseUrl: fake.url, minSpacingMs: 0, createOrderSpacingMs: 0 },
            filters: { gpuModel: "4090" },
            pollIntervalSeconds: 0.02,
        });
        const address = await valueOf(milvus.address);
        expect(address).toBe(`127.0.0.1:${lite.port}`);
        const client = createClient({ address });
        try {
            const tookMs = await waitForHealthy(client, address, { timeoutSeconds: 60 });
            expect(tookMs).toBeGreaterThanOrEqual(0);
        } finally {
            await client.closeConnection().catch(() => undefined);
        }
    });
});
