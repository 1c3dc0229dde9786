import { ConfigError } from "../errors";
import { optionalString, parseMemory, Problems, RawObject } from "../validate";

/** Requests and limits in Kubernetes quantity syntax, normalised ("8Gi", "500m"). */
export interface ComputeResources {
    cpuRequest: string;
    cpuLimit: string;
    memoryRequest: string;
    memoryLimit: string;
    /** The same limits in bytes, for sizing checks (policy: requested memory fits the hosts). */
    memoryRequestBytes: number;
    memoryLimitBytes: number;
}

export interface PersistentStorage {
    size: string;
    sizeBytes: number;
    /** Unset: the cluster's default StorageClass. */
    storageClass?: string;
}

/** Keys of a block that sets one workload's resources. */
export const RESOURCE_KEYS = ["cpu", "cpuRequest", "memory", "memoryRequest"] as const;

const CPU = /^(\d+(\.\d+)?|\d+m)$/;
const STORAGE_CLASS = /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

/**
 * `memory`/`cpu` are limits; the requests default to the limits, so a pod is never scheduled
 * onto less than it may use. `minMemory` guards workloads whose JVM heap is sized from the limit.
 */
export function parseResources(
    obj: RawObject,
    field: string,
    defaults: { cpu: string; memory: string },
    minMemory?: { bytes: number; why: string },
): ComputeResources {
    const problems = new Problems();
    const cpuLimit = problems.capture(() => cpuQuantity(obj.cpu ?? defaults.cpu, `${field}.cpu`));
    const cpuRequest = problems.capture(() => (obj.cpuRequest === undefined ? cpuLimit : cpuQuantity(obj.cpuRequest, `${field}.cpuRequest`)));
    const memLimit = problems.capture(() => memoryQuantity(obj.memory ?? defaults.memory, `${field}.memory`));
    const memRequest = problems.capture(() => (obj.memoryRequest === undefined ? memLimit : memoryQuantity(obj.memoryRequest, `${field}.memoryRequest`)));
    problems.throwIfAny();
    if (minMemory && memLimit!.bytes < minMemory.bytes) {
        throw new ConfigError(`${field}.memory`, obj.memory ?? defaults.memory, `at least ${memoryQuantity(minMemory.bytes, field).quantity} (${minMemory.why})`);
    }
    if (memRequest!.bytes > memLimit!.bytes) {
        throw new ConfigError(`${field}.memoryRequest`, obj.memoryRequest, `at most ${field}.memory (${memLimit!.quantity})`);
    }
    if (cpuRequest!.millis > cpuLimit!.millis) {
        throw new ConfigError(`${field}.cpuRequest`, obj.cpuRequest, `at most ${field}.cpu (${cpuLimit!.quantity})`);
    }
    return {
        cpuRequest: cpuRequest!.quantity,
        cpuLimit: cpuLimit!.quantity,
        memoryRequest: memRequest!.quantity,
        memoryLimit: memLimit!.quantity,
        memoryRequestBytes: memRequest!.bytes,
        memoryLimitBytes: memLimit!.bytes,
    };
}

export function defaultResources(cpu: string, memory: string): ComputeResources {
    return parseResources({}, "(defaults)", { cpu, memory });
}

function cpuQuantity(value: unknown, field: string): { quantity: string; millis: number } {
    const s = typeof value === "number" ? String(value) : value;
    if (typeof s !== "string" || !CPU.test(s.trim())) throw new ConfigError(field, value, 'a CPU amount such as 2, "1.5" or "500m"');
    const t = s.trim();
    const millis = t.endsWith("m") ? Number(t.slice(0, -1)) : Math.round(Number(t) * 1000);
    if (!(millis > 0)) throw new ConfigError(field, value, "a CPU amount greater than 0");
    return { quantity: millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`, millis };
}

/** Accepts "16g", "16Gi", "512m"/"512Mi"; renders the exact binary quantity Kubernetes reads. */
export function memoryQuantity(value: unknown, field: string): { quantity: string; bytes: number } {
    const bytes = parseMemory(value, field);
    const units: [string, number][] = [
        ["Ti", 1024 ** 4],
        ["Gi", 1024 ** 3],
        ["Mi", 1024 ** 2],
        ["Ki", 1024],
    ];
    for (const [suffix, size] of units) {
        if (bytes % size === 0) return { quantity: `${bytes / size}${suffix}`, bytes };
    }
    return { quantity: String(bytes), bytes };
}

/** One volume: its size under `sizeKey` (default `storageSize`) and the block's `storageClass`. */
export function parseStorage(obj: RawObject, field: string, defaultSize: string, sizeKey = "storageSize"): PersistentStorage {
    const problems = new Problems();
    const size = problems.capture(() => memoryQuantity(obj[sizeKey] ?? defaultSize, `${field}.${sizeKey}`));
    const storageClass = problems.capture(() => {
        const v = optionalString(obj.storageClass, `${field}.storageClass`);
        if (v !== undefined && !STORAGE_CLASS.test(v)) {
            throw new ConfigError(`${field}.storageClass`, v, "a StorageClass name (lower-case letters, digits, '-' and '.')");
        }
        return v;
    });
    problems.throwIfAny();
    return { size: size!.quantity, sizeBytes: size!.bytes, storageClass };
}
