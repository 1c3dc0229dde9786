import { GpuDevices, PublishedPort, RestartPolicy } from "./settings";

/**
 * A named secret that a spec refers to but never holds: the Pulumi wiring resolves it to
 * a secret Output, the offline renderer to a placeholder. Keeps spec builders pure.
 */
export type SecretName = "minioAccessKey" | "minioSecretKey" | "milvusRootPassword";

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
}

/**
 * One container as it should run, independent of how it is deployed (Pulumi Docker
 * provider or a Compose file). `service` is the short name others reach it by on the
 * private network (etcd, minio, standalone), as in the seed's compose file.
 */
export interface ContainerSpec {
    service: string;
    containerName: string;
    image: string;
    command?: string[];
    env: Record<string, EnvValue>;
    healthcheck: HealthcheckSpec;
    memoryBytes: number;
    gpu?: GpuDevices;
    ports: PortSpec[];
    volumes: VolumeSpec[];
    securityOpts: string[];
    restart: RestartPolicy;
    dependsOn: string[];
}
