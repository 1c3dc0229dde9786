/**
 * One line of the backup container's runs.jsonl: what a backup run did. A field the run could
 * not measure (a failed run's size) is absent; the file writes it as null or "".
 */
export interface BackupRun {
    name: string;
    trigger: string;
    startedAt: string;
    seconds: number;
    ok: boolean;
    sizeBytes?: number;
    collections?: number;
    error?: string;
}

/** Parses runs.jsonl, skipping lines that are not records (a run cut off while writing). */
export function parseRuns(text: string): BackupRun[] {
    const runs: BackupRun[] = [];
    for (const line of text.split("\n")) {
        if (!line.trim().startsWith("{")) continue;
        let r: Record<string, unknown>;
        try {
            r = JSON.parse(line) as Record<string, unknown>;
        } catch {
            continue; // a line cut short by a crash mid-write: the others still count
        }
        if (typeof r.name !== "string" || typeof r.startedAt !== "string" || typeof r.ok !== "boolean") continue;
        runs.push({
            name: r.name,
            trigger: String(r.trigger ?? ""),
            startedAt: r.startedAt,
            seconds: Number(r.seconds ?? 0),
            ok: r.ok,
            ...(typeof r.sizeBytes === "number" ? { sizeBytes: r.sizeBytes } : {}),
            ...(typeof r.collections === "number" ? { collections: r.collections } : {}),
            ...(typeof r.error === "string" && r.error !== "" ? { error: r.error } : {}),
        });
    }
    return runs;
}

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** Binary units, one decimal below 100 of a unit; "?" when the size is unknown. */
export function formatBytes(n: number | undefined): string {
    if (n === undefined) return "?";
    if (n >= 100 * GiB) return `${Math.round(n / GiB)} GiB`;
    if (n >= GiB) return `${(n / GiB).toFixed(1)} GiB`;
    if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
    if (n >= KiB) return `${(n / KiB).toFixed(1)} KiB`;
    return `${n} B`;
}

/** The status screen: the latest runs (newest last) and the backups the target holds. */
export function formatStatus(runs: BackupRun[], names: string[], last = 10): string {
    const lines: string[] = [];
    const shown = runs.slice(-last);
    lines.push(`runs (last ${shown.length} of ${runs.length}):`);
    if (!shown.length) lines.push("  none yet");
    for (const r of shown) {
        const what = r.ok ? `ok, ${r.collections ?? "?"} collections, ${formatBytes(r.sizeBytes)}` : `FAILED: ${r.error ?? "no reason recorded"}`;
        lines.push(`  ${r.startedAt}  ${r.trigger.padEnd(14)} ${r.name}  ${r.seconds}s  ${what}`);
    }
    lines.push(`backups in the target (${names.length}):`);
    for (const n of names) lines.push(`  ${n}`);
    const lastOk = [...runs].reverse().find((r) => r.ok);
    lines.push(lastOk ? `last good backup: ${lastOk.name} (${lastOk.startedAt})` : "last good backup: none");
    return lines.join("\n");
}
