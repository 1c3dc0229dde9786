import { describe, expect, it } from "vitest";
import { parseClusterSettings } from "../../../components/cluster/config";
import { chartFullname, kubernetesObjectNames, NAME_LIMITS } from "../../../components/cluster/names";
import { configErrorsIn } from "../../helpers/configErrors";


const name = (n: number, prefix = "r") => prefix + "x".repeat(n - prefix.length);

describe("names within Kubernetes limits (point 4)", () => {
    it("follows the charts' naming: a release name containing the chart's name is used as is", () => {
        expect(chartFullname("milvus", "milvus")).toBe("milvus");
        expect(chartFullname("search", "milvus")).toBe("search-milvus");
        const names = kubernetesObjectNames({ releaseName: "search", messageQueue: "pulsar", minioMode: "distributed", serviceType: "ClusterIP" }).map((o) => `${o.kind}/${o.name}`);
        expect(names).toEqual(expect.arrayContaining(["Service/search-milvus-streamingnode", "StatefulSet/search-pulsarv3-zookeeper", "Job/search-pulsarv3-bookie-init", "StatefulSet/search-minio"]));
        expect(names).not.toContain("Service/search-milvus-external");
    });

    it("rejects the 54-63 character release names a DNS label allows but Helm refuses", () => {
        for (const n of [54, 63]) {
            const [e, ...rest] = configErrorsIn(() => parseClusterSettings({ releaseName: name(n, "milvus-") }));
            expect(rest).toEqual([]);
            expect(e.field).toBe("cluster.releaseName");
        }
        expect(NAME_LIMITS.HelmRelease.limit).toBe(53);
    });

    it("allows exactly as long a release name as the longest object it produces, per setting", () => {
        // Default (woodpecker): "<release>-milvus-streamingnode" is a Service name, at most 63.
        expect(configErrorsIn(() => parseClusterSettings({ releaseName: name(42) }))).toEqual([]);
        const [e] = configErrorsIn(() => parseClusterSettings({ releaseName: name(43) }));
        expect(e.allowed).toContain("at most 42 characters");
        expect(e.allowed).toContain(`the Service "${name(43)}-milvus-streamingnode" would be 64 characters; at most 63`);
        // Containing "milvus" saves the "-milvus" suffix; then the StatefulSet "<release>-minio" (at most 52) binds: up to 46.
        expect(configErrorsIn(() => parseClusterSettings({ releaseName: name(46, "milvus") }))).toEqual([]);
        const [m] = configErrorsIn(() => parseClusterSettings({ releaseName: name(47, "milvus") }));
        expect(m.allowed).toContain("at most 46 characters");
        expect(m.allowed).toContain(`the StatefulSet "${name(47, "milvus")}-minio" would be 53 characters; at most 52`);
        // Standalone MinIO is a Deployment: then the StatefulSet "<release>-etcd" binds at 47.
        expect(configErrorsIn(() => parseClusterSettings({ releaseName: name(47, "milvus"), minio: { mode: "standalone" } }))).toEqual([]);
        expect(configErrorsIn(() => parseClusterSettings({ releaseName: name(48, "milvus"), minio: { mode: "standalone" } }))[0].allowed).toContain("at most 47 characters");
        // Pulsar: the StatefulSet "<release>-pulsarv3-zookeeper" must stay within 52 (its pods' controller-revision-hash label).
        expect(configErrorsIn(() => parseClusterSettings({ releaseName: name(33, "milvus"), messageQueue: "pulsar" }))).toEqual([]);
        const [p] = configErrorsIn(() => parseClusterSettings({ releaseName: name(34, "milvus"), messageQueue: "pulsar" }));
        expect(p.allowed).toContain("at most 33 characters");
        expect(p.allowed).toContain("StatefulSet");
        expect(p.allowed).toContain("controller-revision-hash");
    });

    it("reports the name problem together with the other problems", () => {
        const errs = configErrorsIn(() => parseClusterSettings({ releaseName: name(60, "milvus"), etcd: { replicas: 2 } }));
        expect(errs.map((e) => e.field).sort()).toEqual(["cluster.etcd.replicas", "cluster.releaseName"]);
    });
});
