import { ClusterSettings } from "./config";
import { KafkaSettings, PulsarSettings, QueueWorkload } from "./queueConfig";
import { HELPER_CONTAINER, mibOf, ONE_AT_A_TIME, podResources, pvc } from "./resources";

/**
 * Chart values of the message queue. The chart picks the queue from which dependency is
 * enabled. Woodpecker runs embedded in the streaming nodes and keeps its log in MinIO, so it
 * adds no stateful service of its own; Pulsar and Kafka are subcharts whose every container
 * gets a memory limit, whose JVM heaps are sized inside those limits, whose volumes get the
 * configured class and size, and whose pods get PodDisruptionBudgets.
 */
export function messageQueueValues(config: ClusterSettings): Record<string, unknown> {
    const off = { enabled: false };
    switch (config.messageQueue) {
        case "woodpecker":
            return {
                streaming: { enabled: true, woodpecker: { embedded: true, storage: { type: "minio" } } },
                woodpecker: { enabled: true },
                pulsarv3: off,
                pulsar: off,
                kafka: off,
            };
        case "pulsar":
            return { streaming: { enabled: true }, woodpecker: off, pulsarv3: pulsarValues(config.pulsar!), pulsar: off, kafka: off };
        case "kafka":
            return { streaming: { enabled: true }, woodpecker: off, pulsarv3: off, pulsar: off, kafka: kafkaValues(config.kafka!) };
    }
}

/** Pulsar's JVM options: heap and direct memory as shares of the container's limit. */
function pulsarMem(w: QueueWorkload, heapShare: number, directShare?: number): string {
    const heap = mibOf(w.resources, heapShare);
    const direct = directShare === undefined ? "" : ` -XX:MaxDirectMemorySize=${mibOf(w.resources, directShare)}m`;
    return `-Xms${heap}m -Xmx${heap}m${direct}`;
}

const PULSAR_PDB = { pdb: { usePolicy: true, ...ONE_AT_A_TIME } };

function pulsarWorkload(w: QueueWorkload): Record<string, unknown> {
    return { replicaCount: w.replicas, resources: podResources(w.resources) };
}

function pulsarVolume(name: string, storage: { size: string; storageClass?: string }): Record<string, unknown> {
    return { name, size: storage.size, ...(storage.storageClass !== undefined ? { storageClassName: storage.storageClass } : {}) };
}

function pulsarValues(p: PulsarSettings): Record<string, unknown> {
    return {
        enabled: true,
        persistence: true,
        volumes: { persistence: true, local_storage: false },
        // Every wait-for init container of every Pulsar pod.
        initContainer: { resources: podResources(HELPER_CONTAINER) },
        // The one-off cluster metadata Job.
        pulsar_metadata: { resources: podResources(HELPER_CONTAINER) },
        zookeeper: {
            ...pulsarWorkload(p.zookeeper),
            ...PULSAR_PDB,
            volumes: { persistence: true, data: pulsarVolume("data", p.zookeeper.persistence) },
            configData: { PULSAR_MEM: pulsarMem(p.zookeeper, 0.5) },
        },
        bookkeeper: {
            ...pulsarWorkload(p.bookkeeper),
            ...PULSAR_PDB,
            // The one-off `bookkeeper shell initnewcluster` Job.
            metadata: { resources: podResources(HELPER_CONTAINER) },
            volumes: {
                persistence: true,
                journal: pulsarVolume("journal", p.bookkeeper.journal),
                ledgers: pulsarVolume("ledgers", p.bookkeeper.ledgers),
            },
            configData: { PULSAR_MEM: pulsarMem(p.bookkeeper, 0.25, 0.5) },
        },
        broker: { ...pulsarWorkload(p.broker), ...PULSAR_PDB, configData: { PULSAR_MEM: pulsarMem(p.broker, 0.25, 0.5) } },
        proxy: { ...pulsarWorkload(p.proxy), ...PULSAR_PDB, configData: { PULSAR_MEM: pulsarMem(p.proxy, 0.25, 0.5) } },
        autorecovery: { ...pulsarWorkload(p.autorecovery), configData: { BOOKIE_MEM: pulsarMem(p.autorecovery, 0.5) } },
    };
}

const BITNAMI_PDB = { pdb: { create: true, minAvailable: "", ...ONE_AT_A_TIME } };

function kafkaValues(k: KafkaSettings): Record<string, unknown> {
    const heap = mibOf(k.broker.resources, 0.5);
    return {
        enabled: true,
        replicaCount: k.broker.replicas,
        resources: podResources(k.broker.resources),
        heapOpts: `-Xmx${heap}m -Xms${heap}m`,
        persistence: pvc(k.broker.persistence, "accessModes"),
        ...BITNAMI_PDB,
        zookeeper: {
            enabled: true,
            replicaCount: k.zookeeper.replicas,
            resources: podResources(k.zookeeper.resources),
            // Megabytes, as ZOO_HEAP_SIZE.
            heapSize: mibOf(k.zookeeper.resources, 0.5),
            persistence: pvc(k.zookeeper.persistence, "accessModes"),
            ...BITNAMI_PDB,
        },
    };
}
