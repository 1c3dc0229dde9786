import { describe, expect, it } from "vitest";
import { CLUSTER_ROLES, parseClusterSettings } from "../../../components/cluster/config";
import { disruptionBudgets } from "../../../components/cluster/extraObjects";
import { milvusClusterValues } from "../../../components/cluster/values";

const SECRETS = { minioAccessKey: "a", minioSecretKey: "s", rootPasswordSecretName: "milvus-root-password" };
type Obj = Record<string, any>;

describe("surviving node drains (point 5)", () => {
    it("adds one PodDisruptionBudget per Milvus role and one for this release's MinIO, each letting one pod go at a time", () => {
        const budgets = disruptionBudgets(parseClusterSettings({ releaseName: "search", namespace: "vec" }));
        expect(budgets.map((b) => b.metadata.name)).toEqual([
            "search-milvus-proxy",
            "search-milvus-mixcoord",
            "search-milvus-querynode",
            "search-milvus-datanode",
            "search-milvus-streamingnode",
            "search-minio",
        ]);
        for (const b of budgets) {
            expect(b.spec.maxUnavailable).toBe(1);
            expect(b.metadata.namespace).toBe("vec");
        }
        expect(budgets[2].spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "milvus", "app.kubernetes.io/instance": "search", component: "querynode" });
        expect(budgets[5].spec.selector.matchLabels).toEqual({ app: "minio", release: "search" });
        expect(budgets).toHaveLength(CLUSTER_ROLES.length + 1);
    });

    it("turns on the subcharts' budgets (etcd, Pulsar, Kafka and its ZooKeeper) and off MinIO's namespace-wide one", () => {
        const wp = milvusClusterValues(parseClusterSettings({}), SECRETS) as Obj;
        expect(wp.etcd.pdb).toEqual({ create: true, minAvailable: "", maxUnavailable: 1 });
        expect(wp.minio.podDisruptionBudget).toEqual({ enabled: false });
        const pulsar = (milvusClusterValues(parseClusterSettings({ messageQueue: "pulsar" }), SECRETS) as Obj).pulsarv3;
        for (const c of ["zookeeper", "bookkeeper", "broker", "proxy"]) expect(pulsar[c].pdb, c).toEqual({ usePolicy: true, maxUnavailable: 1 });
        const kafka = (milvusClusterValues(parseClusterSettings({ messageQueue: "kafka" }), SECRETS) as Obj).kafka;
        expect(kafka.pdb).toEqual({ create: true, minAvailable: "", maxUnavailable: 1 });
        expect(kafka.zookeeper.pdb).toEqual({ create: true, minAvailable: "", maxUnavailable: 1 });
    });

    it("spreads query node replicas over nodes as a hard rule, other replicated roles as a preference", () => {
        const v = milvusClusterValues(parseClusterSettings({ proxy: { replicas: 2 }, dataNode: { replicas: 1 } }), SECRETS) as Obj;
        expect(v.queryNode.topologySpreadConstraints).toEqual([
            {
                maxSkew: 1,
                topologyKey: "kubernetes.io/hostname",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: { matchLabels: { "app.kubernetes.io/name": "milvus", "app.kubernetes.io/instance": "milvus", component: "querynode" } },
            },
        ]);
        expect(v.proxy.topologySpreadConstraints[0].whenUnsatisfiable).toBe("ScheduleAnyway");
        expect(v.dataNode.topologySpreadConstraints).toBeUndefined();
    });
});
