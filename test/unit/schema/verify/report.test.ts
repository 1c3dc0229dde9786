import { describe, expect, it } from "vitest";
import { formatReport, SchemaReport, VerificationFailedError } from "../../../../components/schema/verify/report";

const report: SchemaReport = {
    address: "127.0.0.1:19530",
    serverVersion: "v2.6.16",
    changed: false,
    summary: "no changes: the schema already matches; 1 canary run",
    recallThreshold: 0.9,
    collections: [
        {
            name: "documents",
            status: "unchanged",
            applied: [],
            notes: ["partitions not declared, left in place: old"],
            loaded: true,
            rowCount: 12,
            searches: [{ field: "embedding", indexType: "HNSW", metric: "COSINE", results: 10, ms: 3 }],
            passed: true,
            failures: [],
        },
    ],
    canaries: [
        {
            collection: "milvus_gpu_canary_abc",
            index: { field: "embedding", type: "HNSW", metric: "COSINE", params: { M: 16 }, searchParams: { ef: 64 }, dim: 384, indexedRows: 1000 },
            rows: 1000,
            queries: 20,
            topK: 10,
            seed: 42,
            recall: 0.8,
            filteredRecall: 0.95,
            filterRespected: true,
            timingsMs: { insert: 40, search: 5 },
            notes: ["the server indexed 0 of 1000 rows of embedding; the rest were searched without the HNSW index"],
            removed: true,
            passed: false,
            failures: ["recall@10 0.800 is below the threshold 0.9"],
        },
    ],
    passed: false,
    failures: ["canary HNSW/COSINE: recall@10 0.800 is below the threshold 0.9"],
    timingsMs: { health: 1, reconcile: 2, verify: 3, total: 6 },
    finishedAt: "2026-01-01T00:00:00.000Z",
};

describe("formatReport", () => {
    it("shows collections, indexes, recall and timings", () => {
        const text = formatReport(report);
        expect(text).toContain("Result: FAILED - no changes: the schema already matches");
        expect(text).toContain("documents: unchanged, loaded, 12 rows");
        expect(text).toContain("note: partitions not declared, left in place: old");
        expect(text).toContain("search embedding (HNSW/COSINE): 10 results in 3 ms");
        expect(text).toContain("HNSW/COSINE {M: 16} search {ef: 64}, dim 384, 1000 rows, 20 queries: FAILED");
        expect(text).toContain("recall@10 0.800, filtered 0.950, indexed rows 1000");
        expect(text).toContain("timings ms: insert 40, search 5");
        expect(text).toContain("canary milvus_gpu_canary_abc removed");
        expect(text).toContain("note: the server indexed 0 of 1000 rows");
    });

    it("is what a failed verification carries and prints", () => {
        const e = new VerificationFailedError(report);
        expect(e.report).toBe(report);
        expect(e.message).toContain("- canary HNSW/COSINE: recall@10 0.800 is below the threshold 0.9");
        expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    });
});
