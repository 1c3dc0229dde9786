import { CronExpressionParser } from "cron-parser";
import { block, bool, hostAddress, int, mapping, matching, memory, parseWith, str, z } from "../configSchema";
import { isPinnedImage } from "../standalone/releases";

/**
 * `milvus-gpu:backup`: milvus-backup copying the deployment's segments and metadata to an
 * S3-compatible bucket that outlives the host, on a schedule and before a change that replaces
 * Milvus; and `restoreFrom`, which makes a new deployment start from one of those backups.
 */

/** Where backups go: any S3-compatible service (a MinIO elsewhere, AWS S3, ...). */
export interface BackupTarget {
    /** Host name or IP of the S3 API. */
    host: string;
    port: number;
    bucket: string;
    /** Path inside the bucket under which milvus-backup keeps its backups. */
    prefix: string;
    region?: string;
    /** HTTPS to the target. */
    tls: boolean;
}

export interface BackupSettings {
    /** Pinned milvus-backup image; undefined: the default for the deployed Milvus line. */
    image?: string;
    memoryBytes: number;
    target: BackupTarget;
    /** Five-field cron expression (UTC); undefined: on demand and before replacement only. */
    schedule?: string;
    /** How many of this deployment's own backups are kept; older ones are deleted after a successful run. */
    retain: number;
    /** Take a backup before a change that replaces the Milvus container (an image upgrade). */
    beforeReplace: boolean;
    /** Restore this backup ("latest": the newest under the target's prefix) when the deployment is first made. */
    restoreFrom?: string;
}

/** The block as a user writes it (stack file or component args); parseBackupSettings validates it. */
export interface BackupArgs {
    enabled?: boolean;
    image?: string;
    memory?: string;
    target: { endpoint: string; bucket: string; prefix?: string; region?: string; tls?: boolean };
    schedule?: string;
    retain?: number;
    beforeReplace?: boolean;
    restoreFrom?: string;
}

export const DEFAULT_BACKUP_MEMORY = "512m";

/** milvus-backup names a backup with letters, digits and underscores. */
export const BACKUP_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const BACKUP_NAME_ALLOWED = '"latest" or a backup name (letters, digits and _, starting with a letter or _)';

/** S3 bucket naming: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
const BUCKET = /^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const BUCKET_ALLOWED = "an S3 bucket name: 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit";

const PREFIX_ALLOWED = "a path inside the bucket: letters, digits, '_', '-', '.', '/' (no leading or trailing '/', no '..')";
const PREFIX = /^(?!.*\.\.)[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/** Busybox crond (in the milvus-backup image) and Kubernetes CronJobs both read plain numeric five-field lines. */
const CRON_ALLOWED = 'a five-field cron expression in UTC with numbers, "*", ",", "-" and "/" only, such as "0 3 * * *" (03:00 every day)';

export function cronProblem(expression: string): string | undefined {
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== 5 || fields.some((f) => !/^[0-9*,/-]+$/.test(f))) return CRON_ALLOWED;
    try {
        CronExpressionParser.parse(expression, { tz: "UTC" });
        return undefined;
    } catch (e) {
        return `${CRON_ALLOWED} (${(e as Error).message})`;
    }
}

/** The next `count` run times of a schedule (UTC), for reports and tests. */
export function nextRuns(expression: string, from: Date, count: number): Date[] {
    const it = CronExpressionParser.parse(expression, { tz: "UTC", currentDate: from });
    return Array.from({ length: count }, () => it.next().toDate());
}

const ENDPOINT_ALLOWED = 'host:port of an S3-compatible API, without a scheme, such as "backups.example.com:9000" or "s3.eu-west-1.amazonaws.com:443"';

const targetSchema = mapping(
    {
        endpoint: str(ENDPOINT_ALLOWED)
            .transform((v, ctx) => {
                const m = /^([^\s:/]+):(\d{1,5})$/.exec(v.trim());
                const p = m ? Number(m[2]) : NaN;
                if (!m || !hostAddress().safeParse(m[1]).success || p < 1 || p > 65535) {
                    ctx.addIssue({ code: "custom", message: ENDPOINT_ALLOWED, input: v });
                    return z.NEVER;
                }
                return { host: m[1], port: p };
            })
            .describe("host:port of the S3-compatible API backups are written to"),
        bucket: matching(BUCKET, BUCKET_ALLOWED).describe("bucket backups are written to (it must exist)"),
        prefix: matching(PREFIX, PREFIX_ALLOWED).default("milvus-backup").describe("path inside the bucket; backups of one deployment lineage share it, and restoreFrom: latest looks there"),
        region: str().optional().describe("region of the bucket (AWS S3)"),
        tls: bool().default(true).describe("HTTPS to the target (false only for a target on a private network)"),
    },
    "backup.target",
).describe("The S3-compatible bucket backups are written to; its keys are the backupAccessKey and backupSecretKey secrets");

export const backupShape = {
    enabled: bool().default(true).describe("false keeps the block but deploys no backup container"),
    image: str("a milvus-backup image pinned to an exact tag or digest, such as milvusdb/milvus-backup:v0.4.30")
        .refine(isPinnedImage, { error: "a milvus-backup image pinned to an exact tag or digest, such as milvusdb/milvus-backup:v0.4.30" })
        .optional()
        .describe("milvus-backup image (default: the release that serves the deployed Milvus line)"),
    memory: memory().prefault(DEFAULT_BACKUP_MEMORY).describe("memory limit of the backup container (swap capped at the same size)"),
    target: targetSchema,
    schedule: str(CRON_ALLOWED)
        .superRefine((v, ctx) => {
            const problem = cronProblem(v);
            if (problem) ctx.addIssue({ code: "custom", message: problem, input: v });
        })
        .optional()
        .describe('when backups run (five-field cron, UTC), e.g. "0 3 * * *"; unset: on demand and before replacement only'),
    retain: int({ min: 1, max: 1000 }).default(7).describe("how many of this deployment's backups to keep (older ones are deleted after a successful run)"),
    beforeReplace: bool().default(true).describe("take a backup before a change that replaces Milvus (an image upgrade)"),
    restoreFrom: matching(/^(latest|[A-Za-z_][A-Za-z0-9_]{0,254})$/, BACKUP_NAME_ALLOWED)
        .optional()
        .describe('restore this backup ("latest": the newest under target.prefix) when the deployment is first made, before the schema step'),
};

const backupSchema = block(backupShape, "backup")
    .transform((b): BackupSettings | undefined => {
        if (!b.enabled) return undefined;
        return {
            ...(b.image ? { image: b.image } : {}),
            memoryBytes: b.memory,
            target: { ...b.target.endpoint, bucket: b.target.bucket, prefix: b.target.prefix, ...(b.target.region ? { region: b.target.region } : {}), tls: b.target.tls },
            ...(b.schedule ? { schedule: b.schedule.trim().split(/\s+/).join(" ") } : {}),
            retain: b.retain,
            beforeReplace: b.beforeReplace,
            ...(b.restoreFrom ? { restoreFrom: b.restoreFrom } : {}),
        };
    })
    .describe("Backups to an S3-compatible bucket (milvus-backup), scheduled and before Milvus is replaced; restoreFrom starts a new deployment from one");

/** The block as stack files hold it (for the JSON Schema). */
export const backupSettingsSchema = block(backupShape, "backup").describe(
    "Backups to an S3-compatible bucket (milvus-backup), scheduled and before Milvus is replaced; restoreFrom starts a new deployment from one",
);

/** Validates `milvus-gpu:backup`; undefined when it is absent or `enabled: false`. */
export function parseBackupSettings(raw: unknown, field = "backup"): BackupSettings | undefined {
    if (raw === undefined || raw === null) return undefined;
    return parseWith(backupSchema, raw, field);
}

/** Backup names this deployment makes: `<prefix>_<UTC yyyymmdd_hhmmss>`, so retention can tell its own from others'. */
export function backupNamePrefix(namePrefix: string): string {
    const cleaned = namePrefix.replace(/[^A-Za-z0-9_]/g, "_");
    return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

