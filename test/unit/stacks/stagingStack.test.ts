import { describe, expect, it } from "vitest";
import { ofType, recordResources, settle, valueOf } from "../../helpers/pulumiMocks";
import { engineConfigFor } from "../../helpers/stackConfig";

const SCHEMA_STEP = "pulumi-nodejs:dynamic/milvus-gpu:SchemaDeployment";

describe("staging: a rented Clore.ai server as the Docker host (mocked engine)", () => {
    it("rents, prepares the host over SSH, deploys the GPU containers there and verifies through the mapped port", async () => {
        const recorded = recordResources({
            stack: "staging",
            config: engineConfigFor("staging", { "milvus-gpu:cloreApiKey": "clore-test-key", "milvus-gpu:sshPrivateKey": "PEM" }),
            secretKeys: ["milvus-gpu:cloreApiKey", "milvus-gpu:sshPrivateKey"],
            computed: (type) =>
                type.endsWith(":CloreOrder")
                    ? { orderId: 4242, publicHost: "n7.clore.test", publicPorts: { "22": 40022, "19530": 40530, "9091": 40091 }, pricePerDay: 9.5, gpu: "1x RTX 4090" }
                    : undefined,
        });
        const { runStack } = await import("../../../stacks");
        const outputs = runStack() as Record<string, any>;
        expect(await valueOf(outputs.endpoint)).toBe("n7.clore.test:40530");
        // 9091 stays on the rented host's loopback (milvus.httpHost): not mapped to a public port.
        expect(await valueOf(outputs.healthUrl)).toBe("http://localhost:9091/healthz");
        await settle();
        const [order] = recorded.filter((r) => r.type.endsWith(":CloreOrder"));
        expect(order.secretInputs).toContain("apiKey");
        expect(order.inputs.ports).toEqual({ "22": "tcp", "19530": "tcp" });
        const provider = recorded.find((r) => r.type === "pulumi:providers:docker")!;
        expect(provider.inputs.host).toBe("ssh://root@n7.clore.test:40022");
        const milvus = ofType(recorded, "docker:index/container:Container").find((c) => c.inputs.name === "milvus-standalone")!;
        expect(milvus.inputs.gpus).toBe("all");
        const [schema] = recorded.filter((r) => r.type === SCHEMA_STEP);
        expect(schema.inputs.address).toBe("n7.clore.test:40530");
        expect(schema.secretInputs).toContain("token");
        // Public gRPC on a rental: TLS with a certificate generated on the rented host, over SSH.
        expect(milvus.inputs.envs).toContain("COMMON_SECURITY_TLSMODE=1");
        expect(ofType(recorded, "command:remote:Command").map((c) => c.name)).toContain("milvus-tls");
        expect(schema.inputs).toMatchObject({ tls: true, tlsServerName: "localhost" });
        expect(JSON.stringify(recorded.filter((r) => !r.secretInputs.includes("apiKey")).map((r) => r.inputs))).not.toContain("clore-test-key");
    });
});

