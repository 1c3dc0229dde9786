import { describe, expect, it } from "vitest";
import { clusterSettingsSchema, parseClusterSettings } from "../../../components/cluster/config";
import { toJsonSchema } from "../../../components/configSchema";
import { configErrorsIn } from "../../helpers/configErrors";

type Json = Record<string, any>;

describe("cluster block schema", () => {
    it("requires a unit on memory and storage sizes and keeps them within bounds", () => {
        const errs = configErrorsIn(() =>
            parseClusterSettings({ queryNode: { memory: 16 }, dataNode: { memory: "1k" }, proxy: { memory: "4000t" }, etcd: { storageSize: "10" } }),
        );
        expect(errs.map((e) => e.field).sort()).toEqual(["cluster.dataNode.memory", "cluster.etcd.storageSize", "cluster.proxy.memory", "cluster.queryNode.memory"]);
        expect(errs.find((e) => e.field === "cluster.queryNode.memory")!.message).toBe(
            'cluster.queryNode.memory: invalid value 16; expected a memory size with its unit, such as "512m", "16g" or "2Gi" (units b, k, m, g, t; from 16m to 32t)',
        );
    });

    it("still takes Kubernetes quantities and CPU amounts as before", () => {
        const c = parseClusterSettings({ queryNode: { memory: "2Gi", cpu: "500m" }, dataNode: { memory: "1536Mi", cpu: 1.5 } });
        expect(c.roles.queryNode.resources).toMatchObject({ memoryLimit: "2Gi", cpuLimit: "500m" });
        expect(c.roles.dataNode.resources).toMatchObject({ memoryLimit: "1536Mi", cpuLimit: "1500m" });
        expect(configErrorsIn(() => parseClusterSettings({ proxy: { cpu: "0" } }))[0].field).toBe("cluster.proxy.cpu");
    });

    it("reports problems of every block and the checks across keys in one run", () => {
        const errs = configErrorsIn(() =>
            parseClusterSettings({
                milvusVersion: "v3.0.2",
                gpu: { enabled: "maybe" },
                pulsar: { broker: { replicas: 0 } },
                kafka: {},
                etcd: { replicas: 4, memoryRequest: "4Gi" },
                serviceMonitor: { enabled: true, interval: "5s" },
                timeoutSeconds: 5,
            }),
        );
        expect(errs.map((e) => e.field).sort()).toEqual([
            "cluster.etcd.memoryRequest",
            "cluster.etcd.replicas",
            "cluster.gpu.enabled",
            "cluster.kafka",
            "cluster.milvusVersion",
            "cluster.pulsar",
            "cluster.pulsar.broker.replicas",
            "cluster.serviceMonitor.scrapeTimeout",
            "cluster.timeoutSeconds",
        ]);
    });

    it("shows a block that must be unset as it was written", () => {
        const [e] = configErrorsIn(() => parseClusterSettings({ kafka: { broker: { memory: "16Gi" } } }));
        expect(e.message).toBe('cluster.kafka: invalid value {"broker":{"memory":"16Gi"}}; expected unset unless cluster.messageQueue is "kafka"');
    });

    it("converts to a JSON Schema of the stack key, with the leaves' own fragments", () => {
        const json = toJsonSchema(clusterSettingsSchema) as Json;
        expect(json.type).toBe("object");
        expect(json.additionalProperties).toBe(false);
        expect(Object.keys(json.properties)).toEqual(expect.arrayContaining(["namespace", "gpu", "pulsar", "kafka", "queryNode", "etcd", "serviceMonitor"]));
        expect(json.properties.queryNode.properties.memory.pattern).toBeDefined();
        expect(json.properties.queryNode.properties.memory.description).toContain("with its unit");
        expect(json.properties.messageQueue.enum).toEqual(["woodpecker", "pulsar", "kafka"]);
        expect(json.properties.pulsar.properties.bookkeeper.properties.ledgersSize.type).toBe("string");
    });
});
