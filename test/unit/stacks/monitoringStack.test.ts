import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parseStackConfig, StackConfig } from "../../../stacks/config";
import { renderStack } from "../../../stacks/render";
import { isSecretOutput, ofType, recordResources, settle, valueOf } from "../../helpers/pulumiMocks";
import { configErrorsIn } from "../../helpers/configErrors";
import { engineConfigFor } from "../../helpers/stackConfig";

const CONTAINER = "docker:index/container:Container";
const ON = { enabled: true };

/** Every problem a config raises, as field -> [value, allowed]. */
function problems(raw: Record<string, unknown>): Record<string, [unknown, string]> {
    return Object.fromEntries(configErrorsIn(() => parseStackConfig(raw, "mon")).map((x) => [x.field, [x.value, x.allowed]]));
}

describe("milvus-gpu:monitoring in the stack config", () => {
    it("a Docker stack (local, SSH, Clore.ai docker usage) gets the parsed settings; absent or off gives none", () => {
        const local = parseStackConfig({ monitoring: ON }, "mon") as Extract<StackConfig, { kind: "docker" }>;
        expect(local.monitoring?.prometheus.image).toBe("prom/prometheus:v3.16.0");
        const ssh = parseStackConfig({ host: { type: "ssh", address: "gpu.example.com" }, monitoring: { ...ON, grafana: { enabled: false } } }, "mon");
        expect(ssh.kind === "docker" && ssh.monitoring?.grafana).toBeUndefined();
        expect(ssh.kind === "docker" && ssh.monitoring?.nodeExporter.memoryBytes).toBe(64 * 1024 ** 2);
        for (const raw of [{}, { monitoring: {} }, { monitoring: { enabled: false } }]) {
            const c = parseStackConfig(raw, "mon");
            expect(c.kind === "docker" && c.monitoring, JSON.stringify(raw)).toBeUndefined();
        }
    });

    it("a bad value names its field, the value and what is allowed, with the stack's other problems", () => {
        const p = problems({ monitoring: { ...ON, prometheus: { image: "prom/prometheus:latest" } }, milvus: { memory: "lots" } });
        expect(p["monitoring.prometheus.image"]?.[0]).toBe("prom/prometheus:latest");
        expect(p["monitoring.prometheus.image"]?.[1]).toMatch(/pinned/);
        expect(Object.keys(p)).toContain("milvus.memory");
    });

    it("cluster mode refuses monitoring.enabled: true and points at the chart's ServiceMonitor; off is accepted", () => {
        const p = problems({ mode: "cluster", monitoring: ON });
        expect(Object.keys(p)).toEqual(["monitoring.enabled"]);
        expect(p["monitoring.enabled"][0]).toBe(true);
        expect(p["monitoring.enabled"][1]).toMatch(/^false or unset in cluster mode: .*cluster\.serviceMonitor\.enabled: true/);
        // The declared default ({}) reaches every stack, and an explicit "off" changes nothing.
        for (const monitoring of [{}, { enabled: false }]) expect(parseStackConfig({ mode: "cluster", monitoring }, "c").kind).toBe("cluster");
        // A typo is still a typo in cluster mode.
        expect(Object.keys(problems({ mode: "cluster", monitoring: { enabled: false, prometheus: { retention: "forever" } } }))).toEqual(["monitoring.prometheus.retention"]);
    });

    it("a native Clore.ai order refuses it: no Docker host to run Prometheus beside Milvus", () => {
        const p = problems({ host: { type: "clore", usage: "native", milvusVersion: "v2.5.4" }, monitoring: { enabled: "true" } });
        expect(p["monitoring.enabled"]?.[0]).toBe("true");
        expect(p["monitoring.enabled"]?.[1]).toMatch(/host\.usage: native.*use host\.usage: docker/);
    });
});

describe("the dev stack with monitoring (mocked engine)", () => {
    it("adds node-exporter and Prometheus (Grafana off) after Milvus, on its network and Docker host, with data directories and outputs", async () => {
        const recorded = recordResources({
            stack: "dev",
            config: engineConfigFor("dev", { "milvus-gpu:monitoring": { enabled: true, grafana: { enabled: false } } }),
        });
        const { runStack } = await import("../../../stacks");
        const outputs = runStack() as Record<string, any>;
        const monitoring = await valueOf(pulumi.output(outputs.monitoring));
        expect(monitoring).toEqual({ prometheusUrl: "http://127.0.0.1:9090", containers: ["milvus-node-exporter", "milvus-prometheus"] });
        expect(await valueOf(outputs.dockerHost)).toBe("local");
        expect(outputs.namePrefix).toBe("milvus");
        await settle();

        const containers = ofType(recorded, CONTAINER);
        expect(containers.map((c) => c.inputs.name).sort()).toEqual(["milvus-etcd", "milvus-minio", "milvus-node-exporter", "milvus-prometheus", "milvus-standalone"]);
        const prometheus = containers.find((c) => c.inputs.name === "milvus-prometheus")!;
        const milvus = containers.find((c) => c.inputs.name === "milvus-standalone")!;
        // The same Docker host (provider) and the deployment's private network.
        expect(prometheus.provider).toBeDefined();
        expect(prometheus.provider).toBe(milvus.provider);
        expect(prometheus.inputs.networksAdvanced[0].name).toBe(milvus.inputs.networksAdvanced[0].name);
        expect(prometheus.inputs.user).toBe("0:0");
        const config = parse((prometheus.inputs.uploads as { file: string; content: string }[]).find((u) => u.file === "/etc/prometheus/prometheus.yml")!.content);
        expect(config.scrape_configs.map((j: { job_name: string }) => j.job_name)).toEqual(["milvus", "etcd", "minio", "node", "prometheus"]);

        // Prometheus's and Grafana's data directories are made with the others, before any container starts.
        const prepare = ofType(recorded, "command:local:Command").find((c) => c.name === "host-prepare")!;
        expect(String(prepare.inputs.create)).toContain("/tmp/milvus-gpu-dev/monitoring/prometheus");
        expect(String(prepare.inputs.create)).not.toContain("/monitoring/grafana");
    });

    it("with Grafana: its URL, user and generated admin password (a secret) are outputs", async () => {
        recordResources({ stack: "dev", config: engineConfigFor("dev", { "milvus-gpu:monitoring": { enabled: true } }) });
        const { runStack } = await import("../../../stacks");
        const outputs = runStack() as Record<string, any>;
        const monitoring = outputs.monitoring as Record<string, any>;
        expect(await valueOf(monitoring.grafanaUrl)).toBe("http://127.0.0.1:3000");
        expect(monitoring.grafanaUser).toBe("admin");
        expect(await isSecretOutput(monitoring.grafanaAdminPassword)).toBe(true);
        expect(await valueOf(monitoring.containers)).toEqual(["milvus-node-exporter", "milvus-prometheus", "milvus-grafana"]);
        await settle();
    });

    it("without monitoring nothing of it is deployed or exported", async () => {
        const recorded = recordResources({ stack: "dev", config: engineConfigFor("dev") });
        const { runStack } = await import("../../../stacks");
        const outputs = runStack() as Record<string, any>;
        expect(outputs.monitoring).toBeUndefined();
        await settle();
        expect(ofType(recorded, CONTAINER).map((c) => c.inputs.name).sort()).toEqual(["milvus-etcd", "milvus-minio", "milvus-standalone"]);
    });
});

describe("render with monitoring", () => {
    it("shows the monitoring containers like the others, secrets as placeholders, and where they answer", () => {
        const config = parseStackConfig({ monitoring: ON, namePrefix: "mon" }, "mon");
        const json = renderStack(config, "json") as { containers: { name: string; env: Record<string, string>; user?: string; labels: Record<string, string> }[]; monitoring: Record<string, unknown> };
        expect(json.containers.map((c) => c.name)).toEqual(["mon-etcd", "mon-minio", "mon-standalone", "mon-node-exporter", "mon-prometheus", "mon-grafana"]);
        const grafana = json.containers.find((c) => c.name === "mon-grafana")!;
        expect(grafana.env.GF_SECURITY_ADMIN_PASSWORD).toBe("<secret:GRAFANA_ADMIN_PASSWORD>");
        expect(grafana.user).toBe("0:0");
        expect(grafana.labels).toEqual({ "milvus-gpu.role": "grafana" });
        expect(json.monitoring).toMatchObject({ prometheus: "http://127.0.0.1:9090", grafana: "http://127.0.0.1:3000" });

        const compose = renderStack(config, "compose") as { services: Record<string, Record<string, any>> };
        expect(compose.services.prometheus.environment.MINIO_METRICS_TOKEN).toMatch(/^\$\{MINIO_METRICS_TOKEN:\?/);
        expect(compose.services.prometheus.user).toBe("0:0");
        expect(compose.services.prometheus.depends_on).toEqual({ standalone: { condition: "service_healthy" }, etcd: { condition: "service_healthy" }, minio: { condition: "service_healthy" } });
    });
});

describe("staging (a Clore.ai rental) with monitoring (mocked engine)", () => {
    it("watches the reserved GPUs and alerts before the order's end, which reaches the rule file at deploy time", async () => {
        const ends = Date.UTC(2026, 11, 31, 12) / 1000;
        const recorded = recordResources({
            stack: "staging",
            config: engineConfigFor("staging", {
                "milvus-gpu:cloreApiKey": "clore-test-key",
                "milvus-gpu:sshPrivateKey": "PEM",
                "milvus-gpu:monitoring": { enabled: true, grafana: { enabled: false }, alerts: { rentalHours: 48 } },
            }),
            secretKeys: ["milvus-gpu:cloreApiKey", "milvus-gpu:sshPrivateKey"],
            computed: (type) =>
                type.endsWith(":CloreOrder")
                    ? { orderId: 4242, publicHost: "n7.clore.test", publicPorts: { "22": 40022, "19530": 40530 }, pricePerDay: 9.5, gpu: "1x RTX 4090", expiresAt: ends }
                    : undefined,
        });
        const { runStack } = await import("../../../stacks");
        const outputs = runStack() as Record<string, any>;
        expect(await valueOf(pulumi.output(outputs.monitoring))).toMatchObject({ containers: ["milvus-node-exporter", "milvus-gpu-exporter", "milvus-prometheus"] });
        expect(await valueOf(outputs.dockerHost)).toBe("ssh://root@n7.clore.test:40022");
        await settle();
        const prometheus = ofType(recorded, CONTAINER).find((c) => c.inputs.name === "milvus-prometheus")!;
        const upload = (file: string) => parse((prometheus.inputs.uploads as { file: string; content: string }[]).find((u) => u.file === file)!.content);
        const rules = upload("/etc/prometheus/rules/milvus-gpu.rules.yml").groups[0].rules as { alert?: string; record?: string; expr: string }[];
        expect(rules.find((r) => r.record)?.expr).toBe(`vector(${ends})`);
        expect(rules.find((r) => r.alert === "RentalEndingSoon")?.expr).toContain(`< ${48 * 3600}`);
        expect(upload("/etc/prometheus/prometheus.yml").scrape_configs.map((j: { job_name: string }) => j.job_name)).toContain("gpu");
        const gpuExporter = ofType(recorded, CONTAINER).find((c) => c.inputs.name === "milvus-gpu-exporter")!;
        expect(gpuExporter.inputs.gpus).toBe("all");
    });
});
