import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { CloreNativeMilvus } from "../../components/clore/cloreNativeMilvus";
import { ROLE_LABEL } from "../../components/standalone/containerSpec";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import * as path from "node:path";
import { evaluate } from "../../policies/engine";
import { checkStack } from "../../policies/offline/check";
import { milvusTlsWhenPublic, privateAttu, privateMilvusHttpPort } from "../../policies/rules";
import { check, resourcesOf } from "./helpers";

const messages = (vs: { resourceName?: string; message: string }[]) => vs.map((v) => `${v.resourceName}: ${v.message}`).sort();
const RELEASE = "kubernetes:helm.sh/v3:Release";
const release = (values: Record<string, unknown>) => ({
    type: RELEASE,
    name: "milvus",
    urn: `urn:pulumi:dev::milvus-gpu::${RELEASE}::milvus`,
    props: { chart: "milvus", version: "5.0.19", values },
});

describe("private-milvus-http-port (advisory by default)", () => {
    it("passes 9091 on loopback (the default, even with gRPC on every interface)", async () => {
        const rs = await resourcesOf("dev", () => new MilvusStandalone("milvus", { milvus: { host: "0.0.0.0" } }));
        expect(check(rs, privateMilvusHttpPort)).toEqual([]);
    });

    it("reports 9091 published beyond loopback, a Clore.ai order mapping it, an exposed chart service or Service", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("open", { milvus: { httpHost: "0.0.0.0", httpPort: 19091 } });
            new CloreNativeMilvus("clore", { apiKey: "k" });
            new k8s.core.v1.Service("metrics", { metadata: { name: "milvus-metrics" }, spec: { type: "LoadBalancer", ports: [{ port: 9091 }] } });
        });
        const vs = [...check(rs, privateMilvusHttpPort), ...evaluate([release({ service: { type: "NodePort" } })], {}, [privateMilvusHttpPort])];
        expect(vs.every((v) => v.level === "advisory")).toBe(true);
        expect(messages(vs)).toEqual([
            "clore-order: the Clore.ai order maps Milvus's 9091 (metrics, pprof, WebUI) to a public port",
            "metrics: Service milvus-metrics (LoadBalancer) publishes 9091 outside the cluster",
            "milvus: chart value service.type is NodePort: the Milvus service publishes 9091 outside the cluster",
            "open-standalone: container milvus-standalone publishes 9091 (metrics, pprof, WebUI) on 0.0.0.0:19091",
        ]);
    });

    it("is configurable like the other rules (mandatory, disabled)", async () => {
        const rs = await resourcesOf("dev", () => new MilvusStandalone("open", { milvus: { httpHost: "10.1.2.3" } }));
        expect(check(rs, privateMilvusHttpPort, { "private-milvus-http-port": "mandatory" }).map((v) => v.level)).toEqual(["mandatory"]);
        expect(check(rs, privateMilvusHttpPort, { "private-milvus-http-port": "disabled" })).toEqual([]);
    });
});

describe("private-attu (mandatory by default)", () => {
    it("passes Attu on loopback (the default)", async () => {
        const rs = await resourcesOf("dev", () => new MilvusStandalone("milvus", { attu: { enabled: true } }));
        expect(check(rs, privateAttu)).toEqual([]);
    });

    it("fails Attu published beyond loopback, found by its role label or, for hand-made containers, by its image", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("milvus", { attu: { enabled: true, host: "0.0.0.0" } });
            new docker.Container("ui", { name: "ui", image: "zilliz/attu:v2.6.5", ports: [{ internal: 3000, external: 3000 }] });
            new docker.Container("labelled", { name: "console", image: "sha256:" + "a".repeat(64), labels: [{ label: ROLE_LABEL, value: "attu" }], ports: [{ internal: 3000, external: 3001, ip: "10.0.0.7" }] });
        });
        const vs = [
            ...check(rs, privateAttu),
            ...evaluate([release({ attu: { enabled: true, service: { type: "LoadBalancer" }, ingress: { enabled: true } } })], {}, [privateAttu]),
        ];
        expect(vs.every((v) => v.level === "mandatory")).toBe(true);
        expect(messages(vs)).toEqual([
            "labelled: Attu container console publishes port 3000 on 10.0.0.7:3001",
            "milvus-attu: Attu container milvus-attu publishes port 3000 on 0.0.0.0:8000",
            "milvus: chart value attu.ingress.enabled is true: Attu is published through an ingress",
            "milvus: chart value attu.service.type is LoadBalancer: Attu is reachable from outside the cluster",
            "ui: Attu container ui publishes port 3000 on 0.0.0.0:3000",
        ]);
        expect(check(rs, privateAttu, { "private-attu": "advisory" }).every((v) => v.level === "advisory")).toBe(true);
    });
});

describe("milvus-tls-when-public (advisory by default)", () => {
    it("passes gRPC on loopback, and public gRPC with TLS on", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("local", { namePrefix: "local", milvus: { host: "127.0.0.1" } });
            new docker.Container("tls", { name: "tls", image: "milvusdb/milvus:v3.0.2", command: ["milvus", "run", "standalone"], envs: ["COMMON_SECURITY_TLSMODE=1"], ports: [{ internal: 19530, external: 19530 }] });
        });
        expect(check(rs, milvusTlsWhenPublic)).toEqual([]);
        expect(evaluate([release({ service: { type: "LoadBalancer" }, extraConfigFiles: { "user.yaml": "common:\n  security:\n    tlsMode: 1\n" } })], {}, [milvusTlsWhenPublic])).toEqual([]);
    });

    it("a stack file with TLS from encrypted config passes offline: the program runs with a throwaway pair", async () => {
        const result = await checkStack("tls-config", { root: path.join(__dirname, "fixtures") });
        expect(result.placeholders).toEqual(expect.arrayContaining(["milvus-gpu:milvusTlsCert", "milvus-gpu:milvusTlsKey"]));
        expect(result.violations.map((v) => v.rule)).not.toContain("milvus-tls-when-public");
        expect(result.violations.filter((v) => v.level === "mandatory")).toEqual([]);
    });

    it("reports public gRPC without TLS: a container, a native Clore.ai order, an exposed chart service", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("open", { milvus: { host: "0.0.0.0" } });
            new CloreNativeMilvus("clore", { apiKey: "k" });
        });
        const vs = [...check(rs, milvusTlsWhenPublic), ...evaluate([release({ service: { type: "LoadBalancer" } })], {}, [milvusTlsWhenPublic])];
        expect(vs.every((v) => v.level === "advisory")).toBe(true);
        expect(messages(vs)).toEqual([
            "clore-order: the Clore.ai order publishes 19530 on the public internet without TLS",
            "milvus: the Milvus service is exposed (LoadBalancer) without TLS",
            "open-standalone: container milvus-standalone publishes 19530 on 0.0.0.0 without TLS",
        ]);
    });
});
