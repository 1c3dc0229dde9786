import { always, block, bool, int, matching, oneOf, parseWith, report, reportGiven, str, withJson, z } from "../configSchema";
import { labels, SERVICE_TYPES, serviceMonitorSchema, serviceSchema, ServiceMonitorSettings, ServiceSettings } from "./accessConfig";
import { chartPairing, DEFAULT_CHART_VERSION, DEFAULT_MILVUS_VERSION, defaultMilvusVersionFor, describeChartTable, Pairing } from "./chartReleases";
import { NAME_LIMITS, namesOverLimit } from "./names";
import { checkResources, ComputeResources, computeResources, persistentStorage, PersistentStorage, resourcesShape, storageClass, storageQuantity } from "./quantities";
import { KafkaSettings, kafkaSchema, pulsarSchema, PulsarSettings } from "./queueConfig";

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

export const MESSAGE_QUEUES = ["woodpecker", "pulsar", "kafka"] as const;
export type MessageQueue = (typeof MESSAGE_QUEUES)[number];

export const MINIO_MODES = ["standalone", "distributed"] as const;
export type MinioMode = (typeof MINIO_MODES)[number];

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

export interface ClusterSettings {
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
    pulsar?: PulsarSettings;
    /** Set exactly when messageQueue is "kafka". */
    kafka?: KafkaSettings;
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

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
const MILVUS_TAG = /^v\d+\.\d+\.\d+$/;

function dnsLabel() {
    return matching(DNS_LABEL, "a DNS label: lower-case letters, digits and '-', at most 63 characters");
}

function milvusTag(field: string) {
    const allowed = `an exact Milvus release tag such as "${DEFAULT_MILVUS_VERSION}"`;
    return withJson(
        str(allowed).superRefine((v, ctx) => {
            if (v.endsWith("-gpu")) report(ctx, [], v, `a release tag without "-gpu" (set ${field}.gpu.enabled: true and the -gpu image is chosen)`);
            else if (!MILVUS_TAG.test(v)) report(ctx, [], v, allowed);
        }),
        { type: "string", pattern: MILVUS_TAG.source, description: allowed },
    );
}

function gpuSchema(field: string) {
    return block(
        {
            enabled: bool().default(false),
            queryNode: int({ min: 0, max: 16 }).optional(),
            dataNode: int({ min: 0, max: 16 }).optional(),
            nodeSelector: labels().optional(),
        },
        field,
    )
        .superRefine((g, ctx) => {
            if (g.enabled === false) {
                for (const key of ["queryNode", "dataNode", "nodeSelector"] as const) {
                    if (g[key] !== undefined && g[key] !== 0) reportGiven(ctx, [key], `unset while ${field}.enabled is false (or set ${field}.enabled: true)`);
                }
            } else if (g.enabled === true && g.queryNode === 0) {
                report(ctx, ["queryNode"], 0, "an integer from 1 to 16 (GPUs per query node pod)");
            }
        }, always)
        .transform(
            (g): GpuSettings =>
                g.enabled ? { enabled: true, queryNode: g.queryNode ?? 1, dataNode: g.dataNode ?? 1, nodeSelector: g.nodeSelector ?? {} } : { enabled: false, queryNode: 0, dataNode: 0, nodeSelector: {} },
        );
}

function roleSchema(field: string, d: RoleDefaults) {
    return block({ replicas: int({ min: 1, max: d.maxReplicas }).default(d.replicas), ...resourcesShape(d) }, field)
        .superRefine((r, ctx) => checkResources(r, ctx), always)
        .transform((r): RoleSettings => ({ replicas: r.replicas, resources: computeResources(r) }));
}

function etcdSchema(field: string) {
    return block(
        { replicas: int({ min: 1, max: 7 }).default(3), storageSize: storageQuantity().prefault("10Gi"), storageClass: storageClass().optional(), ...resourcesShape({ cpu: "1", memory: "2Gi" }) },
        field,
    )
        .superRefine((e, ctx) => {
            if (typeof e.replicas === "number" && e.replicas % 2 === 0) reportGiven(ctx, ["replicas"], "an odd number (1, 3, 5 or 7): etcd needs a majority to elect a leader");
            checkResources(e, ctx);
        }, always)
        .transform((e): ClusterSettings["etcd"] => ({ replicas: e.replicas, resources: computeResources(e), persistence: persistentStorage(e.storageSize, e.storageClass) }));
}

function minioSchema(field: string) {
    return block(
        {
            mode: oneOf(MINIO_MODES).default("distributed"),
            replicas: int({ min: 1, max: 32 }).optional(),
            storageSize: storageQuantity().prefault("100Gi"),
            storageClass: storageClass().optional(),
            ...resourcesShape({ cpu: "1", memory: "4Gi" }),
        },
        field,
    )
        .superRefine((m, ctx) => {
            if (typeof m.replicas === "number") {
                if (m.mode === "distributed" && m.replicas < 4) report(ctx, ["replicas"], m.replicas, "at least 4 in distributed mode (MinIO erasure coding), or mode: standalone");
                if (m.mode === "standalone" && m.replicas !== 1) report(ctx, ["replicas"], m.replicas, "1 in standalone mode");
            }
            checkResources(m, ctx);
        }, always)
        .transform(
            (m): ClusterSettings["minio"] => ({
                mode: m.mode,
                replicas: m.replicas ?? (m.mode === "distributed" ? 4 : 1),
                resources: computeResources(m),
                persistence: persistentStorage(m.storageSize, m.storageClass),
            }),
        );
}

/** The stack key's shape, before the cross-key checks and defaults that depend on other keys. */
function clusterShape(field: string) {
    const roles = Object.fromEntries(CLUSTER_ROLES.map((role) => [role, roleSchema(`${field}.${role}`, ROLE_DEFAULTS[role])])) as {
        [R in ClusterRole]: ReturnType<typeof roleSchema>;
    };
    return {
        namespace: dnsLabel().default("milvus"),
        createNamespace: bool().default(true),
        releaseName: dnsLabel().default("milvus"),
        chartVersion: matching(SEMVER, 'an exact chart version such as "5.0.19" (ranges and "latest" are not pinned)').default(DEFAULT_CHART_VERSION),
        chartRepository: str().default(CHART_REPOSITORY),
        milvusVersion: milvusTag(field).optional(),
        milvusRepository: str().default(DEFAULT_MILVUS_REPOSITORY),
        acceptUnverifiedPairing: bool().default(false),
        gpu: gpuSchema(`${field}.gpu`),
        messageQueue: oneOf(MESSAGE_QUEUES).default("woodpecker"),
        pulsar: pulsarSchema(`${field}.pulsar`).optional(),
        kafka: kafkaSchema(`${field}.kafka`).optional(),
        service: serviceSchema(`${field}.service`),
        serviceMonitor: serviceMonitorSchema(`${field}.serviceMonitor`),
        timeoutSeconds: int({ min: 60, max: 7200 }).default(1200),
        etcd: etcdSchema(`${field}.etcd`),
        minio: minioSchema(`${field}.minio`),
        ...roles,
    };
}

type ClusterParsed = z.output<z.ZodObject<ReturnType<typeof clusterShape>>>;

function oneOfOr<T extends string>(values: readonly T[], v: unknown, fallback: T): T {
    return (values as readonly unknown[]).includes(v) ? (v as T) : fallback;
}

/** Checks across keys; they read only values that parsed, so they run alongside every other problem. */
function checkCluster(field: string, c: ClusterParsed, ctx: z.core.$RefinementCtx<unknown>): void {
    const chartVersion = typeof c.chartVersion === "string" && SEMVER.test(c.chartVersion) ? c.chartVersion : DEFAULT_CHART_VERSION;
    const milvusGiven = c.milvusVersion !== undefined;
    const milvusValid = !milvusGiven || (typeof c.milvusVersion === "string" && MILVUS_TAG.test(c.milvusVersion));
    if (milvusValid && c.acceptUnverifiedPairing !== true) {
        const pairing = chartPairing(chartVersion, c.milvusVersion ?? defaultMilvusVersionFor(chartVersion));
        if (!pairing.verified) {
            const [key, value, allowed] = pairingProblem(field, pairing, milvusGiven);
            report(ctx, [key], value, allowed);
        }
    }

    const messageQueue = oneOfOr(MESSAGE_QUEUES, c.messageQueue, "woodpecker");
    for (const queue of ["pulsar", "kafka"] as const) {
        if (messageQueue !== queue && c[queue] !== undefined) reportGiven(ctx, [queue], `unset unless ${field}.messageQueue is "${queue}"`);
    }

    if (typeof c.releaseName === "string" && DNS_LABEL.test(c.releaseName)) {
        const minioMode = oneOfOr(MINIO_MODES, (c.minio as { mode?: unknown } | undefined)?.mode, "distributed");
        const serviceType = oneOfOr(SERVICE_TYPES, (c.service as { type?: unknown } | undefined)?.type, "ClusterIP");
        const [tightest] = namesOverLimit({ releaseName: c.releaseName, messageQueue, minioMode, serviceType });
        if (tightest) {
            const what =
                tightest.kind === "HelmRelease"
                    ? `a Helm release name (${NAME_LIMITS.HelmRelease.why})`
                    : `the ${tightest.kind} "${tightest.name}" would be ${tightest.name.length} characters; at most ${tightest.limit}, as ${tightest.why}`;
            report(ctx, ["releaseName"], c.releaseName, `a name of at most ${tightest.maxReleaseName} characters with these settings (${what})`);
        }
    }
}

function toClusterConfig(c: ClusterParsed): ClusterSettings {
    const milvusVersion = c.milvusVersion ?? defaultMilvusVersionFor(c.chartVersion);
    const roles = Object.fromEntries(CLUSTER_ROLES.map((role) => [role, c[role]])) as Record<ClusterRole, RoleSettings>;
    const defaults = (queue: "pulsar" | "kafka") => (queue === "pulsar" ? pulsarSchema("(defaults)") : kafkaSchema("(defaults)")).parse({});
    const pulsar = c.messageQueue === "pulsar" ? (c.pulsar ?? (defaults("pulsar") as PulsarSettings)) : undefined;
    const kafka = c.messageQueue === "kafka" ? (c.kafka ?? (defaults("kafka") as KafkaSettings)) : undefined;
    return {
        namespace: c.namespace,
        createNamespace: c.createNamespace,
        releaseName: c.releaseName,
        chart: { repository: c.chartRepository, name: CHART_NAME, version: c.chartVersion },
        milvus: { repository: c.milvusRepository, version: milvusVersion, imageTag: c.gpu.enabled ? `${milvusVersion}-gpu` : milvusVersion },
        pairing: chartPairing(c.chartVersion, milvusVersion),
        acceptUnverifiedPairing: c.acceptUnverifiedPairing,
        gpu: c.gpu,
        roles,
        etcd: c.etcd,
        minio: c.minio,
        messageQueue: c.messageQueue,
        ...(pulsar ? { pulsar } : {}),
        ...(kafka ? { kafka } : {}),
        service: c.service,
        serviceMonitor: c.serviceMonitor,
        timeoutSeconds: c.timeoutSeconds,
    };
}

/**
 * The `cluster` block's schema; `field` is its dotted path, which messages naming a sibling
 * key (`cluster.gpu.enabled`) use. Parses to the ClusterSettings with every default filled.
 */
export function clusterSettingsSchemaAt(field: string) {
    return block(clusterShape(field), field)
        .superRefine((c, ctx) => checkCluster(field, c, ctx), always)
        .transform(toClusterConfig);
}

/** The stack key `milvus-gpu:cluster`. */
export const clusterSettingsSchema = clusterSettingsSchemaAt("cluster");

export type ClusterSettingsInput = z.input<typeof clusterSettingsSchema>;

/**
 * Validates the `cluster` section of a stack config and fills the defaults. Every bad
 * field is reported in one ConfigErrors, each naming its dotted path.
 */
export function parseClusterSettings(raw: unknown, field = "cluster"): ClusterSettings {
    return parseWith(field === "cluster" ? clusterSettingsSchema : clusterSettingsSchemaAt(field), raw, field);
}

/** The error for a chart/Milvus pair outside the table: on the Milvus tag if it was given, else on the chart version. */
function pairingProblem(field: string, p: Pairing, milvusGiven: boolean): ["chartVersion" | "milvusVersion", unknown, string] {
    const optIn = `or set ${field}.acceptUnverifiedPairing: true to deploy a pair nobody has checked`;
    if (p.chartLine === undefined) {
        return ["chartVersion", p.chartVersion, `a chart version whose Milvus line is known: ${describeChartTable()}, ${optIn}`];
    }
    return [
        milvusGiven ? "milvusVersion" : "chartVersion",
        milvusGiven ? p.milvusVersion : p.chartVersion,
        `a Milvus ${p.chartLine}.x release such as "${defaultMilvusVersionFor(p.chartVersion)}" (chart ${p.chartVersion} was made for Milvus ${p.chartLine}), ${optIn}`,
    ];
}
