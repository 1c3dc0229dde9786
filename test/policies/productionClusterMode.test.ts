import { describe, expect, it } from "vitest";
import { MilvusCluster } from "../../components/cluster/milvusCluster";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { productionClusterMode } from "../../policies/rules";
import { check, resourcesOf } from "./helpers";

describe("production-cluster-mode", () => {
    it("passes a production cluster with two query nodes, and standalone on stacks not named like production", async () => {
        const prod = await resourcesOf("production", () => new MilvusCluster("cluster", { config: { queryNode: { replicas: 2 } } }));
        expect(check(prod, productionClusterMode)).toEqual([]);
        const dev = await resourcesOf("dev", () => new MilvusStandalone("milvus", {}));
        expect(check(dev, productionClusterMode)).toEqual([]);
    });

    it("fails standalone on a production stack and a prod cluster with one query node", async () => {
        const standalone = await resourcesOf("production", () => new MilvusStandalone("milvus", {}));
        expect(check(standalone, productionClusterMode).map((v) => v.message)).toEqual([
            'production stack "production" runs Milvus standalone in Docker container milvus-standalone',
            'production stack "production" has no Milvus cluster (no Helm release of the milvus chart)',
        ]);
        const single = await resourcesOf("prod-eu", () => new MilvusCluster("cluster", { config: { queryNode: { replicas: 1 } } }));
        const vs = check(single, productionClusterMode);
        expect(vs.map((v) => v.message)).toEqual(['production stack "prod-eu" runs 1 query node(s); at least 2 are required']);
        expect(vs[0].resourceName).toBe("cluster-release");
    });

    it("takes the production name pattern and the minimum from the policy config", async () => {
        const rs = await resourcesOf("live", () => new MilvusCluster("cluster", { config: { queryNode: { replicas: 2 } } }));
        expect(check(rs, productionClusterMode)).toEqual([]);
        const vs = check(rs, productionClusterMode, { "production-cluster-mode": { productionStackPattern: "^live$", minQueryNodes: 3 } });
        expect(vs.map((v) => v.message)).toEqual(['production stack "live" runs 2 query node(s); at least 3 are required']);
    });
});
