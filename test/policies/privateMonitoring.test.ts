import * as docker from "@pulumi/docker";
import { describe, expect, it } from "vitest";
import { MilvusMonitoring } from "../../components/monitoring/milvusMonitoring";
import { evaluate } from "../../policies/engine";
import { privateMonitoring, RULES } from "../../policies/rules";
import type { MonitoringArgs } from "../../components/monitoring/config";
import { deployment } from "../unit/monitoring/fixtures";
import { check, resourcesOf } from "./helpers";

const messages = (vs: { message: string }[]) => vs.map((v) => v.message).sort();
const watch = (name: string, raw: MonitoringArgs) =>
    new MilvusMonitoring(name, { deployment: deployment({ namePrefix: name }), monitoring: raw, network: "n", minioAccessKey: "a", minioSecretKey: "s" });

describe("private-monitoring (mandatory)", () => {
    it("is in the pack", () => {
        expect(RULES).toContain(privateMonitoring);
    });

    it("passes the defaults: Prometheus and Grafana on loopback; no other rule of the pack objects to the monitoring containers", async () => {
        const rs = await resourcesOf("dev", () => watch("mon", {}));
        expect(check(rs, privateMonitoring)).toEqual([]);
        expect(evaluate(rs, {}, RULES).map((v) => `${v.rule}: ${v.message}`)).toEqual([]);
    });

    it("flags Prometheus published beyond loopback (no auth of its own); Grafana there keeps its generated password and passes", async () => {
        const rs = await resourcesOf("dev", () =>
            watch("open", { prometheus: { publish: { host: "0.0.0.0", port: 9090 } }, grafana: { publish: { host: "0.0.0.0", port: 3000 } } }),
        );
        const vs = check(rs, privateMonitoring);
        expect(vs.map((v) => v.level)).toEqual(["mandatory"]);
        expect(messages(vs)).toEqual(["Prometheus container open-prometheus publishes port 9090 on 0.0.0.0:9090 without --web.config.file (no authentication)"]);
    });

    it("flags hand-made containers by image: Grafana with anonymous access or the default password; Prometheus with a web config passes", async () => {
        const rs = await resourcesOf("dev", () => {
            new docker.Container("anon", { name: "grafana-anon", image: "grafana/grafana:12.2.1", envs: ["GF_AUTH_ANONYMOUS_ENABLED=true", "GF_SECURITY_ADMIN_PASSWORD=x"], ports: [{ internal: 3000, external: 3000 }] });
            new docker.Container("default", { name: "grafana-default", image: "grafana/grafana-oss:11.6.1", ports: [{ internal: 3000, external: 3001, ip: "10.0.0.5" }] });
            new docker.Container("authed", { name: "prom-authed", image: "prom/prometheus:v3.16.0", command: ["--web.config.file=/etc/prometheus/web.yml"], ports: [{ internal: 9090, external: 9090 }] });
            new docker.Container("local", { name: "prom-local", image: "prom/prometheus:v3.16.0", ports: [{ internal: 9090, external: 9091, ip: "127.0.0.1" }] });
        });
        expect(messages(check(rs, privateMonitoring))).toEqual([
            "Grafana container grafana-anon publishes port 3000 on 0.0.0.0:3000 with anonymous access on (GF_AUTH_ANONYMOUS_ENABLED=true)",
            'Grafana container grafana-default publishes port 3000 on 10.0.0.5:3001 with the default admin password ("admin")',
        ]);
    });
});
