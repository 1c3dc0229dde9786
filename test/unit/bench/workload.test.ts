import { describe, expect, it } from "vitest";
import { parseFilter } from "../../../components/bench/filter";
import { DEFAULT_WORKLOAD, parseBenchWorkload } from "../../../components/bench/workload";
import { DENSE_INDEX_TYPES } from "../../../components/schema/spec/settings";
import { configErrorsOf } from "../../helpers/configErrors";

const messages = (run: () => unknown) => configErrorsOf(run).map((e) => e.message);

describe("bench workload options", () => {
    it("defaults to the seed's HNSW on 384-dim vectors and the canary's filter", () => {
        const w = parseBenchWorkload({});
        expect(w).toMatchObject({ rows: DEFAULT_WORKLOAD.rows, dim: 384, topK: 10, queriesPerRequest: 1, batchSize: 1000, concurrency: [1, 4, 16], filter: 'category == "c1" and year >= 2023' });
        expect(w.indexes).toEqual([{ type: "HNSW", metric: "COSINE", params: { M: 16, efConstruction: 200 }, searchParams: { ef: 64 } }]);
    });

    it("accepts every dense index type the spec parser accepts, GPU ones with a metric they take", () => {
        const w = parseBenchWorkload({ indexes: DENSE_INDEX_TYPES.map((type) => ({ type })) });
        expect(w.indexes.map((i) => i.type)).toEqual([...DENSE_INDEX_TYPES]);
        expect(w.indexes.find((i) => i.type === "GPU_IVF_FLAT")).toEqual({ type: "GPU_IVF_FLAT", metric: "L2", params: { nlist: 1024 }, searchParams: { nprobe: 16 } });
        expect(w.indexes.find((i) => i.type === "IVF_PQ")!.params).toEqual({ nlist: 1024, m: 48, nbits: 8 });
        expect(w.indexes.find((i) => i.type === "GPU_CAGRA")!.metric).toBe("L2");
    });

    it("reads CLI strings: numbers, JSON params, comma-separated levels (sorted)", () => {
        const w = parseBenchWorkload({
            rows: "1000000",
            dim: "768",
            concurrency: "16, 1,4",
            indexes: [{ type: "IVF_FLAT", metric: "IP", params: '{"nlist": 4096}', searchParams: '{"nprobe": 32}' }],
            filter: "",
        });
        expect(w).toMatchObject({ rows: 1_000_000, dim: 768, concurrency: [1, 4, 16], filter: "" });
        expect(w.indexes[0]).toEqual({ type: "IVF_FLAT", metric: "IP", params: { nlist: 4096 }, searchParams: { nprobe: 32 } });
    });

    it("names every bad option with its value and what is allowed", () => {
        const errors = messages(() =>
            parseBenchWorkload({
                rows: 10,
                concurrency: "1,x",
                indexes: [{ type: "ANNOY" }, { type: "GPU_IVF_FLAT", metric: "COSINE" }, { type: "HNSW", params: "{M:16}" }, { type: "HNSW", searchParams: { ef: 5 } }],
                filter: "title like 'a%'",
            }),
        );
        expect(errors).toEqual(
            expect.arrayContaining([
                expect.stringContaining("rows: invalid value 10; expected an integer from 100 to 100000000"),
                expect.stringContaining('concurrency[1]: invalid value "x"'),
                expect.stringContaining('indexes[0].type: invalid value "ANNOY"; expected one of FLAT, IVF_FLAT'),
                expect.stringContaining('indexes[1].metric: invalid value "COSINE"; expected one of L2, IP for GPU_IVF_FLAT'),
                expect.stringContaining('indexes[2].params: invalid value "{M:16}"; expected a JSON object'),
                expect.stringContaining("indexes[3].searchParams.ef: invalid value 5; expected at least topK (10)"),
                expect.stringContaining("filter: invalid value \"title like 'a%'\"; expected comparisons of category"),
            ]),
        );
        expect(messages(() => parseBenchWorkload({ indexes: [{ type: "HNSW", params: { M: 1 } }] }))[0]).toContain("indexes[0].params.M: invalid value 1");
        expect(messages(() => parseBenchWorkload({ dim: 100, indexes: [{ type: "IVF_PQ", params: { nlist: 8, m: 7 } }] }))[0]).toContain(
            "indexes[0].params.m: invalid value 7; expected a divisor of the field's dim 100",
        );
        expect(messages(() => parseBenchWorkload({ rows: 100, topK: 101 }))[0]).toContain("topK: invalid value 101; expected at most rows (100)");
        expect(messages(() => parseBenchWorkload({ concurrency: "4,4" }))[0]).toContain("expected concurrency levels listed once each");
        expect(messages(() => parseBenchWorkload({ queries: 50, queriesPerRequest: 100 }))[0]).toContain("queriesPerRequest: invalid value 100; expected at most queries (50)");
    });
});

describe("bench filter expressions", () => {
    it("evaluates the synthetic fields as Milvus would", () => {
        const f = parseFilter('category == "c1" and year >= 2023');
        expect(f({ category: "c1", year: 2023 })).toBe(true);
        expect(f({ category: "c1", year: 2022 })).toBe(false);
        expect(f({ category: "c2", year: 2025 })).toBe(false);
        const g = parseFilter('category in ["c0", "c3"] and year != 2020 and year < 2026');
        expect(g({ category: "c3", year: 2021 })).toBe(true);
        expect(g({ category: "c3", year: 2020 })).toBe(false);
        expect(g({ category: "c1", year: 2021 })).toBe(false);
        expect(parseFilter("year > 2024")({ category: "c4", year: 2025 })).toBe(true);
    });

    it("rejects what it cannot evaluate, naming the option", () => {
        for (const bad of ["", "category >= \"c1\"", "year == \"2020\"", "category == c1", "year >= 2020 or year < 2019", "price > 3"]) {
            expect(() => parseFilter(bad, "--filter")).toThrow(/^--filter: invalid value/);
        }
    });
});
