import { describe, expect, it } from "vitest";
import { parseClusterSettings } from "../../../components/cluster/config";
import { milvusClusterValues } from "../../../components/cluster/values";
import { configErrorsIn } from "../../helpers/configErrors";

const SECRETS = { minioAccessKey: "generated-access", minioSecretKey: "generated-secret", rootPasswordSecretName: "milvus-root-password" };
type Obj = Record<string, any>;
const MIB = 1024 ** 2;

function values(raw: unknown): Obj {
    return milvusClusterValues(parseClusterSettings(raw), SECRETS) as Obj;
}

function bytes(q: string): number {
    const m = /^(\d+)(Mi|Gi)$/.exec(q)!;
    return Number(m[1]) * (m[2] === "Gi" ? 1024 ** 3 : MIB);
}

/** MiB of heap (+ direct memory) a JVM option string reserves. */
function jvmMib(opts: string): number {
    const mb = (re: RegExp) => Number(re.exec(opts)?.[1] ?? 0);
    return mb(/-Xmx(\d+)m/) + mb(/MaxDirectMemorySize=(\d+)m/);
}

const fieldsOf = (fn: () => unknown): string[] => configErrorsIn(fn).map((e) => e.field);

describe("Pulsar values", () => {
    const PULSAR = ["zookeeper", "bookkeeper", "broker", "proxy", "autorecovery"];

    it("puts a memory limit on every Pulsar component, the init containers and the metadata Jobs", () => {
        const p = values({ messageQueue: "pulsar" }).pulsarv3;
        expect(p.enabled).toBe(true);
        for (const c of PULSAR) {
            expect(p[c].resources.limits.memory, c).toMatch(/^\d+(Mi|Gi)$/);
            expect(p[c].resources.requests.memory, c).toBe(p[c].resources.limits.memory);
        }
        for (const helper of [p.initContainer, p.pulsar_metadata, p.bookkeeper.metadata]) expect(helper.resources.limits.memory).toBe("512Mi");
    });

    it("sizes every JVM inside its container's limit, also when the limit is configured", () => {
        const p = values({ messageQueue: "pulsar", pulsar: { broker: { memory: "4Gi" }, zookeeper: { memory: "2Gi" } } }).pulsarv3;
        const mem = (c: string) => p[c].configData.PULSAR_MEM ?? p[c].configData.BOOKIE_MEM;
        for (const c of PULSAR) expect(jvmMib(mem(c)) * MIB, c).toBeLessThan(bytes(p[c].resources.limits.memory));
        expect(p.broker.configData.PULSAR_MEM).toBe("-Xms1024m -Xmx1024m -XX:MaxDirectMemorySize=2048m");
        expect(p.zookeeper.configData.PULSAR_MEM).toBe("-Xms1024m -Xmx1024m");
    });

    it("gives ZooKeeper and bookie volumes the configured class and sizes", () => {
        const p = values({
            messageQueue: "pulsar",
            pulsar: { zookeeper: { storageSize: "30Gi", storageClass: "fast-ssd" }, bookkeeper: { journalSize: "50Gi", ledgersSize: "1Ti", storageClass: "bulk" } },
        }).pulsarv3;
        expect(p.zookeeper.volumes.data).toEqual({ name: "data", size: "30Gi", storageClassName: "fast-ssd" });
        expect(p.bookkeeper.volumes.journal).toEqual({ name: "journal", size: "50Gi", storageClassName: "bulk" });
        expect(p.bookkeeper.volumes.ledgers).toEqual({ name: "ledgers", size: "1Ti", storageClassName: "bulk" });
        // No class configured: none written, the cluster's default applies.
        expect(values({ messageQueue: "pulsar" }).pulsarv3.zookeeper.volumes.data).toEqual({ name: "data", size: "20Gi" });
    });

    it("validates the pulsar block: known keys, replicas, memory the JVM fits in; only with messageQueue pulsar", () => {
        expect(
            fieldsOf(() =>
                parseClusterSettings({
                    messageQueue: "pulsar",
                    pulsar: { zookeeper: { replicas: 2 }, bookkeeper: { replicas: 2, memory: "256Mi" }, broker: { memroy: "4Gi" }, toolset: {} },
                }),
            ).sort(),
        ).toEqual(["cluster.pulsar.bookkeeper.memory", "cluster.pulsar.bookkeeper.replicas", "cluster.pulsar.broker.memroy", "cluster.pulsar.toolset", "cluster.pulsar.zookeeper.replicas"]);
        expect(fieldsOf(() => parseClusterSettings({ pulsar: { broker: { memory: "4Gi" } } }))).toEqual(["cluster.pulsar"]);
    });
});

describe("Kafka values", () => {
    it("puts memory limits on Kafka and its ZooKeeper with heaps inside them, and the configured volumes", () => {
        const k = values({
            messageQueue: "kafka",
            kafka: { broker: { memory: "16Gi", storageSize: "500Gi", storageClass: "fast" }, zookeeper: { memory: "2Gi", storageClass: "std" } },
        }).kafka;
        expect(k.enabled).toBe(true);
        expect(k.resources.limits.memory).toBe("16Gi");
        expect(k.heapOpts).toBe("-Xmx8192m -Xms8192m");
        expect(k.persistence).toEqual({ enabled: true, size: "500Gi", storageClass: "fast", accessModes: ["ReadWriteOnce"] });
        expect(k.zookeeper.resources.limits.memory).toBe("2Gi");
        expect(k.zookeeper.heapSize).toBe(1024);
        expect(k.zookeeper.persistence).toEqual({ enabled: true, size: "8Gi", storageClass: "std", accessModes: ["ReadWriteOnce"] });
        expect(k.replicaCount).toBe(3);
    });

    it("needs 3 brokers (topics are created with replication factor 3) and an odd ZooKeeper ensemble", () => {
        expect(fieldsOf(() => parseClusterSettings({ messageQueue: "kafka", kafka: { broker: { replicas: 2 }, zookeeper: { replicas: 4 } } })).sort()).toEqual([
            "cluster.kafka.broker.replicas",
            "cluster.kafka.zookeeper.replicas",
        ]);
        expect(fieldsOf(() => parseClusterSettings({ messageQueue: "pulsar", kafka: {} }))).toEqual(["cluster.kafka"]);
    });

    it("leaves the queues it does not use off", () => {
        const wp = values({});
        expect([wp.pulsarv3.enabled, wp.pulsar.enabled, wp.kafka.enabled]).toEqual([false, false, false]);
        expect(wp.pulsarv3.zookeeper).toBeUndefined();
    });
});
