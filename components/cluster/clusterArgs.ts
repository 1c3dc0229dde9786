/**
 * The cluster settings as a program writes them: the `milvus-gpu:cluster` stack key's form,
 * every field optional. Plain values only, so any Pulumi language can send them;
 * parseClusterSettings checks them and fills the defaults (see config.ts for each rule).
 */

/** `cpu`/`memory` are limits; the requests default to the limits. */
export interface ResourceArgs {
    /** CPU limit: a number of cores (2, "1.5") or millicores ("500m"). */
    cpu?: number | string;
    cpuRequest?: number | string;
    /** Memory limit with a unit, e.g. "16Gi" or "512m". */
    memory?: string;
    memoryRequest?: string;
}

export interface RoleArgs extends ResourceArgs {
    replicas?: number;
}

export interface StorageArgs {
    /** Volume size with a unit, e.g. "100Gi". */
    storageSize?: string;
    /** StorageClass of the volume claims; the cluster's default when unset. */
    storageClass?: string;
}

export interface ClusterGpuArgs {
    enabled?: boolean;
    /** nvidia.com/gpu per query node pod (default 1 when enabled). */
    queryNode?: number;
    /** nvidia.com/gpu per data node pod (default 1 when enabled). */
    dataNode?: number;
    /** Node labels the GPU pods must match, e.g. a GPU node pool. */
    nodeSelector?: Record<string, string>;
}

/** A workload with volumes. */
export interface StoredRoleArgs extends RoleArgs, StorageArgs {}

export interface ClusterMinioArgs extends StoredRoleArgs {
    /** One of "standalone", "distributed" (default; at least 4 replicas). */
    mode?: "standalone" | "distributed";
}

export interface PulsarBookkeeperArgs extends RoleArgs {
    journalSize?: string;
    ledgersSize?: string;
    storageClass?: string;
}

export interface PulsarArgs {
    zookeeper?: StoredRoleArgs;
    bookkeeper?: PulsarBookkeeperArgs;
    broker?: RoleArgs;
    proxy?: RoleArgs;
    autorecovery?: RoleArgs;
}

export interface KafkaArgs {
    broker?: StoredRoleArgs;
    zookeeper?: StoredRoleArgs;
}

export interface ClusterServiceArgs {
    /** One of "ClusterIP" (default), "LoadBalancer", "NodePort". */
    type?: "ClusterIP" | "LoadBalancer" | "NodePort";
    /** CIDRs allowed to reach a LoadBalancer (required for one). */
    loadBalancerSourceRanges?: string[];
    /** Also publish the metrics/health port 9091 outside the cluster. */
    exposeMetrics?: boolean;
}

export interface ServiceMonitorArgs {
    enabled?: boolean;
    /** Scrape interval, e.g. "30s". */
    interval?: string;
    scrapeTimeout?: string;
    /** Labels a Prometheus selects ServiceMonitors by. */
    labels?: Record<string, string>;
}

export interface ClusterArgs {
    namespace?: string;
    /** Create the namespace (false: it exists and is managed elsewhere). */
    createNamespace?: boolean;
    releaseName?: string;
    /** Exact milvus-helm chart version, e.g. "5.0.19". */
    chartVersion?: string;
    chartRepository?: string;
    /** Exact Milvus release tag without "-gpu", e.g. "v2.6.16"; by default the chart's own. */
    milvusVersion?: string;
    milvusRepository?: string;
    /** Deploy a chart/Milvus pair that is not in the verified table. */
    acceptUnverifiedPairing?: boolean;
    gpu?: ClusterGpuArgs;
    /** One of "woodpecker" (default), "pulsar", "kafka". */
    messageQueue?: "woodpecker" | "pulsar" | "kafka";
    pulsar?: PulsarArgs;
    kafka?: KafkaArgs;
    service?: ClusterServiceArgs;
    serviceMonitor?: ServiceMonitorArgs;
    /** Seconds Helm waits for every pod to become ready (60 to 7200, default 1200). */
    timeoutSeconds?: number;
    etcd?: StoredRoleArgs;
    minio?: ClusterMinioArgs;
    proxy?: RoleArgs;
    mixCoordinator?: RoleArgs;
    queryNode?: RoleArgs;
    dataNode?: RoleArgs;
    streamingNode?: RoleArgs;
}
