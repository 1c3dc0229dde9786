import { Stack } from "@pulumi/pulumi/automation";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/milvus-lite";
import { docker, inspectContainer, monitoringContainerNames } from "./harness/docker";
import { e2eImages, ROOT } from "./harness/prerequisites";
import { E2eProject, e2eStack } from "./harness/project";
import { closeScenario, openScenario, Scenario } from "./harness/scenario";
import { DeploymentPlace, devLikeConfig } from "./harness/stacks";

/*
 * `milvus-gpu:monitoring` on the real engine: the dev stack (this machine's Docker) with
 * Prometheus and node-exporter (the images built here from their Go modules; Grafana cannot be
 * built here, so it is off). Prometheus must scrape the deployed Milvus (a query for a Milvus
 * metric returns data), etcd, MinIO (with the token signed from its keys) and the data directory's
 * disk, and load the alert rules; `npm run status -- --stack` reads the stack and names the collection.
 */

const STACK = "mon";
const MB = 1024 * 1024;

interface PromResponse<T> {
    status: string;
    data: T;
    error?: string;
}
type Vector = { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };

async function prom<T>(base: string, api: string): Promise<T> {
    const res = await fetch(`${base}${api}`);
    const body = (await res.json()) as PromResponse<T>;
    if (body.status !== "success") throw new Error(`${api}: ${body.error ?? res.status}`);
    return body.data;
}

const query = (base: string, q: string) => prom<Vector>(base, `/api/v1/query?query=${encodeURIComponent(q)}`);

/** Polls until `check` returns a value (not undefined), or fails with what it last saw. */
async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
        try {
            const v = await check();
            if (v !== undefined) return v;
        } catch (e) {
            last = (e as Error).message;
        }
        await new Promise((r) => setTimeout(r, 5_000));
    }
    throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last: ${String(last)})` : ""}`);
}

describe("monitoring beside the dev stack on the real engine and a real Docker daemon", () => {
    let scenario: Scenario;
    let project: E2eProject;
    let place: DeploymentPlace;
    let stack: Stack;
    let prometheusUrl: string;
    const images = e2eImages();

    beforeAll(async () => {
        scenario = await openScenario("mon");
        ({ project, place } = scenario);
        const port = await freePort();
        stack = await e2eStack(
            project,
            STACK,
            devLikeConfig(place, {
                monitoring: {
                    enabled: true,
                    prometheus: { image: images.monitoring.prometheus, publish: { host: "127.0.0.1", port } },
                    nodeExporter: { image: images.monitoring.nodeExporter },
                    grafana: { enabled: false },
                },
            }),
        );
    });
    afterAll(() => closeScenario(scenario, stack));

    it("up: node-exporter and Prometheus run beside Milvus, healthy, limited, on the deployment's network, with the outputs status reads", async () => {
        const result = await stack.up({ color: "never" });
        expect(result.summary.result).toBe("succeeded");
        const o = result.outputs;
        const [nodeExporter, , prometheus] = monitoringContainerNames(place.namePrefix);
        const monitoring = o.monitoring.value as { prometheusUrl: string; containers: string[] };
        expect(monitoring.containers).toEqual([nodeExporter, prometheus]);
        expect(monitoring.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        prometheusUrl = monitoring.prometheusUrl;
        expect(o.dockerHost.value).toBe("local");
        expect(o.namePrefix.value).toBe(place.namePrefix);

        for (const [name, image, memory] of [
            [nodeExporter, images.monitoring.nodeExporter, 64 * MB],
            [prometheus, images.monitoring.prometheus, 1024 * MB],
        ] as const) {
            // Healthchecks run every 30 s: the containers are up, and healthy within a few rounds.
            const health = await eventually(`${name} healthy`, 150_000, async () => (inspectContainer(name)?.health === "healthy" ? "healthy" : undefined));
            expect(health).toBe("healthy");
            const c = inspectContainer(name)!;
            expect(c.running).toBe(true);
            expect(c.memoryBytes, name).toBe(memory);
            expect(c.imageId, name).toBe(docker("image", "inspect", "--format", "{{.Id}}", image));
            expect(docker("inspect", "--format", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}", name)).toBe(`${place.namePrefix}-net`);
        }
        // Prometheus keeps its samples in the data directory on the host.
        expect(inspectContainer(prometheus)!.mounts).toContainEqual({ source: path.join(place.dataDir, "monitoring/prometheus"), destination: "/prometheus" });
    });

    it("Prometheus scrapes the deployed Milvus (a milvus_ query returns data), etcd, MinIO with its token, the disk, and loads the rules", async () => {
        const milvusSeries = await eventually("a milvus_ series in Prometheus", 180_000, async () => {
            const v = await query(prometheusUrl, 'count({__name__=~"milvus_.+", job="milvus"})');
            return v.result.length > 0 && Number(v.result[0].value[1]) > 0 ? Number(v.result[0].value[1]) : undefined;
        });
        expect(milvusSeries).toBeGreaterThan(10);
        const nodes = await query(prometheusUrl, "milvus_num_node");
        expect(nodes.result.length).toBeGreaterThan(0);
        expect(nodes.result[0].metric).toMatchObject({ job: "milvus", container: `${place.namePrefix}-standalone`, namespace: place.namePrefix });

        // Every target up: MinIO answers only with the bearer token made from the deployment's keys.
        const up = await eventually("every scrape target up", 120_000, async () => {
            const v = await query(prometheusUrl, "up");
            const byJob = Object.fromEntries(v.result.map((r) => [r.metric.job, r.value[1]]));
            return Object.keys(byJob).length === 5 && Object.values(byJob).every((x) => x === "1") ? byJob : undefined;
        });
        expect(Object.keys(up).sort()).toEqual(["etcd", "milvus", "minio", "node", "prometheus"]);
        const minioMemory = await query(prometheusUrl, 'minio_node_process_resident_memory_bytes{job="minio"}');
        expect(minioMemory.result.length).toBeGreaterThan(0);

        // The data directory's filesystem, as node-exporter sees it through its read-only mount.
        const disk = await query(prometheusUrl, 'node_filesystem_avail_bytes{job="node", mountpoint="/milvus-data"}');
        expect(disk.result.length).toBe(1);
        expect(Number(disk.result[0].value[1])).toBeGreaterThan(0);

        const rules = await prom<{ groups: { name: string; rules: { name: string; health: string; state?: string; labels?: Record<string, string> }[] }[] }>(prometheusUrl, "/api/v1/rules");
        const group = rules.groups.find((g) => g.name === "milvus-gpu")!;
        expect(group.rules.map((r) => r.name)).toEqual(["MilvusUnhealthy", "ContainerMemoryHigh", "ContainerMemoryHigh", "ContainerMemoryHigh", "DataDiskFull"]);
        for (const r of group.rules) expect(r.health, r.name).toBe("ok");
        // Milvus is healthy: its alert is not pending or firing.
        expect(group.rules[0].state).toBe("inactive");
    });

    it("`npm run status -- --stack` reads the stack's outputs and names the collection, the containers and the disk", () => {
        const run = spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "scripts/status.ts"), "--stack", STACK, "--json"], {
            cwd: ROOT,
            // The scenario's backend and passphrase: `pulumi stack output --show-secrets` reads its state.
            env: { ...process.env, ...project.env },
            encoding: "utf8",
            timeout: 300_000,
        });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stderr).toMatch(/status: gathered in/);
        const report = JSON.parse(run.stdout) as {
            milvus: { healthy?: boolean; collections: { name: string; rows?: number; partitions: string[]; aliases: string[] }[] };
            containers?: { name: string; role?: string; state: string }[] | { unavailable: string };
            disk?: { path: string; usedBytes: number } | { unavailable: string };
        };
        expect(report.milvus.healthy).toBe(true);
        const documents = report.milvus.collections.find((c) => c.name === "documents");
        expect(documents, JSON.stringify(report.milvus.collections)).toBeDefined();
        expect(documents!.partitions).toContain("2024_docs");
        expect(documents!.aliases).toContain("docs");
        const containers = report.containers as { name: string; role?: string; state: string }[];
        expect(Array.isArray(containers), JSON.stringify(report.containers)).toBe(true);
        expect(Object.fromEntries(containers.map((c) => [c.name, c.role]))).toMatchObject({
            [`${place.namePrefix}-standalone`]: "milvus",
            [`${place.namePrefix}-prometheus`]: "prometheus",
            [`${place.namePrefix}-node-exporter`]: "node-exporter",
        });
        expect(report.disk, JSON.stringify(report.disk)).toMatchObject({ path: place.dataDir });
    });

    it("destroy removes the monitoring containers with the rest", async () => {
        const result = await stack.destroy({ color: "never" });
        expect(result.summary.result).toBe("succeeded");
        for (const name of monitoringContainerNames(place.namePrefix)) expect(inspectContainer(name), name).toBeUndefined();
        expect(inspectContainer(`${place.namePrefix}-standalone`)).toBeUndefined();
    });
});
