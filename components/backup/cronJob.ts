import type { ClusterSettings } from "../cluster/config";
import { ObjectMeta, ownLabels } from "../cluster/extraObjects";
import { chartFullname, rootPasswordSecretName } from "../cluster/names";
import { binaryQuantity } from "../cluster/quantities";
import { CHART_MINIO_BUCKET, CHART_MINIO_PORT, CHART_MINIO_ROOT_PATH, chartMinioServiceName, clusterServiceName, ROOT_PASSWORD_SECRET_KEY } from "../cluster/values";
import { BackupEndpoints, milvusBackupYaml } from "./backupYaml";
import { BackupSettings, backupNamePrefix } from "./config";
import { OPS_SCRIPT } from "./opsScript";
import { BACKUP_CONFIG_PATH, BACKUP_STATE_DIR, backupImage, OPS_PATH } from "./specs";

/*
 * Cluster mode backups: a Kubernetes CronJob running the standalone backup container's ops
 * program (`run scheduled`) with the same pinned milvus-backup image, against the chart's Milvus
 * and MinIO. Pure builders: the component deploys these manifests and `npm run render` prints
 * them, so what is rendered is what is deployed.
 */

/** Keys of the backup Secret; values come from Pulumi secrets and are never in the ConfigMap. */
export const BACKUP_SECRET_KEYS = {
    minioAccessKey: "minio-access-key",
    minioSecretKey: "minio-secret-key",
    targetAccessKey: "target-access-key",
    targetSecretKey: "target-secret-key",
} as const;
export type BackupSecretKey = keyof typeof BACKUP_SECRET_KEYS;

/** Keys of the ConfigMap, mounted one file each (subPath) where the ops program expects them. */
const OPS_KEY = "milvus-backup-ops";
const CONFIG_KEY = "backup.yaml";

/** The API refuses CronJob names over 52 characters: the Jobs it makes append 11. */
export const CRON_JOB_NAME_LIMIT = 52;

export function backupObjectName(config: ClusterSettings): string {
    return `${chartFullname(config.releaseName, "milvus")}-backup`;
}

/** Where the chart puts Milvus and its MinIO; the CronJob runs in the same namespace, so short names resolve. */
export function chartBackupEndpoints(config: ClusterSettings): BackupEndpoints {
    const milvus = clusterServiceName(config);
    return {
        // The chart always runs with authentication on here (values.ts), and without Milvus TLS.
        milvus: { host: milvus, port: 19530, auth: true },
        store: { host: chartMinioServiceName(config), port: CHART_MINIO_PORT, bucket: CHART_MINIO_BUCKET, rootPath: CHART_MINIO_ROOT_PATH },
        // The proxy serves the management API on its metrics port, which the chart's Service carries (metrics.enabled).
        managementUrl: `http://${milvus}:9091`,
    };
}

/** milvus-backup's config for the chart's deployment. */
export function clusterMilvusBackupConfig(config: ClusterSettings, b: BackupSettings): string {
    return milvusBackupYaml(chartBackupEndpoints(config), b);
}

export interface ConfigMapManifest {
    apiVersion: "v1";
    kind: "ConfigMap";
    metadata: ObjectMeta;
    data: Record<string, string>;
}

export interface SecretManifest<V> {
    apiVersion: "v1";
    kind: "Secret";
    metadata: ObjectMeta;
    type: "Opaque";
    stringData: Record<string, V>;
}

export type EnvVar = { name: string; value: string } | { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } };

export interface CronJobContainer {
    name: string;
    image: string;
    imagePullPolicy: "IfNotPresent";
    command: string[];
    env: EnvVar[];
    resources: { limits: { memory: string }; requests: { memory: string } };
    volumeMounts: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
}

export interface CronJobManifest {
    apiVersion: "batch/v1";
    kind: "CronJob";
    metadata: ObjectMeta;
    spec: {
        schedule: string;
        timeZone: "Etc/UTC";
        concurrencyPolicy: "Forbid";
        startingDeadlineSeconds: number;
        successfulJobsHistoryLimit: number;
        failedJobsHistoryLimit: number;
        jobTemplate: {
            metadata: { labels: Record<string, string> };
            spec: {
                backoffLimit: number;
                activeDeadlineSeconds: number;
                template: {
                    metadata: { labels: Record<string, string> };
                    spec: {
                        restartPolicy: "Never";
                        containers: CronJobContainer[];
                        volumes: ({ name: string; configMap: { name: string; defaultMode: number } } | { name: string; emptyDir: Record<string, never> })[];
                    };
                };
            };
        };
    };
}

export interface ClusterBackupObjects<V> {
    configMap: ConfigMapManifest;
    secret: SecretManifest<V>;
    /** Absent without a schedule: cluster mode has no backup container to run one on demand in. */
    cronJob?: CronJobManifest;
}

function meta(config: ClusterSettings): ObjectMeta {
    return { name: backupObjectName(config), namespace: config.namespace, labels: ownLabels(config, "backup") };
}

const fromSecret = (name: string, secret: string, key: string): EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

/** The ops program's settings (see opsScript.ts) and milvus-backup's secret env overrides, by reference only. */
function backupEnv(config: ClusterSettings, b: BackupSettings): EnvVar[] {
    const secret = backupObjectName(config);
    const plain: [string, string][] = [
        // Namespace and release: two deployments sharing a target prefix never prune each other's backups.
        ["MB_NAME_PREFIX", backupNamePrefix(`${config.namespace}_${config.releaseName}`)],
        ["MB_RETAIN", String(b.retain)],
        ["MB_SCHEDULE", b.schedule ?? ""],
        ["MB_TARGET_URL", `${b.target.tls ? "https" : "http"}://${b.target.host}:${b.target.port}`],
        ["MB_TARGET_BUCKET", b.target.bucket],
        ["MB_TARGET_PREFIX", b.target.prefix],
        ...(b.target.region ? ([["MB_TARGET_REGION", b.target.region]] as [string, string][]) : []),
    ];
    return [
        ...plain.map(([name, value]) => ({ name, value })),
        fromSecret("MINIO_ACCESS_KEY", secret, BACKUP_SECRET_KEYS.minioAccessKey),
        fromSecret("MINIO_SECRET_KEY", secret, BACKUP_SECRET_KEYS.minioSecretKey),
        fromSecret("MINIO_BACKUP_ACCESS_KEY", secret, BACKUP_SECRET_KEYS.targetAccessKey),
        fromSecret("MINIO_BACKUP_SECRET_KEY", secret, BACKUP_SECRET_KEYS.targetSecretKey),
        // The Secret the Milvus pods read it from: one root password, one place.
        fromSecret("MILVUS_PASSWORD", rootPasswordSecretName(config.releaseName), ROOT_PASSWORD_SECRET_KEY),
    ];
}

/**
 * One scheduled run, then its record: runs.jsonl sits in an emptyDir that dies with the pod, so
 * in cluster mode the run records are the Job's logs (`kubectl logs job/<name>`), which keep the
 * ops program's "backup-ops:" lines and the JSON record printed here. The exit status is the run's.
 */
export function cronJobCommand(): string[] {
    return ["/bin/sh", "-c", `/bin/sh ${OPS_PATH} run scheduled; rc=$?; /bin/sh ${OPS_PATH} runs; exit $rc`];
}

function cronJob(config: ClusterSettings, b: BackupSettings, schedule: string, milvusVersion: string): CronJobManifest {
    const m = meta(config);
    const memory = binaryQuantity(b.memoryBytes);
    return {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: m,
        spec: {
            schedule,
            // The schedule is UTC, as in standalone mode (the ops program matches it against `date -u`).
            timeZone: "Etc/UTC",
            // One backup at a time: the ops program's lock lives in the pod, so overlap is stopped here.
            concurrencyPolicy: "Forbid",
            // A run missed by more than an hour (controller down) is skipped; the next one comes on time.
            startingDeadlineSeconds: 3600,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            jobTemplate: {
                metadata: { labels: m.labels },
                spec: {
                    // A failed run is not retried at once (it would add another half-made backup); the next schedule is the retry.
                    backoffLimit: 0,
                    // A hung run must not block every later one (concurrencyPolicy: Forbid).
                    activeDeadlineSeconds: 86400,
                    template: {
                        metadata: { labels: m.labels },
                        spec: {
                            restartPolicy: "Never",
                            containers: [
                                {
                                    name: "backup",
                                    image: backupImage(b, milvusVersion),
                                    imagePullPolicy: "IfNotPresent",
                                    command: cronJobCommand(),
                                    env: backupEnv(config, b),
                                    resources: { limits: { memory }, requests: { memory } },
                                    volumeMounts: [
                                        { name: "ops", mountPath: OPS_PATH, subPath: OPS_KEY, readOnly: true },
                                        { name: "ops", mountPath: BACKUP_CONFIG_PATH, subPath: CONFIG_KEY, readOnly: true },
                                        { name: "state", mountPath: BACKUP_STATE_DIR },
                                    ],
                                },
                            ],
                            volumes: [
                                { name: "ops", configMap: { name: m.name, defaultMode: 0o555 } },
                                { name: "state", emptyDir: {} },
                            ],
                        },
                    },
                },
            },
        },
    };
}

/**
 * The ConfigMap (ops program and milvus-backup's config), the Secret (MinIO and target keys, as
 * given: Pulumi secrets when deployed, placeholders when rendered) and, with a schedule, the CronJob.
 */
export function clusterBackupObjects<V>(
    config: ClusterSettings,
    b: BackupSettings,
    milvusVersion: string,
    secretValues: Record<BackupSecretKey, V>,
): ClusterBackupObjects<V> {
    const m = meta(config);
    const stringData = Object.fromEntries((Object.keys(BACKUP_SECRET_KEYS) as BackupSecretKey[]).map((k) => [BACKUP_SECRET_KEYS[k], secretValues[k]]));
    return {
        configMap: { apiVersion: "v1", kind: "ConfigMap", metadata: m, data: { [OPS_KEY]: OPS_SCRIPT, [CONFIG_KEY]: clusterMilvusBackupConfig(config, b) } },
        secret: { apiVersion: "v1", kind: "Secret", metadata: m, type: "Opaque", stringData },
        ...(b.schedule ? { cronJob: cronJob(config, b, b.schedule, milvusVersion) } : {}),
    };
}
