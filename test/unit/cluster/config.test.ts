import { describe, expect, it } from "vitest";
import { parseClusterSettings } from "../../../components/cluster/config";
import { configErrorsOf } from "../../helpers/configErrors";


describe("parseClusterSettings", () => {
    it("fills pinned defaults: chart version, the newest patch of its Milvus line, two query nodes, woodpecker, persistence", () => {
        const c = parseClusterSettings(undefined);
        expect(c.chart.version).toBe("5.0.19");
        expect(c.milvus.version).toBe("v2.6.16");
        expect(c.pairing).toMatchObject({ chartLine: "2.6", milvusLine: "2.6", verified: true });
        expect(c.milvus.imageTag).toBe(c.milvus.version);
        expect(c.roles.queryNode.replicas).toBe(2);
        expect(c.messageQueue).toBe("woodpecker");
        expect(c.etcd.replicas).toBe(3);
        expect(c.etcd.persistence.size).toBe("10Gi");
        expect(c.minio.persistence.size).toBe("100Gi");
        expect(c.gpu).toEqual({ enabled: false, queryNode: 0, dataNode: 0, nodeSelector: {} });
    });

    it("chooses the -gpu image tag when GPUs are enabled", () => {
        const c = parseClusterSettings({ milvusVersion: "v2.6.16", gpu: { enabled: true, queryNode: 2 } });
        expect(c.milvus.imageTag).toBe("v2.6.16-gpu");
        expect(c.gpu).toEqual({ enabled: true, queryNode: 2, dataNode: 1, nodeSelector: {} });
    });

    it("normalises memory and CPU into Kubernetes quantities, requests defaulting to limits", () => {
        const c = parseClusterSettings({ queryNode: { memory: "32g", cpu: 8, memoryRequest: "24Gi", cpuRequest: "500m" } });
        expect(c.roles.queryNode.resources).toMatchObject({
            memoryLimit: "32Gi",
            memoryRequest: "24Gi",
            cpuLimit: "8",
            cpuRequest: "500m",
            memoryLimitBytes: 32 * 1024 ** 3,
        });
        expect(c.roles.proxy.resources.memoryRequest).toBe(c.roles.proxy.resources.memoryLimit);
        expect(parseClusterSettings({ proxy: { memory: "1.5g" } }).roles.proxy.resources.memoryLimit).toBe("1536Mi");
    });

    it("rejects moving or GPU-suffixed versions, naming field, value and what is allowed", () => {
        const errs = configErrorsOf(() => parseClusterSettings({ milvusVersion: "latest", chartVersion: "^5.0.0" }));
        expect(errs.map((e) => e.field).sort()).toEqual(["cluster.chartVersion", "cluster.milvusVersion"]);
        const version = errs.find((e) => e.field === "cluster.milvusVersion")!;
        expect(version.value).toBe("latest");
        expect(version.allowed).toContain("v2.6.16");
        const gpu = configErrorsOf(() => parseClusterSettings({ milvusVersion: "v2.6.16-gpu" }))[0];
        expect(gpu.field).toBe("cluster.milvusVersion");
        expect(gpu.allowed).toContain("gpu.enabled");
    });

    it("reports every bad field at once with dotted paths", () => {
        const errs = configErrorsOf(() =>
            parseClusterSettings({
                namespace: "Milvus_Prod",
                queryNode: { replicas: 0, memory: "lots" },
                etcd: { replicas: 2 },
                minio: { mode: "distributed", replicas: 2 },
                messageQueue: "rabbitmq",
                dataNode: { memory: "4Gi", memoryRequest: "8Gi" },
                gpu: { queryNode: 1 },
                qeuryNode: {},
            }),
        );
        const fields = errs.map((e) => e.field);
        expect(fields).toEqual(
            expect.arrayContaining([
                "cluster.namespace",
                "cluster.queryNode.replicas",
                "cluster.queryNode.memory",
                "cluster.etcd.replicas",
                "cluster.minio.replicas",
                "cluster.messageQueue",
                "cluster.dataNode.memoryRequest",
                "cluster.gpu.queryNode",
                "cluster.qeuryNode",
            ]),
        );
        expect(errs.find((e) => e.field === "cluster.messageQueue")!.allowed).toContain('"woodpecker"');
    });

    it("rejects source ranges on a service that is not a LoadBalancer", () => {
        const errs = configErrorsOf(() => parseClusterSettings({ service: { type: "ClusterIP", loadBalancerSourceRanges: ["10.0.0.0/8"] } }));
        expect(errs[0].field).toBe("cluster.service.loadBalancerSourceRanges");
        const ok = parseClusterSettings({ service: { type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8"] } });
        expect(ok.service.loadBalancerSourceRanges).toEqual(["10.0.0.0/8"]);
    });
});
