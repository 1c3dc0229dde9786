import { CLUSTER_ROLES, ClusterSettings, ClusterRole } from "./config";
import { rolePodLabels } from "./extraObjects";
import { chartFullname, ROLE_COMPONENT } from "./names";
import { messageQueueValues } from "./queueValues";
import { ONE_AT_A_TIME, podResources, pvc } from "./resources";

export { podResources } from "./resources";

/** Key of the root password inside the Kubernetes Secret the Milvus pods read it from. */
export const ROOT_PASSWORD_SECRET_KEY = "root-password";

/**
 * Where Milvus keeps its segments in the chart's MinIO. These are the chart's defaults; they are
 * written into the values anyway because milvus-backup (the backup CronJob) must read the same
 * bucket and path, and a chart upgrade that changed a default would otherwise leave it copying
 * an empty prefix.
 */
export const CHART_MINIO_BUCKET = "milvus-bucket";
export const CHART_MINIO_ROOT_PATH = "file";
/** The MinIO subchart's Service port (the chart's `minio.service.port`, which the values do not change). */
export const CHART_MINIO_PORT = 9000;

/**
 * What the Helm values need from the deployment's secrets. MinIO keys go into the chart
 * values (the chart writes them into Milvus's config); the root password never does: pods
 * read it from a Kubernetes Secret by name.
 */
export interface ClusterSecrets {
    minioAccessKey: string;
    minioSecretKey: string;
    rootPasswordSecretName: string;
}

function gpusFor(config: ClusterSettings, role: ClusterRole): number {
    if (!config.gpu.enabled) return 0;
    if (role === "queryNode") return config.gpu.queryNode;
    if (role === "dataNode") return config.gpu.dataNode;
    return 0;
}

/** Milvus reads `common.security.*` from env too; the password comes from the Secret, never from values. */
function authEnv(secretName: string): Record<string, unknown>[] {
    return [
        { name: "COMMON_SECURITY_AUTHORIZATIONENABLED", value: "true" },
        {
            name: "COMMON_SECURITY_DEFAULTROOTPASSWORD",
            valueFrom: { secretKeyRef: { name: secretName, key: ROOT_PASSWORD_SECRET_KEY } },
        },
    ];
}

/**
 * Replicas of a role on different nodes. For query nodes that is a hard rule, so a node
 * drain or failure never takes every replica (and the loaded segments) at once; the other
 * roles prefer it. Only nodes a pod may run on count, so a single GPU node still schedules.
 */
function spreadOverNodes(config: ClusterSettings, role: ClusterRole): Record<string, unknown> {
    return {
        maxSkew: 1,
        topologyKey: "kubernetes.io/hostname",
        whenUnsatisfiable: role === "queryNode" ? "DoNotSchedule" : "ScheduleAnyway",
        labelSelector: { matchLabels: rolePodLabels(config, ROLE_COMPONENT[role]) },
    };
}

function roleValues(config: ClusterSettings, role: ClusterRole, secrets: ClusterSecrets): Record<string, unknown> {
    const settings = config.roles[role];
    const out: Record<string, unknown> = {
        replicas: settings.replicas,
        resources: podResources(settings.resources, gpusFor(config, role)),
        extraEnv: authEnv(secrets.rootPasswordSecretName),
    };
    if (role !== "streamingNode") out.enabled = true;
    if (gpusFor(config, role) > 0) {
        // GPU node pools are commonly tainted so that only GPU workloads land there.
        out.tolerations = [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }];
        if (Object.keys(config.gpu.nodeSelector).length > 0) out.nodeSelector = { ...config.gpu.nodeSelector };
    }
    if (role === "mixCoordinator" && settings.replicas > 1) out.activeStandby = { enabled: true };
    if (settings.replicas > 1) out.topologySpreadConstraints = [spreadOverNodes(config, role)];
    return out;
}

const PROBE = { enabled: true };

/**
 * Helm values for the `milvus` chart (5.x layout) from a validated cluster config. Pure:
 * the same object is what the component deploys, what tests read and what the policy
 * pack checks. Everything a safe deployment depends on is set explicitly rather than
 * left to chart defaults, so a chart upgrade that changes a default cannot silently
 * turn off persistence, probes or authentication.
 */
export function milvusClusterValues(config: ClusterSettings, secrets: ClusterSecrets): Record<string, unknown> {
    const roles: Record<string, unknown> = {};
    for (const role of CLUSTER_ROLES) roles[role] = roleValues(config, role, secrets);

    const values: Record<string, unknown> = {
        cluster: { enabled: true },
        image: { all: { repository: config.milvus.repository, tag: config.milvus.imageTag, pullPolicy: "IfNotPresent" } },
        // Belt and braces with the env above: the config file also says authentication is on.
        extraConfigFiles: { "user.yaml": "common:\n  security:\n    authorizationEnabled: true\n" },
        // Always cluster-internal (with the metrics port); access from outside goes through externalService.
        service: { type: "ClusterIP", port: 19530 },
        metrics: { enabled: true, serviceMonitor: serviceMonitorValues(config) },
        livenessProbe: PROBE,
        readinessProbe: PROBE,
        ...roles,
        // Removed roles of the pre-2.6 layout stay off explicitly.
        indexNode: { enabled: false },
        rootCoordinator: { enabled: false },
        queryCoordinator: { enabled: false },
        dataCoordinator: { enabled: false },
        indexCoordinator: { enabled: false },
        etcd: {
            enabled: true,
            replicaCount: config.etcd.replicas,
            resources: podResources(config.etcd.resources),
            // The bitnami etcd subchart takes a list (accessModes); the MinIO one a string (accessMode).
            persistence: pvc(config.etcd.persistence, "accessModes"),
            // At most one member away: 3 keep a quorum of 2 through a drain.
            pdb: { create: true, minAvailable: "", ...ONE_AT_A_TIME },
            livenessProbe: PROBE,
            readinessProbe: PROBE,
        },
        minio: {
            enabled: true,
            mode: config.minio.mode,
            ...(config.minio.mode === "distributed" ? { replicas: config.minio.replicas } : {}),
            accessKey: secrets.minioAccessKey,
            secretKey: secrets.minioSecretKey,
            bucketName: CHART_MINIO_BUCKET,
            rootPath: CHART_MINIO_ROOT_PATH,
            resources: podResources(config.minio.resources),
            persistence: pvc(config.minio.persistence, "accessMode"),
            // The subchart's budget is not release-scoped; the component adds its own (extraObjects).
            podDisruptionBudget: { enabled: false },
            livenessProbe: PROBE,
            readinessProbe: PROBE,
            startupProbe: PROBE,
        },
        ...messageQueueValues(config),
    };
    return values;
}

/** The chart's ServiceMonitor selects every Service of the release with a metrics port: the proxy's and each role's. */
function serviceMonitorValues(config: ClusterSettings): Record<string, unknown> {
    const sm = config.serviceMonitor;
    if (!sm.enabled) return { enabled: false };
    return { enabled: true, interval: sm.interval, scrapeTimeout: sm.scrapeTimeout, additionalLabels: { ...sm.labels } };
}

/** In-cluster address of the proxy service (the chart names it after the release). */
export function clusterServiceName(config: ClusterSettings): string {
    return chartFullname(config.releaseName, "milvus");
}

/** The MinIO subchart's Service, which Milvus's config names as its object store (config.tpl `minio.address`). */
export function chartMinioServiceName(config: ClusterSettings): string {
    return chartFullname(config.releaseName, "minio");
}

export function clusterAddress(config: ClusterSettings): string {
    return `${clusterServiceName(config)}.${config.namespace}.svc.cluster.local:19530`;
}

export function clusterHealthUrl(config: ClusterSettings): string {
    return `http://${clusterServiceName(config)}.${config.namespace}.svc.cluster.local:9091/healthz`;
}
