import { describe, expect, it } from "vitest";
import { CLUSTER_ROLES, parseClusterSettings } from "../../../components/cluster/config";
import { clusterAddress, milvusClusterValues } from "../../../components/cluster/values";

const SECRETS = { minioAccessKey: "generated-access", minioSecretKey: "generated-secret", rootPasswordSecretName: "milvus-root-password" };

type Obj = Record<string, any>;

describe("milvusClusterValues", () => {
    it("requests nvidia.com/gpu on query and data nodes only when GPUs are enabled, with the -gpu image", () => {
        const gpu = milvusClusterValues(parseClusterSettings({ gpu: { enabled: true, queryNode: 2, dataNode: 1 } }), SECRETS) as Obj;
        expect(gpu.image.all.tag).toMatch(/-gpu$/);
        expect(gpu.queryNode.resources.limits["nvidia.com/gpu"]).toBe(2);
        expect(gpu.dataNode.resources.limits["nvidia.com/gpu"]).toBe(1);
        expect(gpu.proxy.resources.limits["nvidia.com/gpu"]).toBeUndefined();
        expect(gpu.queryNode.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
        expect(gpu.proxy.tolerations).toBeUndefined();
        const pinned = milvusClusterValues(parseClusterSettings({ gpu: { enabled: true, nodeSelector: { "cloud.google.com/gke-accelerator": "nvidia-l4" } } }), SECRETS) as Obj;
        expect(pinned.queryNode.nodeSelector).toEqual({ "cloud.google.com/gke-accelerator": "nvidia-l4" });
        expect(pinned.dataNode.nodeSelector).toEqual({ "cloud.google.com/gke-accelerator": "nvidia-l4" });

        const cpu = milvusClusterValues(parseClusterSettings({}), SECRETS) as Obj;
        expect(cpu.image.all.tag).not.toMatch(/-gpu$/);
        for (const role of CLUSTER_ROLES) expect(cpu[role].resources.limits["nvidia.com/gpu"]).toBeUndefined();
    });

    it("puts a memory limit on every Milvus role, etcd and MinIO", () => {
        const v = milvusClusterValues(parseClusterSettings({ queryNode: { memory: "32Gi" } }), SECRETS) as Obj;
        for (const role of CLUSTER_ROLES) expect(v[role].resources.limits.memory, role).toMatch(/^\d+(Ki|Mi|Gi|Ti)$/);
        expect(v.queryNode.resources.limits.memory).toBe("32Gi");
        expect(v.etcd.resources.limits.memory).toBe("2Gi");
        expect(v.minio.resources.limits.memory).toBe("4Gi");
    });

    it("keeps etcd and MinIO data on persistent volumes with the configured class and size", () => {
        const v = milvusClusterValues(parseClusterSettings({ etcd: { storageSize: "20Gi", storageClass: "fast-ssd" } }), SECRETS) as Obj;
        expect(v.etcd.persistence).toEqual({ enabled: true, size: "20Gi", storageClass: "fast-ssd", accessModes: ["ReadWriteOnce"] });
        expect(v.minio.persistence.accessMode).toBe("ReadWriteOnce");
        expect(v.minio.persistence.enabled).toBe(true);
        expect(v.minio.persistence.size).toBe("100Gi");
    });

    it("uses the given MinIO keys and reads the root password from a Secret, never the defaults", () => {
        const v = milvusClusterValues(parseClusterSettings({}), SECRETS) as Obj;
        expect(v.minio.accessKey).toBe("generated-access");
        expect(v.minio.secretKey).toBe("generated-secret");
        expect(JSON.stringify(v)).not.toContain("minioadmin");
        const env = v.proxy.extraEnv as Obj[];
        expect(env).toContainEqual({ name: "COMMON_SECURITY_AUTHORIZATIONENABLED", value: "true" });
        const pw = env.find((e) => e.name === "COMMON_SECURITY_DEFAULTROOTPASSWORD")!;
        expect(pw.valueFrom.secretKeyRef.name).toBe("milvus-root-password");
        expect(pw.value).toBeUndefined();
        expect(v.extraConfigFiles["user.yaml"]).toContain("authorizationEnabled: true");
    });

    it("sets replicas per role and switches active-standby on for several coordinators", () => {
        const v = milvusClusterValues(parseClusterSettings({ queryNode: { replicas: 4 }, mixCoordinator: { replicas: 2 } }), SECRETS) as Obj;
        expect(v.queryNode.replicas).toBe(4);
        expect(v.mixCoordinator.activeStandby).toEqual({ enabled: true });
        expect(v.indexNode).toEqual({ enabled: false });
    });

    it("enables exactly the chosen message queue", () => {
        const wp = milvusClusterValues(parseClusterSettings({}), SECRETS) as Obj;
        expect([wp.woodpecker.enabled, wp.pulsarv3.enabled, wp.kafka.enabled]).toEqual([true, false, false]);
        expect(wp.streaming.woodpecker.embedded).toBe(true);
        const kafka = milvusClusterValues(parseClusterSettings({ messageQueue: "kafka" }), SECRETS) as Obj;
        expect([kafka.woodpecker.enabled, kafka.pulsarv3.enabled, kafka.kafka.enabled]).toEqual([false, false, true]);
        const pulsar = milvusClusterValues(parseClusterSettings({ messageQueue: "pulsar" }), SECRETS) as Obj;
        expect([pulsar.woodpecker.enabled, pulsar.pulsarv3.enabled, pulsar.kafka.enabled]).toEqual([false, true, false]);
    });

    it("names the in-cluster address after the chart's service naming", () => {
        expect(clusterAddress(parseClusterSettings({ namespace: "vec", releaseName: "milvus" }))).toBe("milvus.vec.svc.cluster.local:19530");
        expect(clusterAddress(parseClusterSettings({ namespace: "vec", releaseName: "search" }))).toBe("search-milvus.vec.svc.cluster.local:19530");
    });
});
