import { describe, expect, it } from "vitest";
import { MilvusCluster } from "../../components/cluster/milvusCluster";
import { CloreDockerHost } from "../../components/clore/cloreDockerHost";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { memoryFitsHost } from "../../policies/rules";
import { check, resourcesOf } from "./helpers";

const host = (minRamGb: number) => () =>
    new CloreDockerHost("host", { apiKey: "k", image: "example/ssh-docker:1.0", sshPublicKey: "ssh-ed25519 AAAA test", filters: { minRamGb } });

describe("memory-fits-host", () => {
    it("passes 16g Milvus + etcd + MinIO on a server of at least 32 GB", async () => {
        const rs = await resourcesOf("staging", () => {
            host(32)();
            new MilvusStandalone("milvus", { milvus: { memory: "16g" } });
        });
        expect(check(rs, memoryFitsHost)).toEqual([]);
    });

    it("fails the same containers (22 GB of limits) on a server filter that admits 16 GB", async () => {
        const rs = await resourcesOf("staging", () => {
            host(16)();
            new MilvusStandalone("milvus", { milvus: { memory: "16g" } });
        });
        const vs = check(rs, memoryFitsHost);
        expect(vs.map((v) => v.message)).toEqual([
            "the containers may use 22.0 GB but the Clore.ai filter minRamGb (the least a matching server has) has 16 GB (1 GB kept for the system)",
        ]);
        expect(vs[0].resourceName).toBe("host-order");
    });

    it("checks a known host size from the policy config, and cluster pods against the node size", async () => {
        const standalone = await resourcesOf("dev", () => new MilvusStandalone("milvus", { milvus: { memory: "8g" } }));
        expect(check(standalone, memoryFitsHost)).toEqual([]); // size unknown: nothing to compare
        expect(check(standalone, memoryFitsHost, { "memory-fits-host": { hostMemoryGb: 8 } })).toHaveLength(1);

        const cluster = await resourcesOf("production", () => new MilvusCluster("c", { config: { queryNode: { memory: "64Gi" } } }));
        expect(check(cluster, memoryFitsHost, { "memory-fits-host": { nodeMemoryGb: 128 } })).toEqual([]);
        const vs = check(cluster, memoryFitsHost, { "memory-fits-host": { nodeMemoryGb: 32 } });
        expect(vs.map((v) => v.message)).toEqual(["queryNode pods request 64.0 GB but the largest node has 32 GB: they can never be scheduled"]);
    });
});
