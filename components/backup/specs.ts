import { stringify } from "yaml";
import { ContainerSpec } from "../standalone/containerSpec";
import { StandaloneSettings } from "../standalone/settings";
import { GENERATED_SERVER_NAME, TLS_CERT_FILE, TLS_CONTAINER_DIR, tlsHostDir } from "../standalone/tlsCertificate";
import { defaultBackupImage } from "./compatibility";
import { BackupConfig, backupNamePrefix } from "./config";
import { OPS_SCRIPT } from "./opsScript";

/*
 * Pure builders: settings -> the backup container. The program, the render and the policy
 * pack read these, so what is rendered is what is deployed.
 */

/** Where the ops program, milvus-backup's config and the run records live in the container. */
export const BACKUP_HOME = "/milvus-backup";
export const OPS_PATH = `${BACKUP_HOME}/bin/milvus-backup-ops`;
export const BACKUP_CONFIG_PATH = `${BACKUP_HOME}/backup.yaml`;
export const BACKUP_STATE_DIR = `${BACKUP_HOME}/state`;

/** Milvus's own bucket and root path in the deployment's MinIO (the image defaults). */
export const MILVUS_BUCKET = "a-bucket";
export const MILVUS_ROOT_PATH = "files";

export function backupContainerName(s: StandaloneSettings): string {
    return `${s.namePrefix}-backup`;
}

/** Host directory with the run records (runs.jsonl) and milvus-backup's log: they outlive the container. */
export function backupStateHostDir(s: StandaloneSettings): string {
    return `${s.dataDir}/backup`;
}

/** The image that runs: the one given, else the release that serves the deployed Milvus line. */
export function backupImage(b: BackupConfig, milvusVersion: string): string {
    const image = b.image ?? defaultBackupImage(milvusVersion);
    // Config validation refuses this case first; kept so a direct caller gets a clear error too.
    if (!image) throw new Error(`backup.image: no milvus-backup release is known for Milvus ${milvusVersion}; pin one`);
    return image;
}

/**
 * milvus-backup's config (the pre-v2 layout, which every release reads): Milvus and its MinIO on
 * the deployment's network, the target bucket for backups. Keys and passwords are not here: they
 * go in as milvus-backup's env overrides, which Pulumi keeps secret.
 */
export function milvusBackupConfig(s: StandaloneSettings, b: BackupConfig): string {
    const tls = s.milvus.tls !== undefined;
    return stringify({
        log: { level: "info", console: false, file: { rootPath: `${BACKUP_STATE_DIR}/milvus-backup.log` } },
        http: { simpleResponse: true },
        milvus: {
            address: "standalone",
            port: 19530,
            authorizationEnabled: s.milvus.auth,
            tlsMode: tls ? 1 : 0,
            user: s.milvus.auth ? "root" : "",
            ...(tls ? { tlsCertPath: `${TLS_CONTAINER_DIR}/${TLS_CERT_FILE}`, serverName: GENERATED_SERVER_NAME } : {}),
        },
        minio: {
            storageType: "minio",
            address: "minio",
            port: 9000,
            useSSL: false,
            useIAM: false,
            bucketName: MILVUS_BUCKET,
            rootPath: MILVUS_ROOT_PATH,
            backupStorageType: "minio",
            backupAddress: b.target.host,
            backupPort: b.target.port,
            backupUseSSL: b.target.tls,
            backupUseIAM: false,
            backupBucketName: b.target.bucket,
            backupRootPath: b.target.prefix,
            ...(b.target.region ? { backupRegion: b.target.region } : {}),
            // The target is another service than Milvus's MinIO: data is copied through milvus-backup.
            crossStorage: "true",
        },
        backup: {
            maxSegmentGroupSize: "2G",
            parallelism: { backupCollection: 2, copydata: 16, restoreCollection: 2 },
            keepTempFiles: false,
            gcPause: { enable: true, seconds: 7200, address: "http://standalone:9091" },
        },
    });
}

export function backupContainerSpec(s: StandaloneSettings, b: BackupConfig, milvusVersion: string): ContainerSpec {
    const env: ContainerSpec["env"] = {
        MB_NAME_PREFIX: backupNamePrefix(s.namePrefix),
        MB_RETAIN: String(b.retain),
        MB_SCHEDULE: b.schedule ?? "",
        MB_TARGET_URL: `${b.target.tls ? "https" : "http"}://${b.target.host}:${b.target.port}`,
        MB_TARGET_BUCKET: b.target.bucket,
        MB_TARGET_PREFIX: b.target.prefix,
        ...(b.target.region ? { MB_TARGET_REGION: b.target.region } : {}),
        // milvus-backup's env overrides (all releases): the secrets stay out of the config file.
        MINIO_ACCESS_KEY: { secret: "minioAccessKey" },
        MINIO_SECRET_KEY: { secret: "minioSecretKey" },
        MINIO_BACKUP_ACCESS_KEY: { secret: "backupAccessKey" },
        MINIO_BACKUP_SECRET_KEY: { secret: "backupSecretKey" },
    };
    if (s.milvus.auth) env.MILVUS_PASSWORD = { secret: "milvusRootPassword" };
    return {
        service: "backup",
        role: "backup",
        containerName: backupContainerName(s),
        image: backupImage(b, milvusVersion),
        entrypoint: ["/bin/sh", OPS_PATH],
        command: ["serve"],
        env,
        files: [
            { path: OPS_PATH, content: OPS_SCRIPT, executable: true },
            { path: BACKUP_CONFIG_PATH, content: milvusBackupConfig(s, b) },
        ],
        healthcheck: { test: ["CMD", "/bin/sh", OPS_PATH, "health"], intervalSeconds: 30, timeoutSeconds: 10, retries: 3, startPeriodSeconds: 10 },
        memoryBytes: b.memoryBytes,
        ports: [],
        volumes: [
            { hostPath: backupStateHostDir(s), containerPath: BACKUP_STATE_DIR },
            ...(s.milvus.tls ? [{ hostPath: tlsHostDir(s.dataDir), containerPath: TLS_CONTAINER_DIR, readOnly: true }] : []),
        ],
        securityOpts: [],
        restart: s.restart,
        dependsOn: ["minio"],
    };
}
