import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { MilvusCluster } from "../../components/cluster/milvusCluster";
import { CloreDockerHost } from "../../components/clore/cloreDockerHost";
import { CloreNativeMilvus } from "../../components/clore/cloreNativeMilvus";
import { CloreOrder } from "../../components/clore/cloreOrder";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { milvusAuthWhenPublic, privateEtcdMinioPorts } from "../../policies/rules";
import { check, editProps, resourcesOf } from "./helpers";

describe("private-etcd-minio-ports", () => {
    it("passes unpublished or loopback-only etcd/MinIO ports and a Clore.ai Docker host", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("a", { namePrefix: "a" });
            new MilvusStandalone("b", { namePrefix: "b", etcd: { publish: true }, minio: { publishApi: true, publishConsole: { host: "127.0.0.1", port: 19001 } } });
            new CloreDockerHost("host", { apiKey: "k", image: "example/ssh-docker:1.0", sshPublicKey: "ssh-ed25519 AAAA test" });
        });
        expect(check(rs, privateEtcdMinioPorts)).toEqual([]);
    });

    it("fails the seed's MinIO ports on every interface, etcd published, a Clore.ai order mapping 9000 and a NodePort etcd", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("seed", { minio: { publishApi: { host: "0.0.0.0" }, publishConsole: { host: "0.0.0.0" } }, etcd: { publish: { host: "10.0.0.5" } } });
            new CloreOrder("order", { apiKey: "k", image: "example/ssh-docker:1.0", ports: { "22": "tcp", "9000": "tcp" } });
            new k8s.core.v1.Service("etcd-public", { spec: { type: "NodePort", ports: [{ port: 2379 }] } });
        });
        const messages = check(rs, privateEtcdMinioPorts).map((v) => `${v.resourceName}: ${v.message}`).sort();
        expect(messages).toEqual([
            "etcd-public: Service etcd-public (NodePort) exposes port 2379 (etcd) outside the cluster",
            "order: the Clore.ai order publishes port 9000 (MinIO) on the public internet",
            "seed-etcd: container milvus-etcd publishes etcd port 2379 on 10.0.0.5:2379",
            "seed-minio: container milvus-minio publishes MinIO port 9000 on 0.0.0.0:9000",
            "seed-minio: container milvus-minio publishes MinIO port 9001 on 0.0.0.0:9001",
        ]);
    });
});

describe("milvus-auth-when-public", () => {
    it("passes the components: authentication on when public, off only on loopback", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("public", { namePrefix: "public" });
            new MilvusStandalone("local", { namePrefix: "local", milvus: { host: "127.0.0.1", auth: false } });
            new MilvusCluster("cluster", { config: { service: { type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8"] } } });
            new CloreNativeMilvus("clore", { apiKey: "k" });
        });
        expect(check(rs, milvusAuthWhenPublic)).toEqual([]);
    });

    it("fails 19530 on every interface without authentication, on Docker, Clore.ai and an exposed chart release", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("open", {}, {
                transformations: [
                    editProps("docker:index/container:Container", (p) => ({
                        ...p,
                        envs: pulumi.all(p.envs as pulumi.Input<string>[]).apply((l) => l.filter((e) => !e.startsWith("COMMON_SECURITY_AUTHORIZATIONENABLED"))),
                    })),
                ],
            });
            new CloreOrder("native", { apiKey: "k", image: "milvusdb/milvus:v3.0.2-gpu", ports: { "19530": "tcp" }, env: { ETCD_USE_EMBED: "true" } });
            new k8s.helm.v3.Release("exposed", { chart: "milvus", version: "5.0.19", values: { service: { type: "LoadBalancer" } } });
        });
        const messages = check(rs, milvusAuthWhenPublic).map((v) => `${v.resourceName}: ${v.message}`).sort();
        expect(messages).toEqual([
            "exposed: the Milvus service is exposed (LoadBalancer) without authentication",
            "native: the Clore.ai order publishes 19530 on the public internet without Milvus authentication",
            "open-standalone: container milvus-standalone publishes 19530 on 0.0.0.0 without authentication",
        ]);
    });

    it("fails the cluster component's external Service when the release it exposes has authentication stripped", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusCluster("cluster", { config: { service: { type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8"] } } }, {
                transformations: [
                    editProps("kubernetes:helm.sh/v3:Release", (p) => ({
                        ...p,
                        values: pulumi.output(p.values as Record<string, any>).apply((v) => {
                            const out: Record<string, any> = { ...v, extraConfigFiles: {} };
                            for (const role of ["proxy", "mixCoordinator", "queryNode", "dataNode", "streamingNode"]) out[role] = { ...v[role], extraEnv: [] };
                            return out;
                        }),
                    })),
                ],
            });
        });
        expect(check(rs, milvusAuthWhenPublic).map((v) => `${v.resourceName}: ${v.message}`)).toEqual([
            "cluster-external: Service milvus-external (LoadBalancer) exposes 19530 of Milvus release milvus without authentication",
        ]);
    });
});
