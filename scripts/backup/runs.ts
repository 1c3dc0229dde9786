/** One line of the backup container's runs.jsonl: what a backup run did. */
export interface BackupRun {
    name: string;
    trigger: string;
    startedAt: string;
    seconds: number;
    ok: boolean;
    sizeBytes: number | null;
    collections: number | null;
    error: string;
}

/** Parses runs.jsonl, skipping lines that are not records (a run cut off while writing). */
export function parseRuns(text: string): BackupRun[] {
    const out: BackupRun[] = [];
    for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        try {
            const r = JSON.parse(line) as Partial<BackupRun>;
            if (typeof r.name === "string" && typeof r.ok === "boolean") out.push(r as BackupRun);
        } catch {
            // a partial line
        }
    }
    return out;
}

export function formatBytes(n: number | null): string {
    if (n === null) return "?";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let v = n;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** The status screen: the latest runs (newest last) and the backups the target holds. */
export function formatStatus(runs: BackupRun[], names: string[], last = 10): string {
    const lines: string[] = [];
    const shown = runs.slice(-last);
    lines.push(`runs (last ${shown.length} of ${runs.length}):`);
    if (!shown.length) lines.push("  none yet");
    for (const r of shown) {
        const what = r.ok ? `ok, ${r.collections ?? "?"} collections, ${formatBytes(r.sizeBytes)}` : `FAILED: ${r.error}`;
        lines.push(`  ${r.startedAt}  ${r.trigger.padEnd(14)} ${r.name}  ${r.seconds}s  ${what}`);
    }
    lines.push(`backups in the target (${names.length}):`);
    for (const n of names) lines.push(`  ${n}`);
    const lastOk = [...runs].reverse().find((r) => r.ok);
    lines.push(lastOk ? `last good backup: ${lastOk.name} (${lastOk.startedAt})` : "last good backup: none");
    return lines.join("\n");
}
