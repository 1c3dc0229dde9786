import { describe, expect, it } from "vitest";
import type { ClusterArgs } from "../../../components/cluster/clusterArgs";
import { parseClusterSettings } from "../../../components/cluster/config";
import { MilvusCluster } from "../../../components/cluster/milvusCluster";
import { collectResources } from "../../../policies/offline/collector";
import { ResourceView } from "../../../policies/view";

type Obj = Record<string, any>;

async function deploy(config: ClusterArgs): Promise<{ resources: ResourceView[]; outputs: Obj }> {
    const { resources, outputs } = await collectResources(
        () => {
            const c = new MilvusCluster("prod", { config });
            return { address: c.address, healthUrl: c.healthUrl, rootPassword: c.rootPassword, minioAccessKey: c.minioAccessKey };
        },
        { project: "milvus-gpu", stack: "production" },
    );
    return { resources, outputs: outputs as Obj };
}

const release = (rs: ResourceView[]) => rs.find((r) => r.type === "kubernetes:helm.sh/v3:Release")!;

describe("MilvusCluster under Pulumi mocks", () => {
    it("creates namespace, generated secrets, the root password Secret and a pinned Helm release", async () => {
        const { resources, outputs } = await deploy({ namespace: "vectors", chartVersion: "5.0.19" });
        const types = resources.map((r) => r.type);
        expect(types).toContain("milvus-gpu:index:MilvusCluster");
        expect(types).toContain("kubernetes:core/v1:Namespace");
        expect(types.filter((t) => t === "random:index/randomPassword:RandomPassword")).toHaveLength(3);
        const rel = release(resources);
        expect(rel.props.chart).toBe("milvus");
        expect(rel.props.version).toBe("5.0.19");
        expect((rel.props.repositoryOpts as Obj).repo).toBe("https://zilliztech.github.io/milvus-helm/");
        expect(rel.props.namespace).toBe("vectors");
        expect(rel.props.atomic).toBe(true);
        expect(outputs.address).toBe("milvus.vectors.svc.cluster.local:19530");
        expect(outputs.healthUrl).toBe("http://milvus.vectors.svc.cluster.local:9091/healthz");

        const secret = resources.find((r) => r.type === "kubernetes:core/v1:Secret")!;
        expect((secret.props.stringData as Obj)["root-password"]).toBe(outputs.rootPassword);
        const values = rel.props.values as Obj;
        // The generated keys, not the chart's minioadmin default, and the password only by reference.
        expect(values.minio.accessKey).toBe(outputs.minioAccessKey);
        expect(values.minio.accessKey).not.toBe("minioadmin");
        expect(JSON.stringify(values)).not.toContain(outputs.rootPassword);
        expect(values.proxy.extraEnv[1].valueFrom.secretKeyRef.name).toBe((secret.props.metadata as Obj).name);
        // Both travel as Pulumi secrets, so state and previews keep them encrypted.
        expect(rel.secretPaths).toContain("values");
        expect(secret.secretPaths).toContain("stringData");
    });

    it("requests GPUs and the -gpu image iff GPUs are enabled, with memory limits on every role", async () => {
        const gpu = (await deploy({ gpu: { enabled: true, queryNode: 1 }, queryNode: { replicas: 3 } })).resources;
        const gv = release(gpu).props.values as Obj;
        expect(gv.image.all.tag).toBe("v2.6.16-gpu");
        expect(gv.queryNode.resources.limits["nvidia.com/gpu"]).toBe(1);
        expect(gv.queryNode.replicas).toBe(3);

        const cpu = (await deploy({})).resources;
        const cv = release(cpu).props.values as Obj;
        expect(cv.image.all.tag).toBe("v2.6.16");
        expect(cv.queryNode.resources.limits["nvidia.com/gpu"]).toBeUndefined();
        for (const role of ["proxy", "mixCoordinator", "queryNode", "dataNode", "streamingNode", "etcd", "minio"]) {
            expect(cv[role].resources.limits.memory, role).toBeTruthy();
        }
        expect(cv.etcd.persistence.enabled).toBe(true);
        expect(cv.minio.persistence.enabled).toBe(true);
    });

    it("adds the disruption budgets always and the external Service only when the service is exposed", async () => {
        const internal = (await deploy({ namespace: "vec" })).resources;
        const budgets = internal.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget");
        expect(budgets.map((b) => (b.props.metadata as Obj).name).sort()).toEqual(
            ["milvus-datanode", "milvus-minio", "milvus-mixcoord", "milvus-proxy", "milvus-querynode", "milvus-streamingnode"].sort(),
        );
        expect(budgets.every((b) => (b.props.metadata as Obj).namespace === "vec" && (b.props.spec as Obj).maxUnavailable === 1)).toBe(true);
        expect(internal.some((r) => r.type === "kubernetes:core/v1:Service")).toBe(false);

        const exposed = (await deploy({ service: { type: "LoadBalancer", loadBalancerSourceRanges: ["203.0.113.0/24"] } })).resources;
        const svc = exposed.find((r) => r.type === "kubernetes:core/v1:Service")!;
        expect((svc.props.metadata as Obj).name).toBe("milvus-external");
        expect((svc.props.spec as Obj).loadBalancerSourceRanges).toEqual(["203.0.113.0/24"]);
        expect(((svc.props.spec as Obj).ports as Obj[]).map((p) => p.port)).toEqual([19530]);
        expect((release(exposed).props.values as Obj).service.type).toBe("ClusterIP");
    });

    it("skips the namespace when it is managed elsewhere", async () => {
        const { resources } = await deploy({ createNamespace: false, namespace: "shared" });
        expect(resources.some((r) => r.type === "kubernetes:core/v1:Namespace")).toBe(false);
        expect(release(resources).props.namespace).toBe("shared");
    });

    it("checks the config arg before registering anything: a bad field fails naming config.<field>, the value and what is allowed", async () => {
        const { resources } = await collectResources(
            () => {
                expect(() => new MilvusCluster("bad", { config: { chartVersion: "latest", minio: { mode: "distributed", replicas: 2 } } })).toThrow(
                    /config\.chartVersion: invalid value "latest"; expected an exact chart version[\s\S]*config\.minio\.replicas: invalid value 2; expected at least 4 in distributed mode/,
                );
                return {};
            },
            { project: "milvus-gpu", stack: "production" },
        );
        expect(resources).toEqual([]);
    });

    it("takes settings already parsed through the options (the stack program's path), over the config arg", async () => {
        const settings = parseClusterSettings({ namespace: "parsed", releaseName: "parsed" });
        const { resources } = await collectResources(() => new MilvusCluster("prod", { config: { namespace: "ignored" } }, { settings }), {
            project: "milvus-gpu",
            stack: "production",
        });
        expect(release(resources).props.namespace).toBe("parsed");
        expect(release(resources).props.name).toBe("parsed");
    });
});
