import { always, block, int, reportGiven, z } from "../configSchema";
import { checkResources, ComputeResources, computeResources, persistentStorage, PersistentStorage, resourcesShape, storageClass, storageQuantity } from "./quantities";

/**
 * Settings of the message-queue dependencies the chart deploys as subcharts (Pulsar 3 as
 * `pulsarv3`, Kafka with its own ZooKeeper). Every one of their pods gets a memory limit and
 * every volume the configured class and size: left to the chart, they get requests only and
 * the cluster's default class.
 */
export interface QueueWorkload {
    replicas: number;
    resources: ComputeResources;
}

export interface PulsarSettings {
    zookeeper: QueueWorkload & { persistence: PersistentStorage };
    bookkeeper: QueueWorkload & { journal: PersistentStorage; ledgers: PersistentStorage };
    broker: QueueWorkload;
    proxy: QueueWorkload;
    autorecovery: QueueWorkload;
}

export interface KafkaSettings {
    broker: QueueWorkload & { persistence: PersistentStorage };
    zookeeper: QueueWorkload & { persistence: PersistentStorage };
}

export const PULSAR_COMPONENTS = ["zookeeper", "bookkeeper", "broker", "proxy", "autorecovery"] as const;
export const KAFKA_COMPONENTS = ["broker", "zookeeper"] as const;

interface WorkloadRule {
    replicas: number;
    minReplicas: number;
    maxReplicas: number;
    /** Why the minimum, shown with the error. */
    replicasWhy?: string;
    odd?: boolean;
    cpu: string;
    memory: string;
}

// These run a JVM whose heap the values builder sizes from the memory limit.
const JVM_MIN_MEMORY = { bytes: 512 * 1024 ** 2, why: "the JVM heap is sized from this limit" };

const PULSAR_RULES: Record<(typeof PULSAR_COMPONENTS)[number], WorkloadRule> = {
    zookeeper: { replicas: 3, minReplicas: 1, maxReplicas: 7, odd: true, cpu: "500m", memory: "1Gi" },
    // The chart writes ledgers to 2 bookies (ensemble 2): one bookie drained must leave 2.
    bookkeeper: { replicas: 3, minReplicas: 3, maxReplicas: 32, replicasWhy: "the chart writes every ledger to 2 bookies, so one may be drained", cpu: "1", memory: "8Gi" },
    broker: { replicas: 2, minReplicas: 1, maxReplicas: 32, cpu: "1", memory: "8Gi" },
    proxy: { replicas: 2, minReplicas: 1, maxReplicas: 32, cpu: "500m", memory: "2Gi" },
    autorecovery: { replicas: 1, minReplicas: 1, maxReplicas: 8, cpu: "500m", memory: "512Mi" },
};

const KAFKA_RULES: Record<(typeof KAFKA_COMPONENTS)[number], WorkloadRule> = {
    // The chart creates topics with replication factor 3.
    broker: { replicas: 3, minReplicas: 3, maxReplicas: 32, replicasWhy: "the chart creates topics with replication factor 3", cpu: "2", memory: "8Gi" },
    zookeeper: { replicas: 3, minReplicas: 1, maxReplicas: 7, odd: true, cpu: "500m", memory: "1Gi" },
};

function workloadShape(rule: WorkloadRule) {
    const { minReplicas: min, maxReplicas: max } = rule;
    return {
        replicas: int({ min, max }, `an integer from ${min} to ${max}${rule.replicasWhy ? ` (${rule.replicasWhy})` : ""}`).default(rule.replicas),
        ...resourcesShape(rule),
    };
}

function checkWorkload(rule: WorkloadRule) {
    return (w: object, ctx: z.core.$RefinementCtx<unknown>) => {
        const replicas = (w as { replicas?: unknown }).replicas;
        if (rule.odd && typeof replicas === "number" && replicas % 2 === 0) {
            reportGiven(ctx, ["replicas"], "an odd number: ZooKeeper needs a majority to elect a leader");
        }
        checkResources(w, ctx, JVM_MIN_MEMORY);
    };
}

function workload(w: z.output<z.ZodObject<ReturnType<typeof workloadShape>>>): QueueWorkload {
    return { replicas: w.replicas, resources: computeResources(w) };
}

/** `cluster.pulsar`: one block per Pulsar component; `field` is its dotted path. */
export function pulsarSchema(field: string) {
    const at = (name: keyof typeof PULSAR_RULES) => `${field}.${name}`;
    const plain = (name: keyof typeof PULSAR_RULES) => block(workloadShape(PULSAR_RULES[name]), at(name)).superRefine(checkWorkload(PULSAR_RULES[name]), always);
    return block(
        {
            zookeeper: block({ ...workloadShape(PULSAR_RULES.zookeeper), storageSize: storageQuantity().prefault("20Gi"), storageClass: storageClass().optional() }, at("zookeeper")).superRefine(
                checkWorkload(PULSAR_RULES.zookeeper),
                always,
            ),
            bookkeeper: block(
                {
                    ...workloadShape(PULSAR_RULES.bookkeeper),
                    journalSize: storageQuantity().prefault("100Gi"),
                    ledgersSize: storageQuantity().prefault("200Gi"),
                    storageClass: storageClass().optional(),
                },
                at("bookkeeper"),
            ).superRefine(checkWorkload(PULSAR_RULES.bookkeeper), always),
            broker: plain("broker"),
            proxy: plain("proxy"),
            autorecovery: plain("autorecovery"),
        },
        field,
    )
        // Absent stays absent (not defaults): the block is only allowed with messageQueue pulsar.
        .unwrap()
        .transform(
        (p): PulsarSettings => ({
            zookeeper: { ...workload(p.zookeeper), persistence: persistentStorage(p.zookeeper.storageSize, p.zookeeper.storageClass) },
            bookkeeper: {
                ...workload(p.bookkeeper),
                journal: persistentStorage(p.bookkeeper.journalSize, p.bookkeeper.storageClass),
                ledgers: persistentStorage(p.bookkeeper.ledgersSize, p.bookkeeper.storageClass),
            },
            broker: workload(p.broker),
            proxy: workload(p.proxy),
            autorecovery: workload(p.autorecovery),
        }),
    );
}

/** `cluster.kafka`: the brokers and their ZooKeeper; `field` is its dotted path. */
export function kafkaSchema(field: string) {
    const component = (name: keyof typeof KAFKA_RULES, size: string) =>
        block(
            { ...workloadShape(KAFKA_RULES[name]), storageSize: storageQuantity().prefault(size), storageClass: storageClass().optional() },
            `${field}.${name}`,
        )
            .superRefine(checkWorkload(KAFKA_RULES[name]), always)
            .transform((c) => ({ ...workload(c), persistence: persistentStorage(c.storageSize, c.storageClass) }));
    // Absent stays absent (not defaults): the block is only allowed with messageQueue kafka.
    return block({ broker: component("broker", "300Gi"), zookeeper: component("zookeeper", "8Gi") }, field).unwrap();
}
