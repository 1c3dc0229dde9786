import { REFERENCE_ROWS } from "./references";
import { BenchReport } from "../../components/bench/report";

/** The human-readable report: setup, ingest, one table per index, the reference rows. */

function table(header: string[], rows: (string | number)[][]): string[] {
    const cells = [header, ...rows.map((r) => r.map(String))];
    const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
    const line = (r: string[]) => "  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    return [line(cells[0]), "  " + widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)];
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const n = (x: number) => Math.round(x).toLocaleString("en-US");
const ms = (x: number | undefined) => (x === undefined ? "-" : x.toFixed(x < 10 ? 2 : 1));

export function formatBenchReport(r: BenchReport): string {
    const w = r.workload;
    const out: string[] = [];
    out.push(`milvus-gpu bench against ${r.target.address} (${r.target.embedded ? "embedded Milvus Lite, " : ""}server ${r.target.serverVersion})`);
    out.push(
        `Machine: ${r.machine.cpus} CPUs (${r.machine.cpuModel}), load average ${r.machine.loadAverageStart.join(" ")} at start, ` +
            `${r.machine.loadAverageEnd.join(" ")} at end; Node ${r.machine.node}`,
    );
    out.push(
        `Workload: ${n(w.rows)} rows x ${w.dim} dims (seeded clustered vectors, seed ${w.seed}), top-${w.topK}, ` +
            `${w.queries} distinct queries (${w.recallQueries} for recall)${w.queriesPerRequest > 1 ? `, ${w.queriesPerRequest} per request (QPS counts queries, latency is per request)` : ", one per request"}, ${w.durationSeconds} s per level, concurrency ${w.concurrency.join(", ")}` +
            (w.filter ? `, filter \`${w.filter}\`${r.rowsPassingFilter !== undefined ? ` (${n(r.rowsPassingFilter)} rows pass)` : ""}` : ""),
    );
    out.push(
        `Ingest: ${n(r.ingest.rows)} rows in ${r.ingest.batches} batches of ${n(w.batchSize)}: insert ${s(r.ingest.insertMs)} ` +
            `(${n(r.ingest.rowsPerSecond)} rows/s, generating them here ${s(r.ingest.generateMs)} of it), flush ${s(r.ingest.flushMs)}; ` +
            `exact search for recall ${s(r.groundTruthMs)}`,
    );
    out.push(
        `Memory: bench process peak RSS ${r.memory.benchPeakRssMiB} MiB (vectors held at once <= ${r.memory.vectorsInFlightCeilingMiB} MiB)` +
            (r.memory.serverPeakRssMiB !== undefined ? `, Milvus Lite peak RSS ${r.memory.serverPeakRssMiB} MiB` : "") +
            (r.memory.comparisonPeakRssMiB !== undefined ? `, ${r.comparisonClient ?? "comparison"} process peak RSS ${r.memory.comparisonPeakRssMiB} MiB` : ""),
    );
    const other = r.comparisonClient?.split(" ")[0];
    for (const ix of r.indexes) {
        out.push("");
        out.push(
            `${ix.label} ${JSON.stringify(ix.index.params)}: build ${s(ix.buildMs)}, load ${s(ix.loadMs)}` +
                (ix.indexedRows !== undefined ? `, ${n(ix.indexedRows)} rows indexed` : "") +
                `, recall@${w.topK} ${ix.recall?.toFixed(3) ?? "-"}` +
                (ix.filteredRecall !== undefined ? `, filtered recall@${w.topK} ${ix.filteredRecall.toFixed(3)}` : ""),
        );
        const header = ["concurrency", "QPS", "p50 ms", "p95 ms", "p99 ms", "errors"];
        if (other) header.push(`${other} QPS`, "p50 ms", "p99 ms", `node/${other}`);
        if (ix.filtered.length) header.push("filtered QPS", "p99 ms");
        const rows = ix.levels.map((l, i) => {
            const row: (string | number)[] = [l.concurrency, l.node.qps.toFixed(1), ms(l.node.latencyMs.p50), ms(l.node.latencyMs.p95), ms(l.node.latencyMs.p99), l.node.errors];
            if (other) row.push(l.comparison?.qps.toFixed(1) ?? "-", ms(l.comparison?.latencyMs.p50), ms(l.comparison?.latencyMs.p99), l.ratio?.toFixed(2) ?? "-");
            const f = ix.filtered[i];
            if (ix.filtered.length) row.push(f ? f.qps.toFixed(1) : "-", ms(f?.latencyMs.p99));
            return row;
        });
        out.push(...table(header, rows));
    }
    out.push("");
    out.push("References (measured elsewhere, NOT by this run):");
    out.push(...table(["source", "hardware", "vectors", "index", "QPS", "how"], REFERENCE_ROWS.map((x) => [x.source, x.hardware, x.vectors, x.index, n(x.qps), x.note])));
    out.push("");
    out.push(`Result: ${r.passed ? "completed" : "FAILED"} in ${s(r.totalMs)}; bench collection ${r.collection} ${r.removed ? "dropped" : "NOT dropped"}`);
    for (const f of r.failures) out.push(`  FAILED: ${f}`);
    return out.join("\n");
}
