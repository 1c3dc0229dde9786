import { stringify } from "yaml";
import { BackupSettings } from "./config";
import { BACKUP_STATE_DIR } from "./paths";

/**
 * milvus-backup's config file (the pre-v2 layout, which every release reads) from where Milvus
 * and its object store are: the standalone container (specs.ts) and the cluster CronJob give
 * their endpoints.
 * Keys and passwords are never here: milvus-backup takes them from its env overrides.
 */
export interface BackupEndpoints {
    milvus: {
        host: string;
        port: number;
        auth: boolean;
        /** Milvus's TLS: the certificate file inside the container and the name to check it against. */
        tls?: { certPath: string; serverName: string };
    };
    /** Milvus's own object store (MinIO) and where in it Milvus keeps its segments. */
    store: { host: string; port: number; bucket: string; rootPath: string };
    /** Milvus's management API (the garbage-collection pause during a backup): http://host:9091. */
    managementUrl: string;
}

export function milvusBackupYaml(e: BackupEndpoints, b: BackupSettings): string {
    return stringify({
        log: { level: "info", console: false, file: { rootPath: `${BACKUP_STATE_DIR}/milvus-backup.log` } },
        http: { simpleResponse: true },
        milvus: {
            address: e.milvus.host,
            port: e.milvus.port,
            authorizationEnabled: e.milvus.auth,
            tlsMode: e.milvus.tls ? 1 : 0,
            user: e.milvus.auth ? "root" : "",
            ...(e.milvus.tls ? { tlsCertPath: e.milvus.tls.certPath, serverName: e.milvus.tls.serverName } : {}),
        },
        minio: {
            storageType: "minio",
            address: e.store.host,
            port: e.store.port,
            useSSL: false,
            useIAM: false,
            bucketName: e.store.bucket,
            rootPath: e.store.rootPath,
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
            gcPause: { enable: true, seconds: 7200, address: e.managementUrl },
        },
    });
}
