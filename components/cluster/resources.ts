import { ComputeResources, PersistentStorage } from "./quantities";

/** The Kubernetes resources block for one container. */
export function podResources(r: ComputeResources, gpus = 0): Record<string, Record<string, string | number>> {
    const limits: Record<string, string | number> = { cpu: r.cpuLimit, memory: r.memoryLimit };
    // Extended resources are set as limits only; Kubernetes then requests the same count.
    if (gpus > 0) limits["nvidia.com/gpu"] = gpus;
    return { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits };
}

/** Bitnami/MinIO-style persistence block: size, access mode(s), the class when one is configured. */
export function pvc(storage: PersistentStorage, accessModeKey: "accessMode" | "accessModes"): Record<string, unknown> {
    const out: Record<string, unknown> = { enabled: true, size: storage.size };
    out[accessModeKey] = accessModeKey === "accessMode" ? "ReadWriteOnce" : ["ReadWriteOnce"];
    if (storage.storageClass !== undefined) out.storageClass = storage.storageClass;
    return out;
}

/** Whole MiB of a share of the memory limit: JVM heaps are sized so heap (+ direct memory) stay well inside it. */
export function mibOf(r: ComputeResources, share: number): number {
    return Math.floor((r.memoryLimitBytes * share) / 1024 ** 2);
}

/**
 * Short-lived helpers (Pulsar's wait-for and metadata-init containers) run a JVM started with
 * -Xmx128M by the chart's own scripts; 512Mi holds that with room to spare.
 */
export const HELPER_CONTAINER: ComputeResources = {
    cpuRequest: "100m",
    cpuLimit: "500m",
    memoryRequest: "512Mi",
    memoryLimit: "512Mi",
    memoryRequestBytes: 512 * 1024 ** 2,
    memoryLimitBytes: 512 * 1024 ** 2,
};

/** Keeps at most one pod of a workload away at a time during voluntary disruptions (drains, upgrades). */
export const ONE_AT_A_TIME = { maxUnavailable: 1 } as const;
