import { GpuDevices, PublishedPort, RestartPolicy } from "./settings";

/**
 * A named secret that a spec refers to but never holds: the Pulumi wiring resolves it to
 * a secret Output, the offline renderer to a placeholder. Keeps spec builders pure.
 */
export type CredentialName = "minioAccessKey" | "minioSecretKey" | "milvusRootPassword";
/**
 * The deployment's credentials, the backup target's keys, and monitoring's own: the MinIO metrics
 * token (signed with MinIO's keys) and Grafana's generated admin password.
 */
export type SecretName = CredentialName | "backupAccessKey" | "backupSecretKey" | "minioMetricsToken" | "grafanaAdminPassword";

export interface SecretRef {
    secret: SecretName;
}

export type EnvValue = string | SecretRef;

export function isSecretRef(v: EnvValue): v is SecretRef {
    return typeof v === "object" && v !== null && "secret" in v;
}

export interface HealthcheckSpec {
    test: string[]; // Docker form: ["CMD", ...] or ["CMD-SHELL", "..."]
    intervalSeconds: number;
    timeoutSeconds: number;
    retries: number;
    startPeriodSeconds?: number;
}

export interface PortSpec {
    container: number;
    published: PublishedPort;
}

export interface VolumeSpec {
    /** Absolute host path: bind mounts outlive any container that uses them. */
    hostPath: string;
    containerPath: string;
    /** Mounted read-only (certificates and keys the container must not change). */
    readOnly?: boolean;
}

/** The containers `milvus-gpu:monitoring` adds beside a deployment. */
export type MonitoringRole = "prometheus" | "grafana" | "node-exporter" | "gpu-exporter";
export const MONITORING_ROLES: readonly MonitoringRole[] = ["prometheus", "grafana", "node-exporter", "gpu-exporter"];

/** What a container is in the deployment, whatever its image or name. */
export type ContainerRole = "etcd" | "minio" | "milvus" | "attu" | "backup" | MonitoringRole;
export const CONTAINER_ROLES: readonly ContainerRole[] = ["etcd", "minio", "milvus", "attu", "backup", ...MONITORING_ROLES];

/**
 * Docker label carrying the role: the policy rules read it rather than guess from the image,
 * command, env or name (an Attu container named "milvus-attu" is not Milvus).
 */
export const ROLE_LABEL = "milvus-gpu.role";

/**
 * One container as it should run, independent of how it is deployed (Pulumi Docker
 * provider or a Compose file). `service` is the short name others reach it by on the
 * private network (etcd, minio, standalone), as in the seed's compose file.
 */
export interface FileSpec {
    path: string;
    content: string;
    executable?: boolean;
}

export interface ContainerSpec {
    service: string;
    /** What the container is; deployed as the ROLE_LABEL label. */
    role: ContainerRole;
    containerName: string;
    image: string;
    /** Replaces the image's entrypoint (an image whose entrypoint starts a server we do not want). */
    entrypoint?: string[];
    command?: string[];
    /** Files placed in the container when it is created (scripts, config without secrets). */
    files?: FileSpec[];
    env: Record<string, EnvValue>;
    healthcheck: HealthcheckSpec;
    memoryBytes: number;
    gpu?: GpuDevices;
    ports: PortSpec[];
    volumes: VolumeSpec[];
    securityOpts: string[];
    restart: RestartPolicy;
    dependsOn: string[];
    /** Runs as this user ("uid:gid") instead of the image's: an image's own user cannot write bind mounts Docker creates as root. */
    user?: string;
}

const MB = 1024 * 1024;

/**
 * The memory limit as deployed, in MiB (the Docker provider's unit), rounded up. Swap is set to
 * the same value: no swap, so the limit is a real ceiling rather than a slow spill. The render
 * shows these, not the configured bytes, so it shows what runs.
 */
export function deployedMemory(spec: Pick<ContainerSpec, "memoryBytes">): { memoryMb: number; memorySwapMb: number } {
    const memoryMb = Math.ceil(spec.memoryBytes / MB);
    return { memoryMb, memorySwapMb: memoryMb };
}

/** The Docker labels a container is deployed (and rendered) with. */
export function containerLabels(spec: Pick<ContainerSpec, "role">): Record<string, string> {
    return { [ROLE_LABEL]: spec.role };
}
