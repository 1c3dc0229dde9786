import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchemaSettings } from "../../components/schema/spec/parse";
import { runSchemaPipeline } from "../../components/schema/step/pipeline";
import { makeSchemaProvider, pipelineModule, SchemaDeploymentInputs } from "../../components/schema/step/provider";
import { VerificationFailedError } from "../../components/schema/verify/report";
import { MilvusTarget, startTarget, uniqueName } from "./milvusTarget";
import { lineLog, stillOnServer, throwawayNames } from "./throwaway";

function spec(name: string) {
    return parseSchemaSettings({
        collections: [
            {
                name,
                fields: [
                    { name: "id", type: "INT64", primary: true, autoId: true },
                    { name: "embedding", type: "FLOAT_VECTOR", dim: 32 },
                ],
                indexes: [{ field: "embedding", type: "HNSW", metric: "COSINE", params: { M: 16, efConstruction: 100 }, searchParams: { ef: 64 } }],
            },
        ],
    });
}

const verifyWith = (slo: Record<string, number>) => ({ canaryRows: 200, queries: 10, topK: 10, seed: 5, slo: { rows: 2000, concurrency: 2, durationSeconds: 2, ...slo } });

describe("verify.slo: the SLO gate of the schema step", () => {
    let target: MilvusTarget;
    let client: MilvusClient;
    const opts = () => ({ address: target.address, ...(target.token ? { token: target.token } : {}) });
    /** This run's throwaways (canaries, the SLO's bench collection) still on the server; other files' come and go on a shared one. */
    const leftovers = async (lines: readonly string[]) => stillOnServer(client, throwawayNames(lines));

    beforeAll(async () => {
        target = await startTarget();
        client = target.client();
    });
    afterAll(async () => {
        await target?.stop();
    });

    it("passes a met SLO and reports what it measured", async () => {
        const { lines, log } = lineLog();
        const report = await runSchemaPipeline({ ...opts(), spec: spec(uniqueName("slo_met")), verify: verifyWith({ minQps: 1, maxP99Ms: 60_000, minRecall: 0.5 }), log });
        expect(report.passed).toBe(true);
        expect(report.summary).toContain("SLO met");
        expect(report.slo).toHaveLength(1);
        const [slo] = report.slo!;
        expect(slo).toMatchObject({ passed: true, removed: true, failures: [], index: { type: "HNSW", metric: "COSINE", dim: 32 } });
        expect(slo.measured!.qps).toBeGreaterThan(1);
        expect(slo.measured!.requests).toBeGreaterThan(0);
        expect(slo.measured!.errors).toBe(0);
        expect(slo.measured!.p50Ms).toBeLessThanOrEqual(slo.measured!.p99Ms);
        expect(slo.measured!.recall).toBeGreaterThanOrEqual(0.5);
        expect(slo.measured!.recall).toBeLessThanOrEqual(1);
        expect(throwawayNames(lines)).toEqual([report.canaries[0].collection, slo.collection]);
        expect(await leftovers(lines)).toEqual([]);
    });

    it("fails the step with the measured figures when minQps is out of reach, and still drops its collection", async () => {
        const { lines, log } = lineLog();
        const run = runSchemaPipeline({ ...opts(), spec: spec(uniqueName("slo_missed")), verify: verifyWith({ minQps: 1e9 }), log });
        const error = await run.then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(VerificationFailedError);
        const report = (error as VerificationFailedError).report;
        const [slo] = report.slo!;
        expect(slo.passed).toBe(false);
        expect(slo.removed).toBe(true);
        const failure = report.failures.find((f) => f.startsWith("slo HNSW/COSINE: SLO missed"))!;
        expect(failure).toMatch(new RegExp(`QPS ${slo.measured!.qps} is below minQps 1000000000`));
        expect(failure).toMatch(/measured [\d.]+ QPS, p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms, recall@10 [\d.]+, 0 errors, at concurrency 2 over [\d.]+ s on 2,000 rows/);
        // The message `pulumi up` prints carries the same figures.
        expect((error as Error).message).toContain(failure);
        expect((error as Error).message).toContain("SLO:\n  HNSW/COSINE {ef: 64} (minQps 1000000000): MISSED");
        // The canaries themselves passed: only the SLO failed.
        expect(report.canaries.every((c) => c.passed)).toBe(true);
        expect(throwawayNames(lines)).toEqual([report.canaries[0].collection, slo.collection]);
        expect(await leftovers(lines)).toEqual([]);
    });

    it("says so when no dense index is declared, rather than passing an SLO it never measured", async () => {
        const report = await runSchemaPipeline({ ...opts(), spec: { collections: [] }, verify: verifyWith({ minQps: 1e9 }) });
        expect(report.slo).toEqual([]);
        expect(report.summary).toContain("SLO not run: no dense vector index declared");
    });

    it("a missed p99 target fails `create` of the dynamic provider, which is what fails `pulumi up`", async () => {
        const provider = makeSchemaProvider(pipelineModule());
        const inputs = { ...opts(), spec: spec(uniqueName("slo_provider")), verify: verifyWith({ maxP99Ms: 0.001 }) };
        expect((await provider.check!({} as SchemaDeploymentInputs, inputs as unknown as SchemaDeploymentInputs)).failures ?? []).toEqual([]);
        await expect(provider.create(inputs as unknown as SchemaDeploymentInputs)).rejects.toThrow(/slo HNSW\/COSINE: SLO missed: p99 latency [\d.]+ ms is above maxP99Ms 0\.001 \(measured [\d.]+ QPS/);
    });
});
