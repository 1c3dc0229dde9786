import { stringify } from "yaml";
import { nextRuns } from "../backup/config";
import { AlertThresholds } from "./config";
import { MonitoredDeployment, WatchedContainer } from "./deployment";
import { JOBS } from "./prometheusConfig";
import { NODE_DATA_MOUNT } from "./paths";

/*
 * Alert rules, and where each one's metric comes from:
 * - Milvus unhealthy: Prometheus's own `up` for the milvus job (9091 serves /metrics and /healthz).
 * - Memory: each Go process's `process_resident_memory_bytes` (Milvus, etcd) and MinIO's
 *   `minio_node_process_resident_memory_bytes`, against the container's limit baked in here.
 * - Disk: node-exporter's filesystem metrics of the data directory, mounted into it read-only.
 * - Backup: `milvus_gpu_backup_last_success_timestamp_seconds`, which node-exporter's textfile
 *   collector serves from the backup container's runs.jsonl (see backupMetricsScript).
 * - Rental: the order's end is known at deploy time; a recording rule turns it into a series.
 */

export const BACKUP_SUCCESS_METRIC = "milvus_gpu_backup_last_success_timestamp_seconds";
export const RENTAL_END_METRIC = "milvus_gpu:rental_expires_timestamp_seconds";

interface Rule {
    alert?: string;
    record?: string;
    expr: string;
    for?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}

const memoryExpr: Record<"milvus" | "etcd" | "minio", string> = {
    milvus: `process_resident_memory_bytes{job="${JOBS.milvus}"}`,
    etcd: `process_resident_memory_bytes{job="${JOBS.etcd}"}`,
    minio: `max(minio_node_process_resident_memory_bytes{job="${JOBS.minio}"})`,
};

function memoryRule(kind: keyof typeof memoryExpr, c: WatchedContainer, percent: number): Rule {
    return {
        alert: "ContainerMemoryHigh",
        expr: `${memoryExpr[kind]} > ${percent / 100} * ${c.memoryBytes}`,
        for: "5m",
        labels: { severity: "warning", container: c.containerName },
        annotations: {
            summary: `${c.containerName} uses more than ${percent}% of its ${Math.round(c.memoryBytes / 1024 ** 2)} MiB memory limit`,
            description: "Near its limit the container is killed (OOM). Raise its memory setting or reduce the loaded data.",
        },
    };
}

/** The longest gap between two consecutive runs of a cron schedule, in seconds (over a leap-year cycle, at most 2000 runs). */
export function longestScheduleGapSeconds(schedule: string, from = new Date(Date.UTC(2028, 0, 1))): number {
    const runs = nextRuns(schedule, from, 2000);
    let gap = 0;
    for (let i = 1; i < runs.length; i++) gap = Math.max(gap, (runs[i].getTime() - runs[i - 1].getTime()) / 1000);
    return gap;
}

function backupRules(schedule: string, graceMinutes: number): Rule[] {
    const window = longestScheduleGapSeconds(schedule) + graceMinutes * 60;
    const summary = `no successful backup within ${formatSeconds(window)} (schedule "${schedule}" plus ${graceMinutes} min)`;
    const annotations = { summary, description: "See `npm run backup -- --status` and the backup container's log." };
    return [
        { alert: "BackupMissing", expr: `time() - ${BACKUP_SUCCESS_METRIC} > ${window}`, for: "1m", labels: { severity: "critical", reason: "overdue" }, annotations },
        // No successful run recorded at all, for a whole window (a new deployment gets its first window).
        { alert: "BackupMissing", expr: `absent(${BACKUP_SUCCESS_METRIC})`, for: `${window}s`, labels: { severity: "critical", reason: "never" }, annotations },
    ];
}

function rentalRules(expiresAt: string, hours: number): Rule[] {
    const end = Math.floor(Date.parse(expiresAt) / 1000);
    if (!Number.isFinite(end)) throw new Error(`rental.expiresAt: invalid value "${expiresAt}": expected an ISO 8601 time such as 2026-12-31T12:00:00Z`);
    return [
        { record: RENTAL_END_METRIC, expr: `vector(${end})` },
        {
            alert: "RentalEndingSoon",
            expr: `${RENTAL_END_METRIC} - time() < ${hours * 3600}`,
            labels: { severity: "critical" },
            annotations: {
                summary: `the Clore.ai rental ends at ${new Date(end * 1000).toISOString()} (less than ${hours} h left)`,
                description: "Take a backup (npm run backup) and plan the move (backup.restoreFrom on a new stack), or extend the order.",
            },
        },
    ];
}

/**
 * Used space as df shows it: used / (used + available to users). Blocks reserved for root count
 * as neither, so a disk with reserved blocks is not reported fuller than df says.
 */
export function diskUsedPercent(selector: string): string {
    const used = `(node_filesystem_size_bytes${selector} - node_filesystem_free_bytes${selector})`;
    return `100 * ${used} / (${used} + node_filesystem_avail_bytes${selector})`;
}

export function alertRules(d: MonitoredDeployment, a: AlertThresholds): Rule[] {
    const rules: Rule[] = [
        {
            alert: "MilvusUnhealthy",
            expr: `up{job="${JOBS.milvus}"} == 0 or absent(up{job="${JOBS.milvus}"})`,
            for: "2m",
            labels: { severity: "critical", container: d.milvus.containerName },
            annotations: { summary: `Milvus (${d.milvus.containerName}) does not answer on 9091 (metrics and /healthz)`, description: `docker logs ${d.milvus.containerName}` },
        },
        memoryRule("milvus", d.milvus, a.memoryPercent),
        memoryRule("etcd", d.etcd, a.memoryPercent),
        memoryRule("minio", d.minio, a.memoryPercent),
        {
            alert: "DataDiskFull",
            expr: `${diskUsedPercent(`{job="${JOBS.node}",mountpoint="${NODE_DATA_MOUNT}"}`)} > ${a.diskPercent}`,
            for: "10m",
            labels: { severity: "warning" },
            annotations: { summary: `the filesystem of ${d.dataDir} is more than ${a.diskPercent}% full`, description: "Milvus, etcd and MinIO stop writing when it fills. Free space or grow the disk." },
        },
    ];
    if (d.backup?.schedule) rules.push(...backupRules(d.backup.schedule, a.backupGraceMinutes));
    if (d.rentalExpiresAt) rules.push(...rentalRules(d.rentalExpiresAt, a.rentalHours));
    return rules;
}

/** The rule file Prometheus loads (promtool check rules accepts it). */
export function alertRulesYaml(d: MonitoredDeployment, a: AlertThresholds): string {
    return stringify({ groups: [{ name: "milvus-gpu", rules: alertRules(d, a) }] });
}

function formatSeconds(s: number): string {
    if (s % 86400 === 0) return `${s / 86400} d`;
    if (s % 3600 === 0) return `${s / 3600} h`;
    return `${Math.round(s / 60)} min`;
}
