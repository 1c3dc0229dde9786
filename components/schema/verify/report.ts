import type { AccessReport } from "../access/step";
import { CapabilityCheck } from "../server/check";
import { formatMeasured, SloReport } from "./sloReport";
import { IndexParams } from "../spec/settings";

/**
 * What the schema step did and measured. Plain JSON (no classes, no bigint) so it can be a
 * Pulumi stack output and be printed by `npm run verify`.
 */
export interface CollectionReport {
    name: string;
    /** Its database, when not `default`. */
    database?: string;
    /** What reconciliation did: created it, added to it, or found it already matching. */
    status: "created" | "updated" | "unchanged";
    applied: string[];
    notes: string[];
    /** Read-only checks: loaded, and answering a search on each vector field. */
    loaded: boolean;
    rowCount?: number;
    searches: { field: string; indexType: string; metric: string; results: number; ms: number }[];
    passed: boolean;
    failures: string[];
}

export interface CanaryIndexReport {
    field: string;
    type: string;
    metric: string;
    params: IndexParams;
    searchParams: IndexParams;
    dim?: number;
    /** As reported by the server after the build (0 when it searches small segments without an index). */
    indexedRows?: number;
}

export interface CanaryReport {
    collection: string;
    index: CanaryIndexReport;
    sparseIndex?: CanaryIndexReport;
    rows: number;
    queries: number;
    topK: number;
    seed: number;
    /** recall@topK of the declared index's search against exact search computed in-process. */
    recall?: number;
    /** Same, for a search filtered on scalar fields (`category == ... and year >= ...`). */
    filteredRecall?: number;
    /** Every filtered result satisfied the filter. */
    filterRespected?: boolean;
    sparseRecall?: number;
    /** Share of hybrid (dense + sparse, weighted 0.7/0.3) searches that ranked the queried row first. */
    hybridTop1?: number;
    timingsMs: Record<string, number>;
    /** Facts worth knowing that are not failures (e.g. rows the server searched without the index). */
    notes: string[];
    removed: boolean;
    passed: boolean;
    failures: string[];
}

export interface SchemaReport {
    address: string;
    serverVersion: string;
    /** The declared schema against what the server's version can do (checked before any change). */
    capabilities?: CapabilityCheck;
    changed: boolean;
    summary: string;
    recallThreshold: number;
    collections: CollectionReport[];
    canaries: CanaryReport[];
    /** One per declared dense index when `verify.slo` is set (absent when the gate is off). */
    slo?: SloReport[];
    /** Declared databases, roles, grants and users: what was applied and what each user could and could not do. */
    access?: AccessReport;
    passed: boolean;
    failures: string[];
    timingsMs: { health: number; reconcile: number; verify: number; total: number };
    finishedAt: string;
}

/** The deploy must fail: a check did not pass. Carries the full report. */
export class VerificationFailedError extends Error {
    constructor(readonly report: SchemaReport) {
        super(`Milvus schema verification failed:\n${report.failures.map((f) => `  - ${f}`).join("\n")}\n\n${formatReport(report)}`);
        this.name = "VerificationFailedError";
    }
}

function fmtParams(p: IndexParams): string {
    const entries = Object.entries(p);
    return entries.length ? ` {${entries.map(([k, v]) => `${k}: ${v}`).join(", ")}}` : "";
}

function fmtRecall(r: number | undefined): string {
    return r === undefined ? "-" : r.toFixed(3);
}

/** Human-readable report: collections, indexes, recall, timings. */
export function formatReport(r: SchemaReport): string {
    const lines: string[] = [];
    lines.push(`Milvus ${r.address} (${r.serverVersion})`);
    lines.push(`Result: ${r.passed ? "PASSED" : "FAILED"} - ${r.summary}`);
    if (r.capabilities) {
        lines.push(
            r.capabilities.checked
                ? `Capabilities: the declared schema is within what ${r.capabilities.server} supports`
                : `Capabilities: not checked (${r.capabilities.note})`,
        );
    }
    lines.push("");
    lines.push("Collections:");
    if (!r.collections.length) lines.push("  (none declared)");
    for (const c of r.collections) {
        lines.push(`  ${c.database ? `${c.database}.` : ""}${c.name}: ${c.status}${c.loaded ? ", loaded" : ", NOT loaded"}${c.rowCount !== undefined ? `, ${c.rowCount} rows` : ""}`);
        for (const a of c.applied) lines.push(`    + ${a}`);
        for (const n of c.notes) lines.push(`    note: ${n}`);
        for (const s of c.searches) lines.push(`    search ${s.field} (${s.indexType}/${s.metric}): ${s.results} results in ${s.ms} ms`);
        for (const f of c.failures) lines.push(`    FAILED: ${f}`);
    }
    lines.push("");
    lines.push(`Canaries (recall threshold ${r.recallThreshold}):`);
    if (!r.canaries.length) lines.push("  (verification disabled)");
    for (const k of r.canaries) {
        lines.push(
            `  ${k.index.type}/${k.index.metric}${fmtParams(k.index.params)} search${fmtParams(k.index.searchParams)}, dim ${k.index.dim ?? "-"}, ` +
                `${k.rows} rows, ${k.queries} queries: ${k.passed ? "passed" : "FAILED"}`,
        );
        lines.push(
            `    recall@${k.topK} ${fmtRecall(k.recall)}, filtered ${fmtRecall(k.filteredRecall)}` +
                `${k.filterRespected === false ? " (filter violated)" : ""}` +
                (k.sparseIndex ? `, sparse (${k.sparseIndex.type}) ${fmtRecall(k.sparseRecall)}, hybrid top-1 ${fmtRecall(k.hybridTop1)}` : "") +
                (k.index.indexedRows !== undefined ? `, indexed rows ${k.index.indexedRows}` : ""),
        );
        lines.push(`    timings ms: ${Object.entries(k.timingsMs).map(([s, ms]) => `${s} ${ms}`).join(", ")}`);
        for (const n of k.notes) lines.push(`    note: ${n}`);
        lines.push(`    canary ${k.collection} ${k.removed ? "removed" : "NOT removed"}`);
        for (const f of k.failures) lines.push(`    FAILED: ${f}`);
    }
    if (r.slo) {
        lines.push("");
        lines.push("SLO:");
        for (const s of r.slo) {
            const targets = [
                s.slo.minQps !== undefined ? `minQps ${s.slo.minQps}` : "",
                s.slo.maxP99Ms !== undefined ? `maxP99Ms ${s.slo.maxP99Ms}` : "",
                s.slo.minRecall !== undefined ? `minRecall ${s.slo.minRecall}` : "",
            ].filter(Boolean);
            lines.push(`  ${s.index.type}/${s.index.metric}${fmtParams(s.index.searchParams)} (${targets.join(", ")}): ${s.passed ? "met" : "MISSED"}`);
            if (s.measured) lines.push(`    ${formatMeasured(s.measured, s.slo, s.topK)}`);
            lines.push(`    bench collection ${s.collection || "(none)"} ${s.removed ? "removed" : "NOT removed"}`);
            for (const f of s.failures) lines.push(`    FAILED: ${f}`);
        }
    }
    if (r.access) {
        lines.push("");
        const state = r.access.skipped
            ? `skipped (${r.access.skipped})`
            : !r.access.checked
              ? "applied, not verified (verify.enabled: false)"
              : r.access.passed
                ? "passed"
                : "FAILED";
        lines.push(`Access: ${state}`);
        for (const a of r.access.applied) lines.push(`  + ${a}`);
        for (const n of r.access.notes) lines.push(`  note: ${n}`);
        for (const u of r.access.users) {
            lines.push(`  user ${u.user} (roles ${u.roles.join(", ") || "none"}): ${u.failures.length ? "FAILED" : "passed"}${u.authenticated ? "" : ", could not sign in"}`);
            for (const p of u.probes) {
                const waited = p.waitedMs !== undefined ? ` (after ${(p.waitedMs / 1000).toFixed(1)} s)` : "";
                lines.push(`    ${p.expected === "allowed" ? "may" : "may not"} ${p.operation}: ${p.outcome}${waited}${p.passed ? "" : " (FAILED)"}`);
            }
            for (const n of u.notes) lines.push(`    note: ${n}`);
            for (const f of u.failures) lines.push(`    FAILED: ${f}`);
        }
    }
    lines.push("");
    lines.push(
        `Timings ms: health ${r.timingsMs.health}, reconcile ${r.timingsMs.reconcile}, verify ${r.timingsMs.verify}, total ${r.timingsMs.total}`,
    );
    return lines.join("\n");
}
