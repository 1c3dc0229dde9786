import type { BackupRun } from "../backup/runs";

export type { BackupRun };
/**
 * What `npm run status` gathers: one value per section, or why it could not be had. The JSON
 * form (--json) is this object as it is; the screen form is format.ts's rendering of it.
 */

/** A section that could not be gathered carries the reason instead of a value. */
export interface Unavailable {
    unavailable: string;
}
export type Gathered<T> = T | Unavailable;

export function isUnavailable<T>(v: Gathered<T> | undefined): v is Unavailable {
    return typeof v === "object" && v !== null && "unavailable" in v;
}

export interface IndexStatus {
    field: string;
    name: string;
    type: string;
    /** Milvus's build state: Finished, InProgress, Failed, ... */
    state: string;
    indexedRows?: number;
    totalRows?: number;
    pendingRows?: number;
    failReason?: string;
}

export interface CollectionStatus {
    name: string;
    rows?: number;
    indexes: IndexStatus[];
    /** "loaded", "loading", "not loaded" or what the server answered. */
    load: string;
    partitions: string[];
    aliases: string[];
    /** Calls that failed for this collection, with the server's reason. */
    problems: string[];
}

export interface MilvusStatus {
    address: string;
    version?: string;
    healthy?: boolean;
    /** The reasons checkHealth gave when not healthy. */
    healthReasons: string[];
    collections: Gathered<CollectionStatus[]>;
}

export interface ContainerStatus {
    name: string;
    role?: string;
    image: string;
    /** running, exited, restarting, ... */
    state: string;
    /** healthy, unhealthy, starting (Docker healthcheck), when it has one. */
    health?: string;
    memoryUsedBytes?: number;
    /** The container's limit; undefined: no limit. */
    memoryLimitBytes?: number;
    restarts?: number;
}

export interface DiskStatus {
    /** The data directory on the Docker host. */
    path: string;
    usedBytes: number;
    filesystemSizeBytes: number;
    filesystemUsedBytes: number;
    /** Free to non-root users (reserved blocks excluded), as df shows it. */
    filesystemAvailableBytes: number;
}

export interface GpuStatus {
    index: number;
    name: string;
    memoryUsedMiB: number;
    memoryTotalMiB: number;
}

export interface BackupStatus {
    container: string;
    schedule?: string;
    last?: BackupRun;
    lastSuccessful?: BackupRun;
    runs: number;
}

export interface RentalStatus {
    orderId?: string;
    expiresAt: string;
    bidState?: string;
}

export interface StatusReport {
    gatheredAt: string;
    milvus: MilvusStatus;
    /** The deployment's containers on its Docker host; absent: no Docker host known (an --address only). */
    containers?: Gathered<ContainerStatus[]>;
    disk?: Gathered<DiskStatus>;
    gpu?: Gathered<GpuStatus[]>;
    backup?: Gathered<BackupStatus>;
    rental?: Gathered<RentalStatus>;
}
