import { describe, expect, it } from "vitest";
import { canaryTargets } from "../../../../components/schema/verify/canary";
import { parseSchemaSettings } from "../../../../components/schema/spec/parse";
import { clusteredVectors, denseVectors, exactTopK, recallAtK, seededRandom, similarity, sparseDot, sparseVectors } from "../../../../components/schema/verify/synthetic";

describe("synthetic canary data", () => {
    it("is reproducible from the seed and differs between seeds", () => {
        expect(denseVectors(3, 8, seededRandom(42))).toEqual(denseVectors(3, 8, seededRandom(42)));
        expect(denseVectors(3, 8, seededRandom(42))).not.toEqual(denseVectors(3, 8, seededRandom(43)));
        expect(sparseVectors(2, 100, 5, seededRandom(1))).toEqual(sparseVectors(2, 100, 5, seededRandom(1)));
    });

    it("clusters vectors around shared centres, and draws queries from the same centres", () => {
        const { vectors, centres } = clusteredVectors(200, 32, seededRandom(5), { clusters: 4 });
        expect(centres).toHaveLength(4);
        for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
        // Every vector is much closer to its nearest centre than random directions are (~0 cosine).
        const nearest = vectors.map((v) => Math.max(...centres.map((c) => similarity("COSINE", v, c))));
        expect(Math.min(...nearest)).toBeGreaterThan(0.7);
        const queries = clusteredVectors(5, 32, seededRandom(6), { clusters: 0, centres }).vectors;
        for (const q of queries) expect(Math.max(...centres.map((c) => similarity("COSINE", q, c)))).toBeGreaterThan(0.7);
    });

    it("makes unit vectors and sparse vectors with the asked number of entries", () => {
        for (const v of denseVectors(10, 64, seededRandom(7))) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
        for (const s of sparseVectors(10, 1000, 8, seededRandom(7))) expect(Object.keys(s)).toHaveLength(8);
    });
});

describe("exact search and recall", () => {
    const rows = [
        [1, 0],
        [0.9, 0.1],
        [0, 1],
        [-1, 0],
        [3, 0],
    ];

    it("ranks by L2 (closest first), IP (largest first) and COSINE (angle only)", () => {
        const score = (m: "L2" | "IP" | "COSINE") => (q: number[], r: number[]) => similarity(m, q, r);
        expect(exactTopK([1, 0], rows, 2, score("L2"))).toEqual([0, 1]);
        expect(exactTopK([1, 0], rows, 2, score("IP"))).toEqual([4, 0]);
        expect(exactTopK([1, 0], rows, 3, score("COSINE")).slice(0, 2).sort()).toEqual([0, 4]);
    });

    it("respects a filter", () => {
        expect(exactTopK([1, 0], rows, 2, (q, r) => similarity("IP", q, r), (i) => i >= 2)).toEqual([4, 2]);
        expect(exactTopK([1, 0], rows, 2, (q, r) => similarity("IP", q, r), (i) => i !== 4)).toEqual([0, 1]);
    });

    it("computes recall@k as the mean overlap with the exact answer", () => {
        expect(recallAtK([[1, 2, 3]], [[1, 2, 3]])).toBe(1);
        expect(recallAtK([[1, 9, 8], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]])).toBeCloseTo((1 / 3 + 1) / 2);
        expect(recallAtK([[]], [[1]])).toBe(0);
    });

    it("scores sparse vectors by inner product over shared dimensions", () => {
        expect(sparseDot({ 1: 2, 5: 1 }, { 1: 3, 7: 4 })).toBe(6);
    });
});

describe("canaryTargets", () => {
    it("makes one canary per distinct dense index, with the first sparse index riding along", () => {
        const field = (name: string, type: string, dim?: number) => ({ name, type, ...(dim ? { dim } : {}) });
        const spec = parseSchemaSettings({
            collections: [
                {
                    name: "a",
                    fields: [field("id", "INT64"), field("v", "FLOAT_VECTOR", 8), field("s", "SPARSE_FLOAT_VECTOR")].map((f, i) => (i === 0 ? { ...f, primary: true } : f)),
                    indexes: [
                        { field: "v", type: "HNSW", metric: "L2" },
                        { field: "s", type: "SPARSE_INVERTED_INDEX", metric: "IP" },
                    ],
                },
                {
                    name: "b",
                    fields: [{ ...field("id", "INT64"), primary: true }, field("v", "FLOAT_VECTOR", 8), field("w", "FLOAT_VECTOR", 16)],
                    indexes: [
                        { field: "v", type: "HNSW", metric: "L2" },
                        { field: "w", type: "FLAT", metric: "IP" },
                    ],
                },
            ],
        });
        const targets = canaryTargets(spec);
        expect(targets.map((t) => [t.index.type, t.index.metric, t.dim, t.sparse?.type])).toEqual([
            ["HNSW", "L2", 8, "SPARSE_INVERTED_INDEX"],
            ["FLAT", "IP", 16, "SPARSE_INVERTED_INDEX"],
        ]);
    });
});
