import { ConfigError } from "../errors";
import { objectAt, optionalBoolean, optionalEnum, optionalInteger, optionalString, Problems, rejectUnknownKeys } from "../validate";
import { parseLabels, parseService, parseServiceMonitor, ServiceMonitorSettings, ServiceSettings } from "./accessConfig";
import { chartPairing, DEFAULT_CHART_VERSION, DEFAULT_MILVUS_VERSION, defaultMilvusVersionFor, describeChartTable, Pairing } from "./chartReleases";
import { NAME_LIMITS, namesOverLimit } from "./names";
import { ComputeResources, defaultResources, parseResources, parseStorage, PersistentStorage, RESOURCE_KEYS } from "./quantities";
import { KafkaConfig, parseKafka, parsePulsar, PulsarConfig } from "./queueConfig";

/**
 * Milvus cluster mode on Kubernetes through the official Helm chart
 * (repo https://zilliztech.github.io/milvus-helm/, chart `milvus`). The chart version and
 * the Milvus image are pinned so two `pulumi up` runs a month apart deploy the same thing,
 * and they are pinned as a pair: the image is of the Milvus line the chart was made for.
 */
export const CHART_REPOSITORY = "https://zilliztech.github.io/milvus-helm/";
export const CHART_NAME = "milvus";
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

export type MinioMode = "standalone" | "distributed";

export interface RoleSettings {
    replicas: number;
    resources: ComputeResources;
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
        /** Release tag without the -gpu suffix, e.g. "v2.6.16". */
        version: string;
        /** The tag actually deployed: `-gpu` appended when GPUs are enabled. */
        imageTag: string;
    };
    /** The chart/Milvus pair and whether it is one the chart was made for. */
    pairing: Pairing;
    /** The user accepted a chart/Milvus pair that is not in the verified table. */
    acceptUnverifiedPairing: boolean;
    gpu: GpuSettings;
    roles: Record<ClusterRole, RoleSettings>;
    etcd: { replicas: number; resources: ComputeResources; persistence: PersistentStorage };
    minio: { mode: MinioMode; replicas: number; resources: ComputeResources; persistence: PersistentStorage };
    messageQueue: MessageQueue;
    /** Set exactly when messageQueue is "pulsar". */
    pulsar?: PulsarConfig;
    /** Set exactly when messageQueue is "kafka". */
    kafka?: KafkaConfig;
    service: ServiceSettings;
    serviceMonitor: ServiceMonitorSettings;
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
    "acceptUnverifiedPairing",
    "gpu",
    "messageQueue",
    "pulsar",
    "kafka",
    "service",
    "serviceMonitor",
    "timeoutSeconds",
    "etcd",
    "minio",
    ...CLUSTER_ROLES,
] as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
const MILVUS_TAG = /^v\d+\.\d+\.\d+$/;

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
        });
    const namespace = dnsName("namespace", "milvus") ?? "milvus";
    const releaseNameRead = dnsName("releaseName", "milvus");
    const releaseName = releaseNameRead ?? "milvus";
    const createNamespace = problems.capture(() => optionalBoolean(obj.createNamespace, `${field}.createNamespace`)) ?? true;

    const chartVersion =
        problems.capture(() => {
            const v = optionalString(obj.chartVersion, `${field}.chartVersion`) ?? DEFAULT_CHART_VERSION;
            if (!SEMVER.test(v)) throw new ConfigError(`${field}.chartVersion`, v, 'an exact chart version such as "5.0.19" (ranges and "latest" are not pinned)');
            return v;
        }) ?? DEFAULT_CHART_VERSION;
    const chartRepository = problems.capture(() => optionalString(obj.chartRepository, `${field}.chartRepository`)) ?? CHART_REPOSITORY;

    const milvusVersionRead = problems.capture(() => {
        const v = optionalString(obj.milvusVersion, `${field}.milvusVersion`) ?? defaultMilvusVersionFor(chartVersion);
        if (v.endsWith("-gpu")) {
            throw new ConfigError(`${field}.milvusVersion`, v, `a release tag without "-gpu" (set ${field}.gpu.enabled: true and the -gpu image is chosen)`);
        }
        if (!MILVUS_TAG.test(v)) throw new ConfigError(`${field}.milvusVersion`, v, `an exact Milvus release tag such as "${DEFAULT_MILVUS_VERSION}"`);
        return v;
    });
    const milvusVersion = milvusVersionRead ?? DEFAULT_MILVUS_VERSION;
    const milvusRepository = problems.capture(() => optionalString(obj.milvusRepository, `${field}.milvusRepository`)) ?? DEFAULT_MILVUS_REPOSITORY;
    const acceptUnverifiedPairing = problems.capture(() => optionalBoolean(obj.acceptUnverifiedPairing, `${field}.acceptUnverifiedPairing`)) ?? false;
    const pairing = chartPairing(chartVersion, milvusVersion);
    if (milvusVersionRead !== undefined && !pairing.verified && !acceptUnverifiedPairing) {
        problems.add(...pairingProblem(field, pairing, obj.milvusVersion !== undefined));
    }

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
    const queueBlock = <T>(queue: MessageQueue, parse: (raw: unknown, f: string) => T): T | undefined => {
        if (messageQueue !== queue) {
            if (obj[queue] !== undefined) problems.add(`${field}.${queue}`, obj[queue], `unset unless ${field}.messageQueue is "${queue}"`);
            return undefined;
        }
        return problems.capture(() => parse(obj[queue], `${field}.${queue}`)) ?? parse(undefined, `${field}.${queue}`);
    };
    const pulsar = queueBlock("pulsar", parsePulsar);
    const kafka = queueBlock("kafka", parseKafka);
    const service = problems.capture(() => parseService(obj.service, `${field}.service`)) ?? { type: "ClusterIP" as const, loadBalancerSourceRanges: [], exposeMetrics: false };
    const serviceMonitor = problems.capture(() => parseServiceMonitor(obj.serviceMonitor, `${field}.serviceMonitor`)) ?? parseServiceMonitor(undefined, "(defaults)");
    const timeoutSeconds = problems.capture(() => optionalInteger(obj.timeoutSeconds, `${field}.timeoutSeconds`, { min: 60, max: 7200 })) ?? 1200;

    if (releaseNameRead !== undefined) {
        const [tightest] = namesOverLimit({ releaseName, messageQueue, minioMode: minio.mode, serviceType: service.type });
        if (tightest) {
            const what = tightest.kind === "HelmRelease" ? `a Helm release name (${NAME_LIMITS.HelmRelease.why})` : `the ${tightest.kind} "${tightest.name}" would be ${tightest.name.length} characters; at most ${tightest.limit}, as ${tightest.why}`;
            problems.add(`${field}.releaseName`, releaseName, `a name of at most ${tightest.maxReleaseName} characters with these settings (${what})`);
        }
    }

    problems.throwIfAny();
    return {
        namespace,
        createNamespace,
        releaseName,
        chart: { repository: chartRepository, name: CHART_NAME, version: chartVersion },
        milvus: { repository: milvusRepository, version: milvusVersion, imageTag: gpu.enabled ? `${milvusVersion}-gpu` : milvusVersion },
        pairing,
        acceptUnverifiedPairing,
        gpu,
        roles,
        etcd,
        minio,
        messageQueue,
        ...(pulsar ? { pulsar } : {}),
        ...(kafka ? { kafka } : {}),
        service,
        serviceMonitor,
        timeoutSeconds,
    };
}

/** The error for a chart/Milvus pair outside the table: on the Milvus tag if it was given, else on the chart version. */
function pairingProblem(field: string, p: Pairing, milvusGiven: boolean): [string, unknown, string] {
    const optIn = `or set ${field}.acceptUnverifiedPairing: true to deploy a pair nobody has checked`;
    if (p.chartLine === undefined) {
        return [
            `${field}.chartVersion`,
            p.chartVersion,
            `a chart version whose Milvus line is known: ${describeChartTable()}, ${optIn}`,
        ];
    }
    return [
        milvusGiven ? `${field}.milvusVersion` : `${field}.chartVersion`,
        milvusGiven ? p.milvusVersion : p.chartVersion,
        `a Milvus ${p.chartLine}.x release such as "${defaultMilvusVersionFor(p.chartVersion)}" (chart ${p.chartVersion} was made for Milvus ${p.chartLine}), ${optIn}`,
    ];
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
    const problems = new Problems();
    const queryNode = problems.capture(() => optionalInteger(obj.queryNode, `${field}.queryNode`, { min: 1, max: 16 })) ?? 1;
    const dataNode = problems.capture(() => optionalInteger(obj.dataNode, `${field}.dataNode`, { min: 0, max: 16 })) ?? 1;
    const nodeSelector = problems.capture(() => parseLabels(obj.nodeSelector, `${field}.nodeSelector`)) ?? {};
    problems.throwIfAny();
    return { enabled, queryNode, dataNode, nodeSelector };
}

function parseRole(raw: unknown, field: string, d: RoleDefaults): RoleSettings {
    const obj = objectAt(raw, field);
    rejectUnknownKeys(obj, field, ["replicas", ...RESOURCE_KEYS]);
    const problems = new Problems();
    const replicas = problems.capture(() => optionalInteger(obj.replicas, `${field}.replicas`, { min: 1, max: d.maxReplicas })) ?? d.replicas;
    const resources = problems.capture(() => parseResources(obj, field, d));
    problems.throwIfAny();
    return { replicas, resources: resources! };
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
    const resources = problems.capture(() => parseResources(obj, field, { cpu: "1", memory: "2Gi" }));
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
    const resources = problems.capture(() => parseResources(obj, field, { cpu: "1", memory: "4Gi" }));
    const persistence = problems.capture(() => parseStorage(obj, field, "100Gi"));
    problems.throwIfAny();
    return { mode, replicas, resources: resources!, persistence: persistence! };
}
