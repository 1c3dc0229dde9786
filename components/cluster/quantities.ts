import { matching, memory, reportGiven, withJson, z } from "../configSchema";

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
const CPU_ALLOWED = 'a CPU amount such as 2, "1.5" or "500m"';
const STORAGE_CLASS = /^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
const STORAGE_ALLOWED = `a volume size with its unit, such as "10Gi", "500g" or "1Ti" (units b, k, m, g, t; from 16m to 32t)`;

export interface CpuQuantity {
    quantity: string;
    millis: number;
}

export interface MemoryQuantity {
    quantity: string;
    bytes: number;
}

/** A CPU amount (2, "1.5", "500m"), normalised to the quantity Kubernetes prints. */
export function cpuQuantity() {
    return withJson(
        z.unknown().transform((value, ctx): CpuQuantity => {
            const s = typeof value === "number" ? String(value) : value;
            if (typeof s !== "string" || !CPU.test(s.trim())) {
                ctx.addIssue({ code: "custom", message: CPU_ALLOWED, input: value });
                return z.NEVER;
            }
            const t = s.trim();
            const millis = t.endsWith("m") ? Number(t.slice(0, -1)) : Math.round(Number(t) * 1000);
            if (!(millis > 0)) {
                ctx.addIssue({ code: "custom", message: "a CPU amount greater than 0", input: value });
                return z.NEVER;
            }
            return { quantity: millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`, millis };
        }),
        { anyOf: [{ type: "number", exclusiveMinimum: 0 }, { type: "string", pattern: CPU.source }], description: CPU_ALLOWED },
    );
}

/** The exact binary quantity Kubernetes reads for a byte count ("16Gi", "1536Mi"). */
export function binaryQuantity(bytes: number): string {
    const units: [string, number][] = [
        ["Ti", 1024 ** 4],
        ["Gi", 1024 ** 3],
        ["Mi", 1024 ** 2],
        ["Ki", 1024],
    ];
    for (const [suffix, size] of units) {
        if (bytes % size === 0) return `${bytes / size}${suffix}`;
    }
    return String(bytes);
}

/** A memory size by the shared memory rules ("16g", "16Gi", "512m"; unit required, bounded). */
export function memoryQuantity(allowed?: string) {
    return memory(allowed).transform((bytes): MemoryQuantity => ({ quantity: binaryQuantity(bytes), bytes }));
}

/** A volume size: the memory syntax and bounds, worded for storage. */
export function storageQuantity() {
    return memoryQuantity(STORAGE_ALLOWED);
}

export function storageClass() {
    return matching(STORAGE_CLASS, "a StorageClass name (lower-case letters, digits, '-' and '.')");
}

/**
 * `memory`/`cpu` are limits; the requests default to the limits, so a pod is never scheduled
 * onto less than it may use.
 */
export function resourcesShape(defaults: { cpu: string; memory: string }) {
    return {
        cpu: cpuQuantity().prefault(defaults.cpu),
        cpuRequest: cpuQuantity().optional(),
        memory: memoryQuantity().prefault(defaults.memory),
        memoryRequest: memoryQuantity().optional(),
    };
}

export type ResourcesInput = z.output<z.ZodObject<ReturnType<typeof resourcesShape>>>;

function isCpu(v: unknown): v is CpuQuantity {
    return typeof v === "object" && v !== null && typeof (v as CpuQuantity).millis === "number";
}

function isMemory(v: unknown): v is MemoryQuantity {
    return typeof v === "object" && v !== null && typeof (v as MemoryQuantity).bytes === "number";
}

/**
 * Requests within limits and, for workloads whose JVM heap is sized from the limit, a limit
 * the heap fits in. Runs on whatever parsed, so it is reported with the other problems.
 */
export function checkResources(v: object, ctx: z.core.$RefinementCtx<unknown>, minMemory?: { bytes: number; why: string }): void {
    const { cpu, cpuRequest, memory: mem, memoryRequest } = v as Partial<Record<(typeof RESOURCE_KEYS)[number], unknown>>;
    if (minMemory && isMemory(mem) && mem.bytes < minMemory.bytes) {
        reportGiven(ctx, ["memory"], `at least ${binaryQuantity(minMemory.bytes)} (${minMemory.why})`);
    }
    if (isMemory(mem) && isMemory(memoryRequest) && memoryRequest.bytes > mem.bytes) {
        reportGiven(ctx, ["memoryRequest"], `at most memory (${mem.quantity})`);
    }
    if (isCpu(cpu) && isCpu(cpuRequest) && cpuRequest.millis > cpu.millis) {
        reportGiven(ctx, ["cpuRequest"], `at most cpu (${cpu.quantity})`);
    }
}

export function computeResources(v: ResourcesInput): ComputeResources {
    const request = v.memoryRequest ?? v.memory;
    return {
        cpuRequest: (v.cpuRequest ?? v.cpu).quantity,
        cpuLimit: v.cpu.quantity,
        memoryRequest: request.quantity,
        memoryLimit: v.memory.quantity,
        memoryRequestBytes: request.bytes,
        memoryLimitBytes: v.memory.bytes,
    };
}

export function persistentStorage(size: MemoryQuantity, storageClassName: string | undefined): PersistentStorage {
    return { size: size.quantity, sizeBytes: size.bytes, storageClass: storageClassName };
}
