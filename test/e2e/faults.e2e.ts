import { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchemaReport } from "../../components/schema/verify/report";
import { containerNames, docker, inspectContainer } from "./harness/docker";
import { connect, insertDocuments, rowCount, rowsTagged } from "./harness/milvusData";
import { E2eProject, e2eStack, writeStackConfig } from "./harness/project";
import { closeScenario, openScenario, Scenario } from "./harness/scenario";
import { DeploymentPlace, devLikeConfig } from "./harness/stacks";

const errorText = (e: unknown) => String((e as { message?: string }).message ?? e);

describe("faults on the real engine: an unhealthy container, Milvus stopped during the schema step", () => {
    let scenario: Scenario;
    let project: E2eProject;
    let place: DeploymentPlace;
    let stack: Stack;
    const names = () => containerNames(place.namePrefix);

    beforeAll(async () => {
        scenario = await openScenario("faults");
        ({ project, place } = scenario);
        stack = await e2eStack(project, "faults", devLikeConfig(place));
    });
    afterAll(() => closeScenario(scenario, stack));

    it("f1. a Milvus that never turns healthy fails up within waitTimeoutSeconds, naming it; the fixed config converges", async () => {
        const broken = devLikeConfig(place, { waitTimeoutSeconds: 60 });
        // Far too little memory for Milvus (config accepts it: 16m is the floor, the health gate names
        // the OOM): the kernel kills it at start, again and again.
        (broken.milvus as Record<string, unknown>).memory = "24m";
        await writeStackConfig(project, stack, broken);
        const started = Date.now();
        const failure = await stack.up({ color: "never" }).then(
            () => undefined,
            (e: unknown) => errorText(e),
        );
        const seconds = (Date.now() - started) / 1000;
        expect(failure, "up must fail").toBeDefined();
        expect(failure).toContain(`container ${names().milvus} did not become healthy within 60s`);
        // The container's state, whichever way 24m starves it: the kernel either kills it (OOM, exit 137,
        // restarting) or, measured here on 2026-12-05 with cgroup v1, leaves it thrashing in "running"
        // with its healthcheck unable to connect. Either way the gate says what it saw.
        expect(failure).toMatch(/state: (running|restarting|exited), exit code \d+(, killed for exceeding its memory limit \(OOM\))?, \d+ restarts/);
        expect(failure).toMatch(/last health check: /);
        // etcd and MinIO first (about 30 s: Docker's first check comes after one interval), then the 60 s wait.
        expect(seconds).toBeLessThan(60 + 120);
        const lines = failure!.split("\n").filter((l) => /milvus-gpu: container|  state: |  last health check: /.test(l));
        console.log(`f1: up failed after ${seconds.toFixed(0)} s with:\n${[...new Set(lines.map((l) => l.replace(/^.*?(milvus-gpu: container|state: |last health check: )/, "$1")))].join("\n")}`);

        await writeStackConfig(project, stack, devLikeConfig(place));
        const fixed = await stack.up({ color: "never" });
        expect(fixed.summary.result).toBe("succeeded");
        expect(inspectContainer(names().milvus)?.health).toBe("healthy");
        expect((fixed.outputs.schemaReport.value as SchemaReport).passed).toBe(true);
    });

    it("f2. Milvus stopped during the schema step fails up with a clear message; a re-run converges with no rows lost", async () => {
        const o = await stack.outputs();
        const address = o.endpoint.value as string;
        const token = `root:${o.rootPassword.value as string}`;
        let client = connect(address, token);
        await insertDocuments(client, "documents", 200, 384, "before-fault");
        const before = await rowCount(client, "documents");

        // A second declared collection makes the step run again; a bigger canary makes it long enough to interrupt.
        const config = devLikeConfig(place);
        const schema = config.schema as { collections: Record<string, unknown>[] };
        schema.collections.push({
            name: "notes",
            fields: [
                { name: "id", type: "INT64", primary: true, autoId: true },
                { name: "embedding", type: "FLOAT_VECTOR", dim: 64 },
            ],
            indexes: [{ field: "embedding", type: "IVF_FLAT", metric: "L2", params: { nlist: 64 }, searchParams: { nprobe: 16 } }],
            load: true,
        });
        config.verify = { ...(config.verify as object), canaryRows: 20_000 };
        await writeStackConfig(project, stack, config);

        // Stop Milvus the moment the step has created `notes`, i.e. in the middle of its work.
        let stopped = false;
        const watcher = (async () => {
            const deadline = Date.now() + 10 * 60_000;
            while (!stopped && Date.now() < deadline) {
                const list = await client.listCollections().catch(() => undefined);
                if (list?.data.some((c) => c.name === "notes")) {
                    docker("stop", "-t", "1", names().milvus);
                    stopped = true;
                    return;
                }
                await new Promise((r) => setTimeout(r, 100));
            }
        })();
        const failure = await stack.up({ color: "never" }).then(
            () => undefined,
            (e: unknown) => errorText(e),
        );
        stopped = true;
        await watcher;
        await client.closeConnection();
        expect(failure, "up must fail when Milvus goes away mid-step").toBeDefined();
        expect(failure).toMatch(new RegExp(`lost the connection to Milvus at ${address} while (reconciling|checking collection|running the)`));
        expect(failure).toContain("nothing was dropped or rewritten");
        console.log(`f2: up failed with: ${/lost the connection[^\n]*/.exec(failure!)?.[0]}`);

        // The re-run: refresh sees the stopped container, up starts it, the step completes.
        const rerun = await stack.up({ color: "never", refresh: true });
        expect(rerun.summary.result).toBe("succeeded");
        const report = rerun.outputs.schemaReport.value as SchemaReport;
        expect(report.passed).toBe(true);
        expect(report.collections.map((c) => c.name).sort()).toEqual(["documents", "notes"]);
        client = connect(address, token);
        expect(await rowCount(client, "documents")).toBe(before);
        expect(await rowsTagged(client, "documents", "before-fault")).toBe(200);
        await client.closeConnection();
        console.log(`f2: rows in documents: ${before} before the fault and after the re-run`);
    });
});
