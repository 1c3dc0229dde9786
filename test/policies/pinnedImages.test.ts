import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { parseClusterSettings } from "../../components/cluster/config";
import { MilvusCluster } from "../../components/cluster/milvusCluster";
import { CloreNativeMilvus } from "../../components/clore/cloreNativeMilvus";
import { CloreOrder } from "../../components/clore/cloreOrder";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { pinnedImages } from "../../policies/rules";
import { check, resourcesOf } from "./helpers";

describe("pinned-images", () => {
    it("passes the real components: standalone, cluster and a native Clore.ai order", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("milvus", { release: "v2.6.16" });
            new MilvusCluster("cluster", { config: {} });
            new CloreNativeMilvus("clore", { apiKey: "k", filters: { minRamGb: 32 } });
        });
        expect(rs.some((r) => r.type === "docker:index/remoteImage:RemoteImage")).toBe(true);
        expect(check(rs, pinnedImages)).toEqual([]);
    });

    it("fails a latest or untagged image and an unpinned chart, naming the image", async () => {
        const rs = await resourcesOf("dev", () => {
            new docker.RemoteImage("milvus-image", { name: "milvusdb/milvus:latest" });
            new docker.Container("etcd", { image: "quay.io/coreos/etcd", memory: 512 });
            new CloreOrder("order", { apiKey: "k", image: "milvusdb/milvus:latest-gpu", ports: { "22": "tcp" } });
            new k8s.helm.v3.Release("milvus", { chart: "milvus", repositoryOpts: { repo: "https://zilliztech.github.io/milvus-helm/" }, values: { image: { all: { tag: "master-latest" } } } });
        });
        const messages = check(rs, pinnedImages).map((v) => `${v.resourceName}: ${v.message}`);
        expect(messages).toEqual(
            expect.arrayContaining([
                expect.stringMatching(/^milvus-image: .*"milvusdb\/milvus:latest"/),
                expect.stringMatching(/^etcd: .*"quay.io\/coreos\/etcd"/),
                expect.stringMatching(/^milvus: Helm chart "milvus" has version null/),
            ]),
        );
        expect(messages.length).toBeGreaterThanOrEqual(4);
    });

    it("is backed by the components themselves refusing moving tags", () => {
        expect(() => new MilvusStandalone("m", { milvus: { image: "milvusdb/milvus:latest" } })).toThrow(/milvus.image/);
        expect(() => parseClusterSettings({ chartVersion: "latest" })).toThrow(/cluster.chartVersion/);
    });
});

describe("pinned-images on run-to-completion workloads", () => {
    const BACKUP = { target: { endpoint: "backups.example.com:9000", bucket: "milvus-backups" }, schedule: "0 3 * * *", beforeReplace: false };

    it("passes the cluster's backup CronJob (pinned milvus-backup) and fails a CronJob or Job on an unpinned image", async () => {
        const ok = await resourcesOf("production", () => new MilvusCluster("cluster", { config: {}, backup: BACKUP, backupCredentials: { accessKey: "a", secretKey: "s" } }));
        expect(ok.some((r) => r.type === "kubernetes:batch/v1:CronJob")).toBe(true);
        expect(check(ok, pinnedImages)).toEqual([]);

        const container = (image: string) => ({ containers: [{ name: "backup", image }], restartPolicy: "Never" });
        const bad = await resourcesOf("production", () => {
            new k8s.batch.v1.CronJob("nightly", { spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: container("milvusdb/milvus-backup:latest") } } } } });
            new k8s.batch.v1.Job("once", { spec: { template: { spec: container("milvusdb/milvus-backup") } } });
        });
        const messages = check(bad, pinnedImages).map((v) => `${v.resourceName}: ${v.message}`).sort();
        expect(messages).toEqual([expect.stringMatching(/^nightly: .*"milvusdb\/milvus-backup:latest"/), expect.stringMatching(/^once: .*"milvusdb\/milvus-backup"/)]);
    });
});
