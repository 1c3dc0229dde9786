import { formatBytes } from "../backup/runs";
import { BackupRun, CollectionStatus, ContainerStatus, Gathered, isUnavailable, StatusReport } from "./report";

/*
 * The screen form of a StatusReport: pure (the time is given), so unit tests pin every line.
 */

/** "3 d 4 h", "5 h 12 min", "12 min", for a duration in seconds (negative: "ended"). */
export function formatDuration(seconds: number): string {
    const s = Math.max(0, Math.floor(seconds));
    const d = Math.floor(s / 86400);
    const h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60);
    if (d > 0) return `${d} d ${h} h`;
    if (h > 0) return `${h} h ${m} min`;
    return `${m} min`;
}

const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;
const na = (g: { unavailable: string }) => `unavailable (${g.unavailable})`;

function indexLine(c: CollectionStatus): string {
    if (c.indexes.length === 0) return "no index";
    return c.indexes
        .map((i) => {
            const progress = i.totalRows !== undefined && i.indexedRows !== undefined && i.state !== "Finished" ? ` ${i.indexedRows}/${i.totalRows}` : "";
            const failed = i.failReason ? ` (${i.failReason})` : "";
            return `${i.field} ${i.type || "?"} ${i.state}${progress}${failed}`;
        })
        .join(", ");
}

function collectionLines(c: CollectionStatus): string[] {
    const lines = [
        `  ${c.name}`,
        `    rows        ${c.rows ?? "?"}`,
        `    indexes     ${indexLine(c)}`,
        `    load        ${c.load}`,
        `    partitions  ${c.partitions.join(", ") || "-"}`,
        `    aliases     ${c.aliases.join(", ") || "-"}`,
    ];
    for (const p of c.problems) lines.push(`    ! ${p}`);
    return lines;
}

function containerLine(c: ContainerStatus): string {
    const state = c.health ? `${c.state}, ${c.health}` : c.state;
    let memory = "memory ?";
    if (c.memoryUsedBytes !== undefined && c.memoryLimitBytes) memory = `memory ${formatBytes(c.memoryUsedBytes)} of ${formatBytes(c.memoryLimitBytes)} (${percent(c.memoryUsedBytes, c.memoryLimitBytes)})`;
    else if (c.memoryUsedBytes !== undefined) memory = `memory ${formatBytes(c.memoryUsedBytes)} (no limit)`;
    else if (c.state !== "running") memory = "-";
    const restarts = c.restarts ? `, ${c.restarts} restarts` : "";
    return `  ${c.name.padEnd(28)} ${(c.role ?? "").padEnd(10)} ${state.padEnd(18)} ${memory}${restarts}`;
}

function runLine(r: BackupRun, now: Date): string {
    const ago = formatDuration((now.getTime() - Date.parse(r.startedAt)) / 1000);
    const what = r.ok ? `ok, ${r.collections ?? "?"} collections, ${formatBytes(r.sizeBytes)}` : `FAILED: ${r.error ?? "no reason recorded"}`;
    return `${r.name} (${r.trigger}) ${r.startedAt}, ${ago} ago, ${r.seconds} s: ${what}`;
}

function section<T>(title: string, g: Gathered<T> | undefined, lines: (v: T) => string[], absent: string): string[] {
    if (g === undefined) return [`${title}: ${absent}`];
    if (isUnavailable(g)) return [`${title}: ${na(g)}`];
    return lines(g);
}

export function formatStatus(r: StatusReport, now: Date): string {
    const m = r.milvus;
    const health = m.healthy === undefined ? "unknown" : m.healthy ? "healthy" : `NOT healthy${m.healthReasons.length ? `: ${m.healthReasons.join("; ")}` : ""}`;
    const out = [`Milvus ${m.version ?? "?"} at ${m.address}: ${health}`, ""];

    out.push(
        ...section(
            "Collections",
            m.collections,
            (cs) => (cs.length === 0 ? ["Collections: none"] : [`Collections (${cs.length}):`, ...cs.flatMap(collectionLines)]),
            "not gathered",
        ),
        "",
    );
    out.push(
        ...section("Containers", r.containers, (cs) => (cs.length === 0 ? ["Containers: none found"] : ["Containers:", ...cs.map(containerLine)]), "no Docker host known (--stack or --docker-host)"),
    );
    out.push(
        ...section(
            "Disk",
            r.disk,
            (d) => [
                `Disk: ${d.path} holds ${formatBytes(d.usedBytes)}; its filesystem is ${percent(d.filesystemUsedBytes, d.filesystemUsedBytes + d.filesystemAvailableBytes)} full (${formatBytes(d.filesystemAvailableBytes)} free of ${formatBytes(d.filesystemSizeBytes)})`,
            ],
            "no Docker host known",
        ),
    );
    out.push(
        ...section(
            "GPU",
            r.gpu,
            (gs) => (gs.length === 0 ? ["GPU: none listed by nvidia-smi"] : gs.map((g) => `GPU ${g.index} ${g.name}: ${g.memoryUsedMiB} of ${g.memoryTotalMiB} MiB (${percent(g.memoryUsedMiB, g.memoryTotalMiB)})`)),
            "no Docker host known",
        ),
    );
    out.push(
        ...section(
            "Backup",
            r.backup,
            (b) => {
                const head = `Backup (${b.container}, schedule ${b.schedule ?? "?"}, ${b.runs} runs recorded):`;
                if (!b.last) return [`${head} none yet`];
                const lines = [head, `  last        ${runLine(b.last, now)}`];
                if (b.lastSuccessful && b.lastSuccessful !== b.last && b.lastSuccessful.name !== b.last.name) lines.push(`  last good   ${runLine(b.lastSuccessful, now)}`);
                if (!b.lastSuccessful) lines.push("  last good   none");
                return lines;
            },
            "not configured",
        ),
    );
    out.push(
        ...section(
            "Rental",
            r.rental,
            (x) => {
                const left = (Date.parse(x.expiresAt) - now.getTime()) / 1000;
                const when = Number.isNaN(left) ? `ends ${x.expiresAt}` : left <= 0 ? `ENDED at ${x.expiresAt}` : `${formatDuration(left)} left (ends ${x.expiresAt})`;
                const warn = left > 0 && left < 86400 ? " -- take a backup and plan the move" : "";
                return [`Rental${x.orderId ? ` (Clore order ${x.orderId}${x.bidState ? `, ${x.bidState}` : ""})` : ""}: ${when}${warn}`];
            },
            "none (not a Clore.ai rental)",
        ),
    );
    return out.join("\n") + "\n";
}
