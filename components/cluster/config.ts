import { ConfigError } from "../errors";
import {
    objectAt,
    optionalArray,
    optionalBoolean,
    optionalEnum,
    optionalInteger,
    optionalString,
    parseMemory,
    Problems,
    RawObject,
    rejectUnknownKeys,
} from "../validate";

/**
 * Milvus cluster mode on Kubernetes through the official Helm chart
 * (repo https://zilliztech.github.io/milvus-helm/, chart `milvus`). The chart version and
 * the Milvus image are pinned so two `pulumi up` runs a month apart deploy the same thing.
 */
export const CHART_REPOSITORY = "https://zilliztech.github.io/milvus-helm/";
export const CHART_NAME = "milvus";
/** Newest chart release whose values keys (5.x layout: mixCoordinator, streamingNode) this package was checked against. */
export const DEFAULT_CHART_VERSION = "5.0.19";
export const DEFAULT_MILVUS_VERSION = "v3.0.2";
export const DEFAULT_MILVUS_REPOSITORY = "milvusdb/milvus";

/**
 * The Milvus roles the 5.x chart deploys in cluster mode. indexNode and the separate
 * coordinators are gone since Milvus 2.6: index builds run on data nodes and one
 * mixCoordinator replaces root/query/data coordinators.
 */
export const CLUSTER_ROLES = ["proxy", "mixCoordinator", "queryNode", "dataNode", "streamingNode"] as const;
export type ClusterRole = (typeof CLUSTER_ROLES)[number];

export type MessageQueue = "woodpecker" | "pulsar" | "kafka";
export const MESSAGE_QUEUES: readonly MessageQueue[] = ["woodpecker", "pulsar", "kafka"];

export type ServiceType = "ClusterIP" | "LoadBalancer" | "NodePort";
export const SERVICE_TYPES: readonly ServiceType[] = ["ClusterIP", "LoadBalancer", "NodePort"];

export type MinioMode = "standalone" | "distributed";

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

export interface RoleSettings {
    replicas: number;
    resources: ComputeResources;
}

export interface PersistentStorage {
    size: string;
    sizeBytes: number;
    /** Unset: the cluster's default StorageClass. */
    storageClass?: string;
}

export interface GpuSettings {
    enabled: boolean;
    /** nvidia.com/gpu per query node pod (search on GPU indexes). */
    queryNode: number;
    /** nvidia.com/gpu per data node pod (GPU index builds run there since Milvus 2.6). */
    dataNode: number;
    /** Node labels the GPU pods must match (e.g. a GPU node pool); empty: any node with GPUs. */
    nodeSelector: Record<string, string>;
}

export interface ClusterConfig {
    namespace: string;
    /** Create the namespace (false: it exists and is managed elsewhere). */
    createNamespace: boolean;
    releaseName: string;
    chart: { repository: string; name: string; version: string };
    milvus: {
        repository: string;
        /** Release tag without the -gpu suffix, e.g. "v3.0.2". */
        version: string;
        /** The tag actually deployed: `-gpu` appended when GPUs are enabled. */
        imageTag: string;
    };
    gpu: GpuSettings;
    roles: Record<ClusterRole, RoleSettings>;
    etcd: { replicas: number; resources: ComputeResources; persistence: PersistentStorage };
    minio: { mode: MinioMode; replicas: number; resources: ComputeResources; persistence: PersistentStorage };
    messageQueue: MessageQueue;
    service: { type: ServiceType; loadBalancerSourceRanges: string[] };
    /** Seconds Helm waits for every pod to become ready before the update counts as failed. */
    timeoutSeconds: number;
}

interface RoleDefaults {
    replicas: number;
    maxReplicas: number;
    cpu: string;
    memory: string;
}

const ROLE_DEFAULTS: Record<ClusterRole, RoleDefaults> = {
    proxy: { replicas: 1, maxReplicas: 100, cpu: "1", memory: "2Gi" },
    // More than one coordinator runs active-standby (the values builder switches it on).
    mixCoordinator: { replicas: 1, maxReplicas: 3, cpu: "1", memory: "2Gi" },
    // Two query nodes: one can be drained or lost without taking search down.
    queryNode: { replicas: 2, maxReplicas: 100, cpu: "4", memory: "16Gi" },
    dataNode: { replicas: 1, maxReplicas: 100, cpu: "2", memory: "8Gi" },
    streamingNode: { replicas: 1, maxReplicas: 100, cpu: "2", memory: "4Gi" },
};

const KNOWN_KEYS = [
    "namespace",
    "createNamespace",
    "releaseName",
    "chartVersion",
    "chartRepository",
    "milvusVersion",
    "milvusRepository",
    "gpu",
    "messageQueue",
    "service",
    "timeoutSeconds",
    "etcd",
    "minio",
    ...CLUSTER_ROLES,
] as const;

const RESOURCE_KEYS = ["cpu", "cpuRequest", "memory", "memoryRequest"] as const;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
const MILVUS_TAG = /^v\d+\.\d+\.\d+$/;
const CPU = /^(\d+(\.\d+)?|\d+m)$/;
const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$|^[0-9a-fA-F:]+\/\d{1,3}$/;

/**
 * Validates the `cluster` section of a stack config and fills the defaults. Every bad
 * field is reported in one ConfigErrors, each naming its dotted path.
 */
export function parseClusterConfig(raw: unknown, field = "cluster"): ClusterConfig {
    const problems = new Problems();
    const obj = problems.capture(() => objectAt(raw, field)) ?? {};
    problems.capture(() => rejectUnknownKeys(obj, field, KNOWN_KEYS));

    const dnsName = (key: string, fallback: string) =>
        problems.capture(() => {
            const v = optionalString(obj[key], `${field}.${key}`) ?? fallback;
            if (!DNS_LABEL.test(v)) throw new ConfigError(`${field}.${key}`, v, "a DNS label: lower-case letters, digits and '-', at most 63 characters");
            return v;
        }) ?? fallback;
    const namespace = dnsName("namespace", "milvus");
    const releaseName = dnsName("releaseName", "milvus");
    const createNamespace = problems.capture(() => optionalBoolean(obj.createNamespace, `${field}.createNamespace`)) ?? true;

    const chartVersion =
        problems.capture(() => {
            const v = optionalString(obj.chartVersion, `${field}.chartVersion`) ?? DEFAULT_CHART_VERSION;
            if (!SEMVER.test(v)) throw new ConfigError(`${field}.chartVersion`, v, 'an exact chart version such as "5.0.19" (ranges and "latest" are not pinned)');
            return v;
        }) ?? DEFAULT_CHART_VERSION;
    const chartRepository = problems.capture(() => optionalString(obj.chartRepository, `${field}.chartRepository`)) ?? CHART_REPOSITORY;

    const milvusVersion =
        problems.capture(() => {
            const v = optionalString(obj.milvusVersion, `${field}.milvusVersion`) ?? DEFAULT_MILVUS_VERSION;
            if (v.endsWith("-gpu")) {
                throw new ConfigError(`${field}.milvusVersion`, v, `a release tag without "-gpu" (set ${field}.gpu.enabled: true and the -gpu image is chosen)`);
            }
            if (!MILVUS_TAG.test(v)) throw new ConfigError(`${field}.milvusVersion`, v, 'an exact Milvus release tag such as "v3.0.2"');
            return v;
        }) ?? DEFAULT_MILVUS_VERSION;
    const milvusRepository = problems.capture(() => optionalString(obj.milvusRepository, `${field}.milvusRepository`)) ?? DEFAULT_MILVUS_REPOSITORY;

    const gpu = problems.capture(() => parseGpu(obj.gpu, `${field}.gpu`)) ?? { enabled: false, queryNode: 0, dataNode: 0, nodeSelector: {} };

    const roles = {} as Record<ClusterRole, RoleSettings>;
    for (const role of CLUSTER_ROLES) {
        const d = ROLE_DEFAULTS[role];
        roles[role] = problems.capture(() => parseRole(obj[role], `${field}.${role}`, d)) ?? {
            replicas: d.replicas,
            resources: defaultResources(d.cpu, d.memory),
        };
    }

    const etcd = problems.capture(() => parseEtcd(obj.etcd, `${field}.etcd`)) ?? defaultEtcd();
    const minio = problems.capture(() => parseMinio(obj.minio, `${field}.minio`)) ?? defaultMinio();
    const messageQueue = problems.capture(() => optionalEnum(obj.messageQueue, `${field}.messageQueue`, MESSAGE_QUEUES)) ?? "woodpecker";
    const service = problems.capture(() => parseService(obj.service, `${field}.service`)) ?? { type: "ClusterIP" as const, loadBalancerSourceRanges: [] };
    const timeoutSeconds = problems.capture(() => optionalInteger(obj.timeoutSeconds, `${field}.timeoutSeconds`, { min: 60, max: 7200 })) ?? 1200;

    problems.throwIfAny();
    return {
        namespace,
        createNamespace,
        releaseName,
        chart: { repository: chartRepository, name: CHART_NAME, version: chartVersion },
        milvus: { repository: milvusRepository, version: milvusVersion, imageTag: gpu.enabled ? `${milvusVersion}-gpu` : milvusVersion },
        gpu,
        roles,
        etcd,
        minio,
        messageQueue,
        service,
        timeoutSeconds,
    };
}

function parseGpu(raw: unknown, field: string): GpuSettings {
    const obj = objectAt(raw, field);
    rejectUnknownKeys(obj, field, ["enabled", "queryNode", "dataNode", "nodeSelector"]);
    const enabled = optionalBoolean(obj.enabled, `${field}.enabled`) ?? false;
    if (!enabled) {
        for (const key of ["queryNode", "dataNode", "nodeSelector"] as const) {
            if (obj[key] !== undefined && obj[key] !== 0) {
                throw new ConfigError(`${field}.${key}`, obj[key], `unset while ${field}.enabled is false (or set ${field}.enabled: true)`);
            }
        }
        return { enabled: false, queryNode: 0, dataNode: 0, nodeSelector: {} };
    }
    const queryNode = optionalInteger(obj.queryNode, `${field}.queryNode`, { min: 1, max: 16 }) ?? 1;
    const dataNode = optionalInteger(obj.dataNode, `${field}.dataNode`, { min: 0, max: 16 }) ?? 1;
    const selector = objectAt(obj.nodeSelector, `${field}.nodeSelector`);
    const nodeSelector: Record<string, string> = {};
    for (const [key, value] of Object.entries(selector)) {
        if (!/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key)) {
            throw new ConfigError(`${field}.nodeSelector`, key, "node label keys such as cloud.google.com/gke-accelerator");
        }
        if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
            throw new ConfigError(`${field}.nodeSelector.${key}`, value, "a label value (string)");
        }
        nodeSelector[key] = String(value);
    }
    return { enabled, queryNode, dataNode, nodeSelector };
}

function parseRole(raw: unknown, field: string, d: RoleDefaults): RoleSettings {
    const obj = objectAt(raw, field);
    rejectUnknownKeys(obj, field, ["replicas", ...RESOURCE_KEYS]);
    const problems = new Problems();
    const replicas = problems.capture(() => optionalInteger(obj.replicas, `${field}.replicas`, { min: 1, max: d.maxReplicas })) ?? d.replicas;
    const resources = problems.capture(() => parseResources(obj, field, d.cpu, d.memory));
    problems.throwIfAny();
    return { replicas, resources: resources! };
}

/** `memory`/`cpu` are limits; the requests default to the limits, so a pod is never scheduled onto less than it may use. */
function parseResources(obj: RawObject, field: string, defaultCpu: string, defaultMemory: string): ComputeResources {
    const problems = new Problems();
    const cpuLimit = problems.capture(() => cpuQuantity(obj.cpu ?? defaultCpu, `${field}.cpu`));
    const cpuRequest = problems.capture(() => (obj.cpuRequest === undefined ? cpuLimit : cpuQuantity(obj.cpuRequest, `${field}.cpuRequest`)));
    const memLimit = problems.capture(() => memoryQuantity(obj.memory ?? defaultMemory, `${field}.memory`));
    const memRequest = problems.capture(() => (obj.memoryRequest === undefined ? memLimit : memoryQuantity(obj.memoryRequest, `${field}.memoryRequest`)));
    problems.throwIfAny();
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

function defaultResources(cpu: string, memory: string): ComputeResources {
    return parseResources({}, "(defaults)", cpu, memory);
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

function parseStorage(obj: RawObject, field: string, defaultSize: string): PersistentStorage {
    const size = memoryQuantity(obj.storageSize ?? defaultSize, `${field}.storageSize`);
    const storageClass = optionalString(obj.storageClass, `${field}.storageClass`);
    if (storageClass !== undefined && !/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(storageClass)) {
        throw new ConfigError(`${field}.storageClass`, storageClass, "a StorageClass name (lower-case letters, digits, '-' and '.')");
    }
    return { size: size.quantity, sizeBytes: size.bytes, storageClass };
}

function defaultEtcd(): ClusterConfig["etcd"] {
    return parseEtcd(undefined, "(defaults)");
}

function parseEtcd(raw: unknown, field: string): ClusterConfig["etcd"] {
    const obj = objectAt(raw, field);
    rejectUnknownKeys(obj, field, ["replicas", "storageSize", "storageClass", ...RESOURCE_KEYS]);
    const problems = new Problems();
    const replicas = problems.capture(() => optionalInteger(obj.replicas, `${field}.replicas`, { min: 1, max: 7 })) ?? 3;
    if (replicas % 2 === 0) problems.add(`${field}.replicas`, replicas, "an odd number (1, 3, 5 or 7): etcd needs a majority to elect a leader");
    const resources = problems.capture(() => parseResources(obj, field, "1", "2Gi"));
    const persistence = problems.capture(() => parseStorage(obj, field, "10Gi"));
    problems.throwIfAny();
    return { replicas, resources: resources!, persistence: persistence! };
}

function defaultMinio(): ClusterConfig["minio"] {
    return parseMinio(undefined, "(defaults)");
}

function parseMinio(raw: unknown, field: string): ClusterConfig["minio"] {
    const obj = objectAt(raw, field);
    rejectUnknownKeys(obj, field, ["mode", "replicas", "storageSize", "storageClass", ...RESOURCE_KEYS]);
    const problems = new Problems();
    const mode = problems.capture(() => optionalEnum<MinioMode>(obj.mode, `${field}.mode`, ["standalone", "distributed"])) ?? "distributed";
    const replicas = problems.capture(() => optionalInteger(obj.replicas, `${field}.replicas`, { min: 1, max: 32 })) ?? (mode === "distributed" ? 4 : 1);
    if (mode === "distributed" && replicas < 4) problems.add(`${field}.replicas`, replicas, "at least 4 in distributed mode (MinIO erasure coding), or mode: standalone");
    if (mode === "standalone" && replicas !== 1) problems.add(`${field}.replicas`, replicas, "1 in standalone mode");
    const resources = problems.capture(() => parseResources(obj, field, "1", "4Gi"));
    const persistence = problems.capture(() => parseStorage(obj, field, "100Gi"));
    problems.throwIfAny();
    return { mode, replicas, resources: resources!, persistence: persistence! };
}

function parseService(raw: unknown, field: string): ClusterConfig["service"] {
    const obj = objectAt(raw, field);
    rejectUnknownKeys(obj, field, ["type", "loadBalancerSourceRanges"]);
    const type = optionalEnum(obj.type, `${field}.type`, SERVICE_TYPES) ?? "ClusterIP";
    const ranges = (optionalArray(obj.loadBalancerSourceRanges, `${field}.loadBalancerSourceRanges`) ?? []).map((r, i) => {
        const f = `${field}.loadBalancerSourceRanges[${i}]`;
        if (typeof r !== "string" || !CIDR.test(r)) throw new ConfigError(f, r, 'a CIDR range such as "10.0.0.0/8"');
        return r;
    });
    if (ranges.length > 0 && type !== "LoadBalancer") {
        throw new ConfigError(`${field}.loadBalancerSourceRanges`, ranges, `unset unless ${field}.type is "LoadBalancer"`);
    }
    return { type, loadBalancerSourceRanges: ranges };
}
