import { BackupSettings } from "../backup/config";
import { backupStateHostDir } from "../backup/specs";
import { containerNames } from "../standalone/specs";
import { GpuDevices, RestartPolicy, StandaloneSettings } from "../standalone/settings";

/** One container Prometheus watches, with the limit its memory alert compares against. */
export interface WatchedContainer {
    /** Docker name (shown in alerts and the official dashboard's `pod` variable). */
    containerName: string;
    /** Name on the deployment's private network. */
    service: string;
    memoryBytes: number;
}

/**
 * What monitoring needs to know about the deployment it watches. A small view of the standalone
 * settings, so the builders below do not depend on their whole shape.
 */
export interface MonitoredDeployment {
    namePrefix: string;
    dataDir: string;
    restart: RestartPolicy;
    milvus: WatchedContainer;
    etcd: WatchedContainer;
    minio: WatchedContainer;
    /** GPUs reserved for Milvus: the GPU exporter gets the same ones. */
    gpu?: GpuDevices;
    /** Present when the backup container runs: its run records feed the backup alert. */
    backup?: { stateHostDir: string; schedule?: string };
    /** ISO time the Clore order ends (stack output rental.expiresAt). */
    rentalExpiresAt?: string;
}

export function monitoredDeployment(s: StandaloneSettings, backup?: BackupSettings, rentalExpiresAt?: string): MonitoredDeployment {
    const names = containerNames(s);
    return {
        namePrefix: s.namePrefix,
        dataDir: s.dataDir,
        restart: s.restart,
        milvus: { containerName: names.milvus, service: "standalone", memoryBytes: s.milvus.memoryBytes },
        etcd: { containerName: names.etcd, service: "etcd", memoryBytes: s.etcd.memoryBytes },
        minio: { containerName: names.minio, service: "minio", memoryBytes: s.minio.memoryBytes },
        ...(s.milvus.gpu ? { gpu: s.milvus.gpu } : {}),
        ...(backup ? { backup: { stateHostDir: backupStateHostDir(s), ...(backup.schedule ? { schedule: backup.schedule } : {}) } } : {}),
        ...(rentalExpiresAt ? { rentalExpiresAt } : {}),
    };
}
