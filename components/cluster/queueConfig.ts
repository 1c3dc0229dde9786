import { ConfigError } from "../errors";
import { objectAt, optionalInteger, Problems, rejectUnknownKeys } from "../validate";
import { ComputeResources, memoryQuantity, parseResources, parseStorage, PersistentStorage, RESOURCE_KEYS } from "./quantities";

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

export interface PulsarConfig {
    zookeeper: QueueWorkload & { persistence: PersistentStorage };
    bookkeeper: QueueWorkload & { journal: PersistentStorage; ledgers: PersistentStorage };
    broker: QueueWorkload;
    proxy: QueueWorkload;
    autorecovery: QueueWorkload;
}

export interface KafkaConfig {
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

function parseWorkload(obj: Record<string, unknown>, field: string, rule: WorkloadRule, problems: Problems): QueueWorkload {
    const replicas =
        problems.capture(() => {
            const n = optionalInteger(obj.replicas, `${field}.replicas`, { max: rule.maxReplicas }) ?? rule.replicas;
            if (n < rule.minReplicas) {
                throw new ConfigError(`${field}.replicas`, obj.replicas, `an integer >= ${rule.minReplicas}${rule.replicasWhy ? ` (${rule.replicasWhy})` : ""}`);
            }
            if (rule.odd && n % 2 === 0) throw new ConfigError(`${field}.replicas`, obj.replicas, "an odd number: ZooKeeper needs a majority to elect a leader");
            return n;
        }) ?? rule.replicas;
    const resources = problems.capture(() => parseResources(obj, field, rule, JVM_MIN_MEMORY)) ?? parseResources({}, field, rule);
    return { replicas, resources };
}

export function parsePulsar(raw: unknown, field: string): PulsarConfig {
    const obj = objectAt(raw, field);
    const problems = new Problems();
    problems.capture(() => rejectUnknownKeys(obj, field, PULSAR_COMPONENTS));
    const block = (name: (typeof PULSAR_COMPONENTS)[number], extraKeys: string[]) => {
        const f = `${field}.${name}`;
        const o = problems.capture(() => {
            const b = objectAt(obj[name], f);
            rejectUnknownKeys(b, f, ["replicas", ...RESOURCE_KEYS, ...extraKeys]);
            return b;
        }) ?? {};
        return { o, f, workload: parseWorkload(o, f, PULSAR_RULES[name], problems) };
    };
    const zk = block("zookeeper", ["storageSize", "storageClass"]);
    const bk = block("bookkeeper", ["journalSize", "ledgersSize", "storageClass"]);
    const broker = block("broker", []);
    const proxy = block("proxy", []);
    const recovery = block("autorecovery", []);
    const zkStorage = problems.capture(() => parseStorage(zk.o, zk.f, "20Gi"));
    const journal = problems.capture(() => parseStorage(bk.o, bk.f, "100Gi", "journalSize"));
    const ledgersSize = problems.capture(() => memoryQuantity(bk.o.ledgersSize ?? "200Gi", `${bk.f}.ledgersSize`));
    problems.throwIfAny();
    return {
        zookeeper: { ...zk.workload, persistence: zkStorage! },
        bookkeeper: {
            ...bk.workload,
            journal: journal!,
            ledgers: { size: ledgersSize!.quantity, sizeBytes: ledgersSize!.bytes, storageClass: journal!.storageClass },
        },
        broker: broker.workload,
        proxy: proxy.workload,
        autorecovery: recovery.workload,
    };
}

export function parseKafka(raw: unknown, field: string): KafkaConfig {
    const obj = objectAt(raw, field);
    const problems = new Problems();
    problems.capture(() => rejectUnknownKeys(obj, field, KAFKA_COMPONENTS));
    const out: Partial<KafkaConfig> = {};
    for (const name of KAFKA_COMPONENTS) {
        const f = `${field}.${name}`;
        const o = problems.capture(() => {
            const b = objectAt(obj[name], f);
            rejectUnknownKeys(b, f, ["replicas", ...RESOURCE_KEYS, "storageSize", "storageClass"]);
            return b;
        }) ?? {};
        const workload = parseWorkload(o, f, KAFKA_RULES[name], problems);
        const persistence = problems.capture(() => parseStorage(o, f, name === "broker" ? "300Gi" : "8Gi"));
        if (persistence) out[name] = { ...workload, persistence };
    }
    problems.throwIfAny();
    return out as KafkaConfig;
}
