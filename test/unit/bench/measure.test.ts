import { describe, expect, it } from "vitest";
import { dataCentres, queryVectors, rowBatches } from "../../../components/bench/data";
import { parseFilter } from "../../../components/bench/filter";
import { ExactSearch } from "../../../components/bench/groundTruth";
import { measureLevel, mergeLevels, percentile, summarise } from "../../../components/bench/measure";
import { vectorsInFlightCeilingMiB } from "../../../components/bench/run";
import { MetricType } from "../../../components/schema/spec/settings";
import { exactTopK, similarity } from "../../../components/schema/verify/synthetic";

const shape = { rows: 1000, dim: 16, seed: 9 };

describe("bench data", () => {
    it("is the same data whatever the batch size, and differs with the seed", () => {
        const flat = (size: number, seed = 9) => [...rowBatches({ ...shape, seed }, size)].flatMap((b) => b.vectors.map((v, i) => [b.start + i, b.category[i], b.year[i], v]));
        const whole = flat(1000);
        expect(whole).toHaveLength(1000);
        expect(flat(7)).toEqual(whole);
        expect(flat(333)).toEqual(whole);
        expect(flat(1000, 10)).not.toEqual(whole);
    });

    it("yields batches of the asked size with consecutive ids", () => {
        const batches = [...rowBatches(shape, 300)];
        expect(batches.map((b) => [b.start, b.vectors.length])).toEqual([
            [0, 300],
            [300, 300],
            [600, 300],
            [900, 100],
        ]);
        for (const v of batches[0].vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    });

    it("draws queries around the data's own clusters", () => {
        const centres = dataCentres(shape);
        const queries = queryVectors(shape, 20, centres);
        for (const q of queries) expect(Math.max(...centres.map((c) => similarity("COSINE", q, c)))).toBeGreaterThan(0.7);
        expect(queryVectors(shape, 20)).toEqual(queries);
    });
});

describe("streaming exact search", () => {
    it("finds what exact search over all rows at once finds, filtered or not, for every metric", () => {
        const rows = [...rowBatches(shape, 1000)][0];
        const queries = queryVectors(shape, 5);
        const filter = parseFilter('category == "c2" and year >= 2021');
        const metrics: MetricType[] = ["L2", "IP", "COSINE"];
        const exact = new ExactSearch(queries, 10, metrics, filter);
        for (const batch of rowBatches(shape, 64)) exact.add(batch);
        const got = exact.answers();
        const keep = (i: number) => filter({ category: rows.category[i], year: rows.year[i] });
        expect(got.rowsPassingFilter).toBe(rows.vectors.filter((_, i) => keep(i)).length);
        for (const m of metrics) {
            const score = (q: number[], r: number[]) => similarity(m, q, r);
            expect(got.all[m]).toEqual(queries.map((q) => exactTopK(q, rows.vectors, 10, score)));
            expect(got.filtered[m]).toEqual(queries.map((q) => exactTopK(q, rows.vectors, 10, score, keep)));
        }
    });
});

describe("load measurement", () => {
    it("takes nearest-rank percentiles and orders them", () => {
        const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
        expect(percentile(Float64Array.from(xs).sort(), 50)).toBe(50);
        expect(summarise(xs)).toEqual({ p50: 50, p95: 95, p99: 99, mean: 50.5, max: 100 });
        expect(summarise([])).toEqual({ p50: 0, p95: 0, p99: 0, mean: 0, max: 0 });
    });

    it("keeps `concurrency` searches in flight, walks the queries in order and counts errors", async () => {
        let inFlight = 0;
        let peak = 0;
        const asked: number[] = [];
        const search = async (q: number) => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            asked.push(q);
            await new Promise((r) => setTimeout(r, 5));
            inFlight--;
            if (q === 3) throw new Error("boom\nstack");
        };
        const r = await measureLevel(search, 10, { concurrency: 4, durationSeconds: 0.3, warmupPerWorker: 0 });
        expect(peak).toBe(4);
        expect(asked.slice(0, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
        expect(r.errors).toBeGreaterThan(0);
        expect(r.firstError).toBe("boom");
        expect(r.requests + r.errors).toBe(asked.length);
        expect(Math.abs(r.qps - r.requests / r.seconds) / r.qps).toBeLessThan(0.01);
        expect(r.latencyMs.p50).toBeGreaterThanOrEqual(4);
        expect(r.latencyMs.p50).toBeLessThanOrEqual(r.latencyMs.p95);
        expect(r.latencyMs.p95).toBeLessThanOrEqual(r.latencyMs.p99);
    });

    it("counts queries, not requests, in QPS when requests carry several", async () => {
        const r = await measureLevel(() => new Promise((res) => setTimeout(res, 2)), 10, { concurrency: 1, durationSeconds: 0.2, warmupPerWorker: 0, queriesPerRequest: 100 });
        expect(r.queriesPerRequest).toBe(100);
        expect(Math.abs(r.qps - (100 * r.requests) / r.seconds) / r.qps).toBeLessThan(0.01);
    });

    it("merges the halves of an interleaved level into one result", () => {
        const part = (latencies: number[], seconds: number, errors = 0) => ({
            result: { concurrency: 2, queriesPerRequest: 10, seconds, requests: latencies.length, errors, qps: (10 * latencies.length) / seconds, latencyMs: summarise(latencies) },
            latenciesMs: latencies,
        });
        const merged = mergeLevels([part([1, 2, 3], 1), part([10, 20], 1, 1)]).result;
        // 5 requests of 10 queries in 2 s.
        expect(merged).toMatchObject({ concurrency: 2, queriesPerRequest: 10, seconds: 2, requests: 5, errors: 1, qps: 25 });
        expect(merged.latencyMs).toEqual(summarise([1, 2, 3, 10, 20]));
    });

    it("bounds the vectors held at once by batch size and dim, not rows", () => {
        // 3 batches (1 being generated, 2 in flight) of 1,000 x 384 values at 64 bytes each.
        expect(vectorsInFlightCeilingMiB({ batchSize: 1000, dim: 384 })).toBeCloseTo((3 * 1000 * 384 * 64) / 2 ** 20, 1);
    });
});
