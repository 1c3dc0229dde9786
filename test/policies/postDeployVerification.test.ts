import { describe, expect, it } from "vitest";
import { MilvusCluster } from "../../components/cluster/milvusCluster";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { postDeployVerification } from "../../policies/rules";
import { check, resourcesOf, schemaStep } from "./helpers";

describe("post-deploy-verification", () => {
    it("passes Milvus followed by the schema step", async () => {
        const rs = await resourcesOf("dev", () => {
            const m = new MilvusStandalone("milvus", {});
            schemaStep(m.endpoint, "HNSW", { dependsOn: [m] });
        });
        expect(rs.some((r) => r.type === "milvus-gpu:index:MilvusSchema")).toBe(true);
        expect(check(rs, postDeployVerification)).toEqual([]);
    });

    it("fails a deployment without a verification step", async () => {
        const rs = await resourcesOf("production", () => new MilvusCluster("cluster", { config: {} }));
        const vs = check(rs, postDeployVerification);
        expect(vs).toHaveLength(1);
        expect(vs[0].message).toContain('stack "production" deploys Milvus but has no post-deploy verification resource');
    });
});
