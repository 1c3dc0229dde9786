import { describe, expect, it } from "vitest";
import { formatBenchReport } from "../../../scripts/bench/format";
import { summarise } from "../../../components/bench/measure";
import { REFERENCE_ROWS } from "../../../scripts/bench/references";
import { BenchReport } from "../../../components/bench/report";
import { parseBenchWorkload } from "../../../components/bench/workload";
import { benchChartSpec, renderBenchChart } from "../../../scripts/bench/chart";
import { stackBenchTarget } from "../../../scripts/bench/stackTarget";
import { readStackConfig } from "../../../scripts/stackFile";

function level(concurrency: number, qps: number, p99: number) {
    return { concurrency, queriesPerRequest: 1, seconds: 8, requests: qps * 8, errors: 0, qps, latencyMs: { ...summarise([p99 / 3, p99 / 2, p99]), p99 } };
}

function sampleReport(): BenchReport {
    const workload = parseBenchWorkload({ rows: 20_000, concurrency: "1,4", indexes: [{ type: "HNSW" }, { type: "IVF_FLAT" }] });
    return {
        kind: "milvus-gpu-bench",
        startedAt: "2026-12-01T10:00:00.000Z",
        finishedAt: "2026-12-01T10:02:00.000Z",
        target: { address: "127.0.0.1:1234", serverVersion: "milvus_lite-3.2.2", embedded: true },
        machine: { cpus: 2, cpuModel: "Xeon", loadAverageStart: [0.5, 0.4, 0.3], loadAverageEnd: [1.9, 1, 0.5], node: "v24.0.0", platform: "linux-x64" },
        workload,
        comparisonClient: "pymilvus 3.0.2",
        collection: "milvus_gpu_canary_abc",
        removed: true,
        ingest: { rows: 20_000, batches: 20, insertMs: 9000, rowsPerSecond: 2222, generateMs: 1200, flushMs: 300 },
        groundTruthMs: 700,
        rowsPassingFilter: 2011,
        indexes: workload.indexes.map((index, i) => ({
            index,
            label: i === 0 ? "HNSW/COSINE ef=64" : "IVF_FLAT/COSINE nprobe=16",
            buildMs: 15000,
            loadMs: 100,
            indexedRows: 20_000,
            levels: [
                { concurrency: 1, node: level(1, 300, 6), comparison: level(1, 320, 5), ratio: 0.938 },
                { concurrency: 4, node: level(4, 480, 20), comparison: level(4, 490, 19), ratio: 0.98 },
            ],
            filtered: [level(1, 250, 8), level(4, 400, 25)],
            recall: 0.987,
            filteredRecall: 0.951,
            failures: [],
        })),
        memory: { vectorsInFlightCeilingMiB: 52.7, benchPeakRssMiB: 300, serverPeakRssMiB: 900, comparisonPeakRssMiB: 150 },
        totalMs: 120_000,
        passed: true,
        failures: [],
    };
}

describe("bench report text", () => {
    it("prints setup, ingest, one table per index with the Node/pymilvus ratio, and labelled references", () => {
        const text = formatBenchReport(sampleReport());
        expect(text).toContain("load average 0.5 0.4 0.3 at start, 1.9 1 0.5 at end");
        expect(text).toContain("Ingest: 20,000 rows in 20 batches of 1,000: insert 9.0 s (2,222 rows/s");
        expect(text).toContain("Milvus Lite peak RSS 900 MiB");
        expect(text).toMatch(/HNSW\/COSINE ef=64 \{"M":16,"efConstruction":200\}: build 15\.0 s, load 0\.1 s, 20,000 rows indexed, recall@10 0\.987, filtered recall@10 0\.951/);
        expect(text).toMatch(/concurrency\s+QPS\s+p50 ms\s+p95 ms\s+p99 ms\s+errors\s+pymilvus QPS\s+p50 ms\s+p99 ms\s+node\/pymilvus\s+filtered QPS\s+p99 ms/);
        expect(text).toMatch(/\n {2}4\s+480\.0\s+10\.0\s+20\.0\s+20\.0\s+0\s+490\.0\s+9\.50\s+19\.0\s+0\.98\s+400\.0\s+25\.0/);
        expect(text).toContain("References (measured elsewhere, NOT by this run):");
        for (const ref of REFERENCE_ROWS) expect(text).toContain(ref.qps.toLocaleString("en-US"));
        expect(text).toContain("bench collection milvus_gpu_canary_abc dropped");
    });

    it("carries the seed's table and the H200 brute-force figures", () => {
        expect(REFERENCE_ROWS.filter((r) => r.source === "seed table").map((r) => [r.hardware, r.vectors, r.index, r.qps])).toEqual([
            ["RTX 3090", "1M", "HNSW", 8000],
            ["RTX 4090", "10M", "IVF_FLAT", 2500],
            ["A100", "10M", "GPU_IVF_FLAT", 12000],
            ["A100", "100M", "DISKANN", 1200],
        ]);
        expect(REFERENCE_ROWS.filter((r) => r.hardware === "H200").map((r) => r.qps)).toEqual([3794, 95719, 119743, 525, 10603, 10635]);
    });
});

describe("bench chart", () => {
    it("plots QPS against p99 per index and client, and recall per index", () => {
        const spec = benchChartSpec(sampleReport()) as unknown as { hconcat: { data: { values: Record<string, unknown>[] } }[] };
        const [qps, recall] = spec.hconcat.map((p) => p.data.values);
        expect(new Set(qps.map((p) => p.series))).toEqual(
            new Set([
                "HNSW/COSINE ef=64 · node",
                "HNSW/COSINE ef=64 · pymilvus",
                "HNSW/COSINE ef=64 · node, filtered",
                "IVF_FLAT/COSINE nprobe=16 · node",
                "IVF_FLAT/COSINE nprobe=16 · pymilvus",
                "IVF_FLAT/COSINE nprobe=16 · node, filtered",
            ]),
        );
        expect(qps).toContainEqual({ series: "HNSW/COSINE ef=64 · pymilvus", concurrency: 4, qps: 490, p99: 19 });
        expect(recall).toContainEqual({ index: "IVF_FLAT/COSINE nprobe=16", kind: "filtered recall", value: 0.951 });
    });

    it("renders to SVG headless through Vega", async () => {
        const svg = await renderBenchChart(sampleReport());
        expect(svg.startsWith("<svg")).toBe(true);
        expect(svg).toContain("QPS vs p99 latency");
        expect(svg).toContain("recall@10");
        expect(svg).toContain("HNSW/COSINE ef=64 · pymilvus");
        // One plotted mark per point: 3 series x 2 levels x 2 indexes.
        expect((svg.match(/role-mark/g) ?? []).length).toBeGreaterThan(0);
    });
});

describe("bench --stack", () => {
    it("takes the dev stack's local endpoint and declared HNSW index", () => {
        const t = stackBenchTarget(readStackConfig("dev"));
        expect(t.address).toBe("127.0.0.1:19530");
        expect(t.dim).toBe(384);
        expect(t.indexes).toEqual([{ type: "HNSW", metric: "COSINE", params: { M: 16, efConstruction: 200 }, searchParams: { ef: 64 } }]);
    });

    it("takes production's schemaAddress and GPU index, and says why a rental's address is not in its file", () => {
        const prod = stackBenchTarget(readStackConfig("production"));
        expect(prod.address).toBe("localhost:19530");
        expect(prod.indexes[0]).toMatchObject({ type: "GPU_IVF_FLAT", metric: "L2" });
        const staging = stackBenchTarget(readStackConfig("staging"));
        expect(staging.address).toBeUndefined();
        expect(staging.addressUnknown).toContain("known only after `pulumi up`");
    });
});
