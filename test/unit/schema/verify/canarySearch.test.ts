import { describe, expect, it } from "vitest";
import { canaryFilterShare, canarySearchParams, recallSetting } from "../../../../components/schema/verify/canarySearch";
import { parseSchemaSettings } from "../../../../components/schema/spec/parse";

function vectorIndex(index: Record<string, unknown>) {
    return parseSchemaSettings({
        collections: [
            {
                name: "c",
                fields: [
                    { name: "id", type: "INT64", primary: true },
                    { name: "v", type: "FLOAT_VECTOR", dim: 8 },
                ],
                indexes: [{ field: "v", ...index }],
            },
        ],
    }).collections[0].vectorIndexes[0];
}

describe("canary search parameters sized to the canary", () => {
    const ivf4096 = vectorIndex({ type: "IVF_FLAT", metric: "COSINE", params: { nlist: 4096 }, searchParams: { nprobe: 16 } });

    it("knows the share of synthetic rows the canary filter passes", () => {
        expect(canaryFilterShare()).toBeCloseTo(0.1, 10);
    });

    it("raises nprobe when 1,000 rows spread over 4,096 lists leave the declared search too few rows", () => {
        const plain = canarySearchParams(ivf4096, 1000, 10);
        expect(plain.searchParams).toEqual({ nprobe: 20 });
        expect(plain.note).toMatch(/nprobe 20 instead of 16: with 1000 canary rows in nlist 4096 lists, nprobe 16 scans about 16 rows/);
        const filtered = canarySearchParams(ivf4096, 1000, 10, canaryFilterShare());
        expect(filtered.searchParams).toEqual({ nprobe: 200 });
        expect(filtered.note).toMatch(/filtered \(about 10% of rows match\) search used nprobe 200/);
    });

    it("keeps the declared nprobe when the lists hold enough rows, and never goes past nlist", () => {
        expect(canarySearchParams(ivf4096, 100_000, 10)).toEqual({ searchParams: { nprobe: 16 } });
        const few = vectorIndex({ type: "IVF_SQ8", metric: "L2", params: { nlist: 64 }, searchParams: { nprobe: 1 } });
        // 2,000 rows in 64 lists: one list holds ~31 rows, enough for 10 results unfiltered.
        expect(canarySearchParams(few, 2000, 10)).toEqual({ searchParams: { nprobe: 1 } });
        expect(canarySearchParams(few, 2000, 10, 0.1).searchParams).toEqual({ nprobe: 7 });
        expect(canarySearchParams(few, 2000, 100, 0.01).searchParams).toEqual({ nprobe: 64 });
    });

    it("uses Milvus's defaults (nlist 128, nprobe 8) when the spec leaves them out", () => {
        const bare = vectorIndex({ type: "IVF_FLAT", metric: "L2" });
        expect(canarySearchParams(bare, 100, 10).searchParams).toEqual({ nprobe: 20 });
        expect(canarySearchParams(bare, 100_000, 10)).toEqual({ searchParams: {} });
    });

    it("leaves every index without nprobe as declared", () => {
        const hnsw = vectorIndex({ type: "HNSW", metric: "COSINE", params: { M: 8, efConstruction: 64 }, searchParams: { ef: 16 } });
        expect(canarySearchParams(hnsw, 10, 10, 0.1)).toEqual({ searchParams: { ef: 16 } });
    });

    it("names the setting that buys recall for each index type", () => {
        expect(recallSetting(ivf4096)).toBe("raise searchParams.nprobe (now 16) toward params.nlist (4096) or lower params.nlist");
        expect(recallSetting(vectorIndex({ type: "IVF_PQ", metric: "L2", params: { nlist: 128, m: 4 } }))).toMatch(
            /raise searchParams\.nprobe \(now 8\) toward params\.nlist \(128\).*raise params\.m \/ params\.nbits/,
        );
        expect(recallSetting(vectorIndex({ type: "HNSW", metric: "L2", searchParams: { ef: 32 } }))).toBe("raise searchParams.ef (now 32) (or params.efConstruction / params.M)");
        expect(recallSetting(vectorIndex({ type: "FLAT", metric: "L2" }))).toBeUndefined();
    });
});
