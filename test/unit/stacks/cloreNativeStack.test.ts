import { describe, expect, it } from "vitest";
import { recordResources, settle, valueOf } from "../../helpers/pulumiMocks";
import { engineConfigFor } from "../../helpers/stackConfig";

describe("a native Clore.ai host: the Milvus GPU image as the order (mocked engine)", () => {
    it("orders the -gpu image with embedded etcd and checks Milvus through the public gRPC mapping", async () => {
        const recorded = recordResources({
            stack: "native",
            config: engineConfigFor("staging", {
                "milvus-gpu:host": { type: "clore", usage: "native", milvusVersion: "v3.0.2", filters: { gpuModel: "RTX 4090" } },
                "milvus-gpu:dataDir": undefined,
                "milvus-gpu:milvus": undefined,
                "milvus-gpu:cloreApiKey": "clore-test-key",
            }),
            secretKeys: ["milvus-gpu:cloreApiKey"],
            computed: (type) =>
                type.endsWith(":CloreOrder") ? { orderId: 7, publicHost: "n2.clore.test", publicPorts: { "19530": 31530, "9091": 31091 } } : undefined,
        });
        const { runStack } = await import("../../../stacks");
        const outputs = runStack() as Record<string, any>;
        expect(await valueOf(outputs.endpoint)).toBe("n2.clore.test:31530");
        await settle();
        const [order] = recorded.filter((r) => r.type.endsWith(":CloreOrder"));
        expect(order.inputs.image).toBe("milvusdb/milvus:v3.0.2-gpu");
        expect(order.inputs.env).toMatchObject({ ETCD_USE_EMBED: "true", COMMON_STORAGETYPE: "local", COMMON_SECURITY_AUTHORIZATIONENABLED: "true" });
        expect(order.secretInputs).toEqual(expect.arrayContaining(["apiKey", "env"]));
        expect(recorded.filter((r) => r.type === "docker:index/container:Container")).toHaveLength(0);
        const [schema] = recorded.filter((r) => r.type === "pulumi-nodejs:dynamic/milvus-gpu:SchemaDeployment");
        expect(schema.inputs.address).toBe("n2.clore.test:31530");
    });
});
