import type { CanaryIndexReport } from "./report";
import { SloSettings } from "../spec/settings";

/** What the SLO gate measured and decided, and how its figures are written in failures. */
export interface SloMeasured {
    qps: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
    recall?: number;
    requests: number;
    errors: number;
    seconds: number;
    insertMs: number;
    buildMs: number;
    loadMs: number;
}

export interface SloReport {
    index: CanaryIndexReport;
    slo: SloSettings;
    topK: number;
    collection: string;
    removed: boolean;
    measured?: SloMeasured;
    passed: boolean;
    failures: string[];
}

export function formatMeasured(m: SloMeasured, slo: SloSettings, topK: number): string {
    return (
        `measured ${m.qps} QPS, p50 ${m.p50Ms} ms, p95 ${m.p95Ms} ms, p99 ${m.p99Ms} ms` +
        (m.recall !== undefined ? `, recall@${topK} ${m.recall.toFixed(3)}` : "") +
        `, ${m.errors} errors, at concurrency ${slo.concurrency} over ${m.seconds} s on ${slo.rows.toLocaleString("en-US")} rows`
    );
}

/** Which targets the measured figures miss, each sentence naming the target and the figure. */
export function sloMisses(m: SloMeasured, slo: SloSettings, topK: number): string[] {
    const misses: string[] = [];
    if (slo.minQps !== undefined && m.qps < slo.minQps) misses.push(`QPS ${m.qps} is below minQps ${slo.minQps}`);
    if (slo.maxP99Ms !== undefined && m.p99Ms > slo.maxP99Ms) misses.push(`p99 latency ${m.p99Ms} ms is above maxP99Ms ${slo.maxP99Ms}`);
    if (slo.minRecall !== undefined && (m.recall === undefined || m.recall < slo.minRecall)) {
        misses.push(`recall@${topK} ${m.recall?.toFixed(3) ?? "(not measured)"} is below minRecall ${slo.minRecall}`);
    }
    if (m.errors > 0) misses.push(`${m.errors} searches failed`);
    return misses;
}

