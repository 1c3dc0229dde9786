import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { MilvusCluster } from "../../components/cluster/milvusCluster";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { memoryLimitsAndHealth } from "../../policies/rules";
import { check, editProps, resourcesOf } from "./helpers";

const CONTAINER = "docker:index/container:Container";

describe("memory-limits-and-health", () => {
    it("passes the standalone and cluster components as built", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("milvus", { attu: { enabled: true } });
            new MilvusCluster("cluster", { config: {} });
        });
        expect(rs.filter((r) => r.type === CONTAINER)).toHaveLength(4);
        expect(check(rs, memoryLimitsAndHealth)).toEqual([]);
    });

    it("passes the cluster with Pulsar or Kafka as built, and fails a queue component whose limit is removed", async () => {
        const built = await resourcesOf("dev", () => {
            new MilvusCluster("pulsar", { config: { releaseName: "p", messageQueue: "pulsar" } });
            new MilvusCluster("kafka", { config: { releaseName: "k", messageQueue: "kafka" } });
        });
        expect(check(built, memoryLimitsAndHealth)).toEqual([]);
        const broken = await resourcesOf("dev", () => {
            new MilvusCluster("pulsar", { config: { messageQueue: "pulsar" } }, {
                transformations: [
                    editProps("kubernetes:helm.sh/v3:Release", (p) => ({
                        ...p,
                        values: pulumi.output(p.values as Record<string, any>).apply((v) => ({
                            ...v,
                            pulsarv3: { ...v.pulsarv3, bookkeeper: { ...v.pulsarv3.bookkeeper, resources: { requests: { memory: "2Gi" } } }, initContainer: {} },
                        })),
                    })),
                ],
            });
        });
        expect(check(broken, memoryLimitsAndHealth).map((v) => v.message).sort()).toEqual([
            "pulsarv3.bookkeeper containers have no memory limit (pulsarv3.bookkeeper.resources.limits.memory)",
            "pulsarv3.initContainer containers have no memory limit (pulsarv3.initContainer.resources.limits.memory)",
        ]);
    });

    it("fails standalone containers whose memory limit or healthcheck is removed", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("milvus", {}, { transformations: [editProps(CONTAINER, (p) => ({ ...p, memory: undefined, healthcheck: undefined }))] });
        });
        const messages = check(rs, memoryLimitsAndHealth).map((v) => v.message);
        for (const service of ["etcd", "minio", "milvus"]) {
            expect(messages).toContain(`${service} container milvus-${service === "milvus" ? "standalone" : service} has no memory limit`);
            expect(messages).toContain(`${service} container milvus-${service === "milvus" ? "standalone" : service} has no healthcheck`);
        }
    });

    it("fails a cluster release without limits or with probes off, and a bare Milvus Deployment", async () => {
        const rs = await resourcesOf("production", () => {
            new MilvusCluster("cluster", { config: {} }, {
                transformations: [
                    editProps("kubernetes:helm.sh/v3:Release", (p) => ({
                        ...p,
                        values: pulumi.output(p.values as Record<string, any>).apply((v) => ({
                            ...v,
                            queryNode: { ...v.queryNode, resources: undefined },
                            etcd: { ...v.etcd, livenessProbe: { enabled: false } },
                        })),
                    })),
                ],
            });
            new k8s.apps.v1.Deployment("raw-milvus", {
                spec: {
                    selector: { matchLabels: { app: "m" } },
                    template: { metadata: { labels: { app: "m" } }, spec: { containers: [{ name: "milvus", image: "milvusdb/milvus:v3.0.2" }] } },
                },
            });
        });
        const messages = check(rs, memoryLimitsAndHealth).map((v) => `${v.resourceName}: ${v.message}`).sort();
        expect(messages).toEqual([
            "cluster-release: Milvus queryNode pods have no memory limit (queryNode.resources.limits.memory)",
            "cluster-release: etcd pods have livenessProbe disabled",
            "raw-milvus: milvus container milvus has no liveness or readiness probe",
            "raw-milvus: milvus container milvus has no memory limit",
        ]);
    });
});
