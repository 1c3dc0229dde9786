import { describe, expect, it } from "vitest";
import { recordResources, settle, valueOf } from "../../helpers/pulumiMocks";
import { engineConfigFor } from "../../helpers/stackConfig";

const SCHEMA_STEP = "pulumi-nodejs:dynamic/milvus-gpu:SchemaDeployment";

describe("production: Milvus cluster on Kubernetes (mocked engine)", () => {
    it("installs the pinned chart with GPU query nodes and runs the schema step at the configured address", async () => {
        const recorded = recordResources({ stack: "production", config: engineConfigFor("production") });
        const { runStack } = await import("../../../stacks");
        const outputs = runStack() as Record<string, any>;
        expect(outputs.chart).toBe("milvus@5.0.19");
        await valueOf(outputs.endpoint);
        await settle();
        const [release] = recorded.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
        expect(release.inputs.version).toBe("5.0.19");
        expect(release.secretInputs).toContain("values");
        expect(release.inputs.values.queryNode.replicas).toBe(2);
        const [schema] = recorded.filter((r) => r.type === SCHEMA_STEP);
        expect(schema.inputs.address).toBe("localhost:19530");
        expect(schema.inputs.spec.collections[0].name).toBe("documents");
    });
});

