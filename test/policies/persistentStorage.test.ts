import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { MilvusCluster } from "../../components/cluster/milvusCluster";
import { CloreNativeMilvus } from "../../components/clore/cloreNativeMilvus";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { persistentStorage } from "../../policies/rules";
import { check, editProps, resourcesOf } from "./helpers";

describe("persistent-storage", () => {
    it("passes standalone host directories and cluster PersistentVolumeClaims", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("milvus", { dataDir: "/srv/milvus" });
            new MilvusCluster("cluster", { config: { etcd: { storageClass: "ssd" } } });
        });
        expect(check(rs, persistentStorage)).toEqual([]);
    });

    it("fails containers whose data mounts are removed and a chart with persistence off", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("milvus", {}, { transformations: [editProps("docker:index/container:Container", (p) => ({ ...p, volumes: [] }))] });
            new MilvusCluster("cluster", { config: {} }, {
                transformations: [
                    editProps("kubernetes:helm.sh/v3:Release", (p) => ({
                        ...p,
                        values: pulumi.output(p.values as Record<string, any>).apply((v) => ({ ...v, minio: { ...v.minio, persistence: { enabled: false } } })),
                    })),
                ],
            });
        });
        const messages = check(rs, persistentStorage).map((v) => `${v.resourceName}: ${v.message}`).sort();
        expect(messages).toEqual([
            "cluster-release: chart value minio.persistence.enabled is false: minio data lives in the pod only",
            "milvus-etcd: etcd container milvus-etcd keeps /etcd inside the container: it is lost when the container is replaced",
            "milvus-minio: minio container milvus-minio keeps /minio_data inside the container: it is lost when the container is replaced",
            "milvus-standalone: milvus container milvus-standalone keeps /var/lib/milvus inside the container: it is lost when the container is replaced",
        ]);
    });

    it("fails Milvus running as a Clore.ai order's own container (data dies with the rental)", async () => {
        const rs = await resourcesOf("staging", () => {
            new CloreNativeMilvus("clore", { apiKey: "k" });
        });
        const vs = check(rs, persistentStorage);
        expect(vs).toHaveLength(1);
        expect(vs[0].resourceName).toBe("clore-order");
        expect(vs[0].message).toContain("inside the rented container");
    });
});
