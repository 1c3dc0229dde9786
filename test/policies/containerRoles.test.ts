import * as docker from "@pulumi/docker";
import { describe, expect, it } from "vitest";
import { ROLE_LABEL } from "../../components/standalone/containerSpec";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { MilvusMonitoring } from "../../components/monitoring/milvusMonitoring";
import { deployment } from "../unit/monitoring/fixtures";
import { evaluate } from "../../policies/engine";
import { containerService } from "../../policies/inspect";
import { RULES } from "../../policies/rules";
import { resourcesOf, schemaStep } from "./helpers";

const CONTAINER = "docker:index/container:Container";

describe("policies identify containers by the role this package gives them", () => {
    it("Attu turned on passes every rule (it is neither Milvus nor a store of data)", async () => {
        const rs = await resourcesOf("dev", () => {
            const milvus = new MilvusStandalone("milvus", { milvus: { host: "127.0.0.1" }, attu: { enabled: true } });
            schemaStep(milvus.endpoint);
        });
        const attu = rs.find((r) => r.type === CONTAINER && r.props.name === "milvus-attu")!;
        // As the engine sees it: the image is the pulled image's id, the name mentions milvus.
        expect(String(attu.props.image)).toMatch(/^sha256:/);
        expect(attu.props.labels).toEqual([{ label: ROLE_LABEL, value: "attu" }]);
        expect(containerService(attu.props)).toBe("attu");
        expect(evaluate(rs)).toEqual([]);
    });

    it("every container of a deployment carries its role", async () => {
        const rs = await resourcesOf("dev", () => new MilvusStandalone("milvus", { attu: { enabled: true } }));
        const roles = Object.fromEntries(rs.filter((r) => r.type === CONTAINER).map((r) => [r.props.name, containerService(r.props)]));
        expect(roles).toEqual({ "milvus-etcd": "etcd", "milvus-minio": "minio", "milvus-standalone": "milvus", "milvus-attu": "attu" });
    });

    it("monitoring's containers carry their roles, and the memory and health rule holds them to it", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusMonitoring("mon", { deployment: deployment({ gpu: ["0"] }), network: "n", minioAccessKey: "a", minioSecretKey: "s" });
            new docker.Container("bare", { name: "mon-x", image: "sha256:" + "a".repeat(64), labels: [{ label: ROLE_LABEL, value: "prometheus" }] });
        });
        const roles = Object.fromEntries(rs.filter((r) => r.type === CONTAINER).map((r) => [r.props.name, containerService(r.props)]));
        expect(roles).toEqual({ "mon-node-exporter": "node-exporter", "mon-gpu-exporter": "gpu-exporter", "mon-prometheus": "prometheus", "mon-grafana": "grafana", "mon-x": "prometheus" });
        expect(evaluate(rs, {}, RULES.filter((r) => r.name === "memory-limits-and-health")).map((v) => v.message)).toEqual([
            "prometheus container mon-x has no memory limit",
            "prometheus container mon-x has no healthcheck",
        ]);
    });

    it("the label wins over a misleading name; containers without it are still recognised", async () => {
        const rs = await resourcesOf("dev", () => {
            new docker.Container("labelled", { name: "milvus-tools", image: "sha256:" + "b".repeat(64), labels: [{ label: ROLE_LABEL, value: "attu" }] });
            new docker.Container("hand-made-attu", { name: "milvus-ui", image: "zilliz/attu:v2.6.5", envs: ["MILVUS_URL=milvus:19530"] });
            new docker.Container("hand-made-attu-by-env", { name: "milvus-ui", image: "sha256:" + "c".repeat(64), envs: ["MILVUS_URL=milvus:19530"] });
            new docker.Container("hand-made-milvus", { name: "vectors", image: "sha256:" + "d".repeat(64), command: ["milvus", "run", "standalone"] });
            new docker.Container("bogus-label", { name: "milvus-db", image: "sha256:" + "e".repeat(64), labels: [{ label: ROLE_LABEL, value: "database" }] });
        });
        expect(Object.fromEntries(rs.map((r) => [r.name, containerService(r.props)]))).toEqual({
            labelled: "attu",
            "hand-made-attu": "attu",
            "hand-made-attu-by-env": "attu",
            "hand-made-milvus": "milvus",
            // An unknown role is no evidence: the name decides.
            "bogus-label": "milvus",
        });
    });

    it("a container of this package is still judged by its role (Milvus without MinIO keys fails)", async () => {
        const rs = await resourcesOf("dev", () => {
            new docker.Container("milvus-standalone", { name: "db", image: "sha256:" + "f".repeat(64), labels: [{ label: ROLE_LABEL, value: "milvus" }], envs: [] });
        });
        expect(evaluate(rs, {}, RULES.filter((r) => r.name === "no-default-credentials")).map((v) => v.message)).toEqual([
            "container db sets no MinIO keys for Milvus, so it connects with minioadmin/minioadmin",
        ]);
    });
});
