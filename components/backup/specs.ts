import { ContainerSpec } from "../standalone/containerSpec";
import { StandaloneSettings } from "../standalone/settings";
import { GENERATED_SERVER_NAME, TLS_CERT_FILE, TLS_CONTAINER_DIR, tlsHostDir } from "../standalone/tlsCertificate";
import { defaultBackupImage } from "./compatibility";
import { BackupSettings, backupNamePrefix } from "./config";
import { OPS_SCRIPT } from "./opsScript";
import { milvusBackupYaml } from "./backupYaml";
import { BACKUP_CONFIG_PATH, BACKUP_STATE_DIR, OPS_PATH } from "./paths";

/*
 * Pure builders: settings -> the backup container. The program, the render and the policy
 * pack read these, so what is rendered is what is deployed.
 */

export { BACKUP_CONFIG_PATH, BACKUP_HOME, BACKUP_STATE_DIR, OPS_PATH } from "./paths";

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
export function backupImage(b: BackupSettings, milvusVersion: string): string {
    const image = b.image ?? defaultBackupImage(milvusVersion);
    // Config validation refuses this case first; kept so a direct caller gets a clear error too.
    if (!image) throw new Error(`backup.image: no milvus-backup release is known for Milvus ${milvusVersion}; pin one`);
    return image;
}

/** milvus-backup's config for the standalone container: Milvus, its MinIO and 9091 by their names on the private network. */
export function milvusBackupConfig(s: StandaloneSettings, b: BackupSettings): string {
    return milvusBackupYaml(
        {
            milvus: {
                host: "standalone",
                port: 19530,
                auth: s.milvus.auth,
                ...(s.milvus.tls ? { tls: { certPath: `${TLS_CONTAINER_DIR}/${TLS_CERT_FILE}`, serverName: GENERATED_SERVER_NAME } } : {}),
            },
            store: { host: "minio", port: 9000, bucket: MILVUS_BUCKET, rootPath: MILVUS_ROOT_PATH },
            managementUrl: "http://standalone:9091",
        },
        b,
    );
}

export function backupContainerSpec(s: StandaloneSettings, b: BackupSettings, milvusVersion: string): ContainerSpec {
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
