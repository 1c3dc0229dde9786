import { describe, expect, it } from "vitest";
import { MilvusCluster } from "../../components/cluster/milvusCluster";
import { CloreNativeMilvus } from "../../components/clore/cloreNativeMilvus";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { gpuIndexNeedsGpu } from "../../policies/rules";
import { check, resourcesOf, schemaStep } from "./helpers";

describe("gpu-index-needs-gpu-image", () => {
    it("passes a GPU_IVF_FLAT schema on standalone with GPUs, on a GPU cluster and on a native Clore.ai order", async () => {
        const standalone = await resourcesOf("staging", () => {
            const m = new MilvusStandalone("milvus", { milvus: { gpu: "all" } });
            schemaStep(m.endpoint, "GPU_IVF_FLAT");
        });
        expect(check(standalone, gpuIndexNeedsGpu)).toEqual([]);
        const cluster = await resourcesOf("production", () => {
            const c = new MilvusCluster("cluster", { config: { gpu: { enabled: true } } });
            schemaStep(c.address, "GPU_CAGRA");
        });
        expect(check(cluster, gpuIndexNeedsGpu)).toEqual([]);
        const clore = await resourcesOf("staging", () => {
            const c = new CloreNativeMilvus("clore", { apiKey: "k" });
            schemaStep(c.address, "GPU_IVF_FLAT");
        });
        expect(check(clore, gpuIndexNeedsGpu)).toEqual([]);
    });

    it("ignores CPU indexes on CPU deployments", async () => {
        const rs = await resourcesOf("dev", () => {
            const m = new MilvusStandalone("milvus", {});
            schemaStep(m.endpoint, "HNSW");
        });
        expect(check(rs, gpuIndexNeedsGpu)).toEqual([]);
    });

    it("fails the seed's plain v2.4.0 image with a GPU_IVF_FLAT index: no -gpu build, no GPU reserved", async () => {
        const rs = await resourcesOf("dev", () => {
            const m = new MilvusStandalone("milvus", { release: "v2.4.0" });
            schemaStep(m.endpoint, "GPU_IVF_FLAT");
        });
        const messages = check(rs, gpuIndexNeedsGpu).map((v) => v.message);
        expect(messages).toEqual(
            expect.arrayContaining([
                expect.stringContaining('"milvusdb/milvus:v2.4.0" is not a -gpu build'),
                expect.stringContaining("reserves no GPU"),
            ]),
        );
        expect(messages.every((m) => m.includes("GPU_IVF_FLAT"))).toBe(true);
    });

    it("fails a CPU cluster serving a GPU index", async () => {
        const rs = await resourcesOf("production", () => {
            const c = new MilvusCluster("cluster", { config: {} });
            schemaStep(c.address, "GPU_IVF_FLAT");
        });
        const vs = check(rs, gpuIndexNeedsGpu);
        expect(vs.map((v) => v.message)).toEqual([
            expect.stringContaining("not a -gpu build"),
            expect.stringContaining("query nodes request no nvidia.com/gpu"),
        ]);
        expect(vs[0].resourceName).toBe("cluster-release");
    });
});
