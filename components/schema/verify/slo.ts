import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { runBench } from "../../bench/run";
import { BenchWorkload, parseBenchWorkload } from "../../bench/workload";
import { CanaryTarget } from "./canary";
import { CanaryIndexReport } from "./report";
import { formatMeasured, sloMisses, SloReport } from "./sloReport";
import { SloSettings, VerifySettings } from "../spec/settings";

/**
 * The SLO gate of the schema step: a short benchmark (the bench's own workload and
 * measurements) on a canary collection per declared dense index, always dropped, held to
 * `verify.slo`. Misses are failures carrying the measured figures, so `pulumi up` says
 * by how much the deployment fell short.
 */

/** Distinct query vectors the SLO load cycles through. */
const SLO_QUERIES = 1000;

export async function runSloGate(
    client: MilvusClient,
    target: CanaryTarget,
    verify: VerifySettings & { slo: SloSettings },
    address: string,
    log: (line: string) => void = () => {},
): Promise<SloReport> {
    const slo = verify.slo;
    const ix = target.index;
    const index: CanaryIndexReport = { field: ix.field, type: ix.type, metric: ix.metric, params: ix.params, searchParams: ix.searchParams, ...(target.dim ? { dim: target.dim } : {}) };
    const report: SloReport = { index, slo, topK: verify.topK, collection: "", removed: false, passed: false, failures: [] };
    let workload: BenchWorkload;
    try {
        workload = parseBenchWorkload({
            rows: slo.rows,
            dim: target.dim,
            indexes: [{ type: ix.type, metric: ix.metric, params: ix.params, searchParams: ix.searchParams }],
            topK: verify.topK,
            filter: "",
            concurrency: [slo.concurrency],
            durationSeconds: slo.durationSeconds,
            queries: SLO_QUERIES,
            recallQueries: verify.queries,
            seed: verify.seed,
            stepTimeoutSeconds: verify.stepTimeoutSeconds,
        });
    } catch (e) {
        report.failures.push(`the declared index cannot be benchmarked: ${(e as Error).message}`);
        return report;
    }
    log(`SLO check of ${ix.type}/${ix.metric}: ${slo.rows} rows, concurrency ${slo.concurrency}, ${slo.durationSeconds}s`);
    const bench = await runBench(client, workload, { address, log: (line) => log(`  slo: ${line.trim()}`) });
    report.collection = bench.collection;
    report.removed = bench.removed;
    const result = bench.indexes[0];
    const level = result?.levels[0]?.node;
    if (result && level) {
        report.measured = {
            qps: level.qps,
            p50Ms: level.latencyMs.p50,
            p95Ms: level.latencyMs.p95,
            p99Ms: level.latencyMs.p99,
            ...(result.recall !== undefined ? { recall: result.recall } : {}),
            requests: level.requests,
            errors: level.errors,
            seconds: level.seconds,
            insertMs: bench.ingest.insertMs,
            buildMs: result.buildMs,
            loadMs: result.loadMs,
        };
        const misses = sloMisses(report.measured, slo, verify.topK);
        if (misses.length) report.failures.push(`SLO missed: ${misses.join("; ")} (${formatMeasured(report.measured, slo, verify.topK)})`);
    }
    // Errors of the run itself (a failed insert, build, drop...), minus failed searches already counted above.
    report.failures.push(...bench.failures.filter((f) => !/failed searches at concurrency/.test(f)));
    report.passed = report.failures.length === 0;
    return report;
}
