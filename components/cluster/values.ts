import { CLUSTER_ROLES, ClusterConfig, ClusterRole, ComputeResources, PersistentStorage } from "./config";

/** Key of the root password inside the Kubernetes Secret the Milvus pods read it from. */
export const ROOT_PASSWORD_SECRET_KEY = "root-password";

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

/** The Kubernetes resources block for one container. */
export function podResources(r: ComputeResources, gpus = 0): Record<string, Record<string, string | number>> {
    const limits: Record<string, string | number> = { cpu: r.cpuLimit, memory: r.memoryLimit };
    // Extended resources are set as limits only; Kubernetes then requests the same count.
    if (gpus > 0) limits["nvidia.com/gpu"] = gpus;
    return { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits };
}

function gpusFor(config: ClusterConfig, role: ClusterRole): number {
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

function roleValues(config: ClusterConfig, role: ClusterRole, secrets: ClusterSecrets): Record<string, unknown> {
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
    return out;
}

function pvc(storage: PersistentStorage, accessModeKey: "accessMode" | "accessModes"): Record<string, unknown> {
    const out: Record<string, unknown> = { enabled: true, size: storage.size };
    out[accessModeKey] = accessModeKey === "accessMode" ? "ReadWriteOnce" : ["ReadWriteOnce"];
    if (storage.storageClass !== undefined) out.storageClass = storage.storageClass;
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
export function milvusClusterValues(config: ClusterConfig, secrets: ClusterSecrets): Record<string, unknown> {
    const roles: Record<string, unknown> = {};
    for (const role of CLUSTER_ROLES) roles[role] = roleValues(config, role, secrets);

    const values: Record<string, unknown> = {
        cluster: { enabled: true },
        image: { all: { repository: config.milvus.repository, tag: config.milvus.imageTag, pullPolicy: "IfNotPresent" } },
        // Belt and braces with the env above: the config file also says authentication is on.
        extraConfigFiles: { "user.yaml": "common:\n  security:\n    authorizationEnabled: true\n" },
        service: {
            type: config.service.type,
            port: 19530,
            ...(config.service.type === "LoadBalancer" ? { loadBalancerSourceRanges: config.service.loadBalancerSourceRanges } : {}),
        },
        metrics: { enabled: true },
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
            livenessProbe: PROBE,
            readinessProbe: PROBE,
        },
        minio: {
            enabled: true,
            mode: config.minio.mode,
            ...(config.minio.mode === "distributed" ? { replicas: config.minio.replicas } : {}),
            accessKey: secrets.minioAccessKey,
            secretKey: secrets.minioSecretKey,
            resources: podResources(config.minio.resources),
            persistence: pvc(config.minio.persistence, "accessMode"),
            livenessProbe: PROBE,
            readinessProbe: PROBE,
            startupProbe: PROBE,
        },
        ...messageQueueValues(config),
    };
    return values;
}

/**
 * The chart picks the queue from which dependency is enabled. Woodpecker runs embedded in
 * the streaming nodes and keeps its log in MinIO, so it adds no stateful service of its own.
 */
function messageQueueValues(config: ClusterConfig): Record<string, unknown> {
    switch (config.messageQueue) {
        case "woodpecker":
            return {
                streaming: { enabled: true, woodpecker: { embedded: true, storage: { type: "minio" } } },
                woodpecker: { enabled: true },
                pulsarv3: { enabled: false },
                pulsar: { enabled: false },
                kafka: { enabled: false },
            };
        case "pulsar":
            return {
                streaming: { enabled: true },
                woodpecker: { enabled: false },
                pulsarv3: { enabled: true },
                pulsar: { enabled: false },
                kafka: { enabled: false },
            };
        case "kafka":
            return {
                streaming: { enabled: true },
                woodpecker: { enabled: false },
                pulsarv3: { enabled: false },
                pulsar: { enabled: false },
                kafka: { enabled: true, persistence: { enabled: true } },
            };
    }
}

/** In-cluster address of the proxy service (the chart names it after the release). */
export function clusterServiceName(config: ClusterConfig): string {
    return config.releaseName.includes("milvus") ? config.releaseName : `${config.releaseName}-milvus`;
}

export function clusterAddress(config: ClusterConfig): string {
    return `${clusterServiceName(config)}.${config.namespace}.svc.cluster.local:19530`;
}

export function clusterHealthUrl(config: ClusterConfig): string {
    return `http://${clusterServiceName(config)}.${config.namespace}.svc.cluster.local:9091/healthz`;
}
