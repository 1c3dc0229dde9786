import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { isSecretOutput, ofType, plainText, recordResources, RecordedResource, settle, valueOf } from "../../helpers/pulumiMocks";
import { minioMetricsToken } from "../../../components/monitoring/minioMetricsToken";
import { PROMETHEUS_RULES_PATH } from "../../../components/monitoring/paths";
import { deployment } from "./fixtures";

const CONTAINER = "docker:index/container:Container";
let recorded: RecordedResource[];
let mod: typeof import("../../../components/monitoring/milvusMonitoring");
// A stand-in for Milvus's health gate: its create returns only when the test lets it.
let openGate!: () => void;
const gateOpen = new Promise<void>((resolve) => (openGate = resolve));

beforeAll(async () => {
    recorded = recordResources({ create: async (_type, name) => (name === "gated-health" ? gateOpen.then(() => undefined) : undefined) });
    mod = await import("../../../components/monitoring/milvusMonitoring");
});

const containers = (prefix: string) => ofType(recorded, CONTAINER).filter((c) => String(c.inputs.name).startsWith(`${prefix}-`));
const env = (c: RecordedResource) => Object.fromEntries((c.inputs.envs as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

describe("MilvusMonitoring (mocked engine)", () => {
    it("node-exporter, Prometheus and Grafana on the deployment's network, with role labels, limits and loopback ports", async () => {
        const m = new mod.MilvusMonitoring("mon", { deployment: deployment(), network: "mon-net", minioAccessKey: "ak", minioSecretKey: "sk" });
        expect(await valueOf(m.containerNames)).toEqual(["mon-node-exporter", "mon-prometheus", "mon-grafana"]);
        await settle();
        const cs = containers("mon");
        expect(cs.map((c) => [c.inputs.name, c.inputs.labels, c.inputs.memory, c.inputs.networksAdvanced[0].name])).toEqual([
            ["mon-node-exporter", [{ label: "milvus-gpu.role", value: "node-exporter" }], 64, "mon-net"],
            ["mon-prometheus", [{ label: "milvus-gpu.role", value: "prometheus" }], 1024, "mon-net"],
            ["mon-grafana", [{ label: "milvus-gpu.role", value: "grafana" }], 512, "mon-net"],
        ]);
        const prometheus = cs[1].inputs;
        expect(prometheus.ports).toEqual([{ internal: 9090, external: 9090, ip: "127.0.0.1" }]);
        expect(prometheus.networksAdvanced[0].aliases).toEqual(["prometheus"]);
        expect(await valueOf(m.prometheusUrl)).toBe("http://127.0.0.1:9090");
        expect(await valueOf(m.grafanaUrl)).toBe("http://127.0.0.1:3000");
    });

    it("the MinIO token and the Grafana password are secrets: in the env, never in clear in the state", async () => {
        const m = new mod.MilvusMonitoring("sec", { deployment: deployment({ namePrefix: "sec" }), network: "n", minioAccessKey: "ak", minioSecretKey: "sk" });
        expect(await isSecretOutput(m.grafanaAdminPassword)).toBe(true);
        await settle();
        const [, prometheus, grafana] = containers("sec");
        expect(env(prometheus).MINIO_METRICS_TOKEN).toBe(minioMetricsToken("ak", "sk"));
        expect(env(grafana).GF_SECURITY_ADMIN_PASSWORD).toBe("generated-sec-grafana-admin");
        expect(prometheus.secretInputs).toContain("envs");
        expect(plainText(prometheus.rawInputs)).not.toContain(minioMetricsToken("ak", "sk"));
        expect(plainText(grafana.rawInputs)).not.toContain("generated-sec-grafana-admin");
    });

    it("the rental's end, known only at deploy time, reaches the uploaded rule file", async () => {
        new mod.MilvusMonitoring("rent", {
            deployment: deployment({ namePrefix: "rent" }),
            monitoring: { grafana: { enabled: false } },
            network: "n",
            minioAccessKey: "ak",
            minioSecretKey: "sk",
            rentalExpiresAt: Promise.resolve("2026-12-31T12:00:00Z"),
        });
        await settle();
        const cs = containers("rent");
        expect(cs.map((c) => c.inputs.name)).toEqual(["rent-node-exporter", "rent-prometheus"]);
        const rules = (cs[1].inputs.uploads as { file: string; content: string }[]).find((u) => u.file === PROMETHEUS_RULES_PATH)!;
        const alerts = parse(rules.content).groups[0].rules.map((r: { alert?: string }) => r.alert);
        expect(alerts).toContain("RentalEndingSoon");
    });

    it("starts nothing before the deployment given in dependsOn is done (its health gate included), then everything", async () => {
        class Deployment extends pulumi.ComponentResource {
            constructor(name: string) {
                super("test:index:Deployment", name);
                new random.RandomPassword(`${name}-health`, { length: 8 }, { parent: this });
                this.registerOutputs({});
            }
        }
        const milvus = new Deployment("gated");
        new mod.MilvusMonitoring("ord", { deployment: deployment({ namePrefix: "ord" }), network: "n", minioAccessKey: "ak", minioSecretKey: "sk" }, { dependsOn: [milvus] });
        await settle();
        const mine = () => recorded.filter((r) => r.name.startsWith("ord-")).map((r) => r.name);
        expect(recorded.map((r) => r.name)).toContain("gated-health");
        expect(mine()).toEqual([]);
        openGate();
        await settle();
        await settle();
        expect(mine()).toEqual(expect.arrayContaining(["ord-node-exporter", "ord-prometheus", "ord-grafana"]));
    });

    it("takes the monitoring block as a user writes it, and refuses one that turns monitoring off", () => {
        const args = { deployment: deployment({ namePrefix: "off" }), network: "n", minioAccessKey: "ak", minioSecretKey: "sk" };
        expect(() => new mod.MilvusMonitoring("off", { ...args, monitoring: { enabled: false } })).toThrow(
            /^monitoring\.enabled: invalid value false; expected true or unset \(MilvusMonitoring deploys monitoring; to deploy none, leave the component out\)$/,
        );
        expect(() => new mod.MilvusMonitoring("bad", { ...args, monitoring: { prometheus: { retention: "forever" } } })).toThrow(
            /^monitoring\.prometheus\.retention: invalid value "forever"; expected a Prometheus duration/,
        );
        expect(() => new mod.MilvusMonitoring("baddep", { ...args, deployment: { ...deployment(), dataDir: "data", restart: "sometimes" as never } })).toThrow(
            /deployment\.dataDir: invalid value "data"; expected an absolute path[\s\S]*deployment\.restart: invalid value "sometimes"; expected one of "no", "on-failure", "always", "unless-stopped"/,
        );
    });
});
