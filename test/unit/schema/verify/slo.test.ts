import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseVerifySettings } from "../../../../components/schema/spec/parse";
import { parseSchemaStepSettings } from "../../../../components/schema/step/pipeline";
import { formatReport, SchemaReport } from "../../../../components/schema/verify/report";
import { sloMisses } from "../../../../components/schema/verify/sloReport";
import { readSpecFile } from "../../../../components/schema/spec/file";
import { parseStackConfig } from "../../../../stacks/config";
import { loadStackFile } from "../../../../stacks/stackFile";
import { configErrorsOf } from "../../../helpers/configErrors";

const messages = (run: () => unknown) => configErrorsOf(run).map((e) => e.message);

describe("verify.slo validation", () => {
    it("is off unless set, and takes defaults for concurrency, rows and duration", () => {
        expect(parseVerifySettings({}).slo).toBeUndefined();
        expect(parseVerifySettings({ slo: { minQps: 500 } }).slo).toEqual({ minQps: 500, concurrency: 4, rows: 10_000, durationSeconds: 10 });
        expect(parseVerifySettings({ slo: { minQps: "800", maxP99Ms: "25.5", minRecall: "0.95", concurrency: "8" } }).slo).toEqual({
            minQps: 800,
            maxP99Ms: 25.5,
            minRecall: 0.95,
            concurrency: 8,
            rows: 10_000,
            durationSeconds: 10,
        });
    });

    it("names every bad key with its value and what is allowed, all at once", () => {
        const errors = messages(() =>
            parseVerifySettings({ slo: { minQps: -1, maxP99Ms: 0, minRecall: 1.2, concurrency: 0, rows: 5, durationSeconds: 601, minQPS: 3 } }),
        );
        expect(errors).toEqual(
            expect.arrayContaining([
                expect.stringContaining("verify.slo.minQPS: invalid value 3; expected one of the known keys of verify.slo: minQps, maxP99Ms, minRecall"),
                expect.stringContaining("verify.slo.minQps: invalid value -1; expected a number > 0"),
                expect.stringContaining("verify.slo.maxP99Ms: invalid value 0; expected a number > 0"),
                expect.stringContaining("verify.slo.minRecall: invalid value 1.2; expected a number from 0 to 1"),
                expect.stringContaining("verify.slo.concurrency: invalid value 0; expected an integer from 1 to 256"),
                expect.stringContaining("verify.slo.rows: invalid value 5; expected an integer from 100 to 1000000"),
                expect.stringContaining("verify.slo.durationSeconds: invalid value 601; expected an integer from 1 to 600"),
            ]),
        );
        expect(errors).toHaveLength(7);
    });

    it("needs at least one target, rows of at least topK, and verification turned on", () => {
        expect(messages(() => parseVerifySettings({ slo: { rows: 1000 } }))[0]).toContain(
            "verify.slo: invalid value {\"rows\":1000}; expected at least one target of minQps, maxP99Ms, minRecall",
        );
        expect(messages(() => parseVerifySettings({ slo: "fast" }))[0]).toContain("verify.slo: invalid value \"fast\"; expected an object");
        expect(messages(() => parseVerifySettings({ topK: 200, canaryRows: 1000, slo: { minQps: 1, rows: 150 } }))).toEqual([
            expect.stringContaining("verify.slo.rows: invalid value 150; expected at least verify.topK (200)"),
        ]);
        expect(messages(() => parseVerifySettings({ enabled: false, slo: { minQps: 1 } }))[0]).toContain("verify.slo: invalid value {\"minQps\":1}; expected no slo while verify.enabled is false");
    });

    it("is validated with the rest of the stack config, so render/policy/preview reject what up would", () => {
        const raw = { mode: "standalone", host: { type: "local" }, verify: { slo: { minQps: 1, concurrency: 1000 } } };
        expect(messages(() => parseStackConfig(raw, "dev"))).toEqual([expect.stringContaining("verify.slo.concurrency: invalid value 1000")]);
        const dev = readSpecFile(resolve(__dirname, "../../../../Pulumi.dev.yaml"));
        expect(() => parseSchemaStepSettings({ address: "h:1", spec: dev.schema, verify: { slo: { maxP99Ms: "soon" } } })).toThrow("verify.slo.maxP99Ms: invalid value \"soon\"");
    });

    it("the production example stack sets one", () => {
        const root = resolve(__dirname, "../../../..");
        const config = loadStackFile(root, "production").config;
        expect(config.verify.slo).toMatchObject({ minQps: expect.any(Number), maxP99Ms: expect.any(Number), minRecall: expect.any(Number) });
        for (const stack of ["dev", "staging"]) {
            expect(loadStackFile(root, stack).config.verify.slo).toBeUndefined();
        }
    });
});

describe("SLO decision", () => {
    const measured = { qps: 812.4, p50Ms: 3, p95Ms: 9, p99Ms: 14.5, recall: 0.93, requests: 8124, errors: 0, seconds: 10, insertMs: 1, buildMs: 1, loadMs: 1 };
    const slo = { concurrency: 4, rows: 10_000, durationSeconds: 10 };

    it("names each missed target with the measured figure", () => {
        expect(sloMisses(measured, { ...slo, minQps: 800, maxP99Ms: 20, minRecall: 0.9 }, 10)).toEqual([]);
        expect(sloMisses(measured, { ...slo, minQps: 1000, maxP99Ms: 10, minRecall: 0.95 }, 10)).toEqual([
            "QPS 812.4 is below minQps 1000",
            "p99 latency 14.5 ms is above maxP99Ms 10",
            "recall@10 0.930 is below minRecall 0.95",
        ]);
        expect(sloMisses({ ...measured, errors: 3 }, { ...slo, minQps: 1 }, 10)).toEqual(["3 searches failed"]);
    });

    it("is shown in the step's report", () => {
        const report: SchemaReport = {
            address: "h:1",
            serverVersion: "v2.4.0",
            changed: false,
            summary: "s",
            recallThreshold: 0.9,
            collections: [],
            canaries: [],
            slo: [
                {
                    index: { field: "e", type: "HNSW", metric: "L2", params: {}, searchParams: { ef: 64 } },
                    slo: { ...slo, minQps: 1000 },
                    topK: 10,
                    collection: "milvus_gpu_canary_x",
                    removed: true,
                    measured,
                    passed: false,
                    failures: ["SLO missed: QPS 812.4 is below minQps 1000"],
                },
            ],
            passed: false,
            failures: [],
            timingsMs: { health: 1, reconcile: 1, verify: 1, total: 3 },
            finishedAt: "t",
        };
        const text = formatReport(report);
        expect(text).toContain("SLO:\n  HNSW/L2 {ef: 64} (minQps 1000): MISSED");
        expect(text).toContain("measured 812.4 QPS, p50 3 ms, p95 9 ms, p99 14.5 ms, recall@10 0.930, 0 errors, at concurrency 4 over 10 s on 10,000 rows");
        expect(text).toContain("bench collection milvus_gpu_canary_x removed");
    });
});
