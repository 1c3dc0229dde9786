import { EngineEvent, OutputMap, Stack } from "@pulumi/pulumi/automation";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchemaReport } from "../../components/schema/verify/report";
import { containerNames, docker, inspectContainer } from "./harness/docker";
import { connect, expectDevSchemaObjects, insertDocuments, rowCount, rowsTagged } from "./harness/milvusData";
import { e2eImages, ROOT } from "./harness/prerequisites";
import { E2eProject, e2eStack, stateFileText, writeStackConfig } from "./harness/project";
import { closeScenario, openScenario, Scenario } from "./harness/scenario";
import { DeploymentPlace, devLikeConfig } from "./harness/stacks";

const MB = 1024 * 1024;

describe("dev stack on the real engine and a real Docker daemon", () => {
    let scenario: Scenario;
    let project: E2eProject;
    let place: DeploymentPlace;
    let stack: Stack;
    const images = e2eImages();
    const names = () => containerNames(place.namePrefix);
    const token = (o: OutputMap) => `root:${o.rootPassword.value as string}`;

    beforeAll(async () => {
        scenario = await openScenario("dev");
        ({ project, place } = scenario);
        stack = await e2eStack(project, "dev", devLikeConfig(place));
    });
    afterAll(() => closeScenario(scenario, stack));

    it("after `npm run build`, preview plans the whole deployment (the program, not the library)", async () => {
        // `npm run build`: the library, with its own package.json, in bin/ next to the program.
        execFileSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "library/build.ts"], { cwd: ROOT, stdio: "pipe" });
        expect(fs.existsSync(path.join(ROOT, "bin/components/index.js"))).toBe(true);
        expect(JSON.parse(fs.readFileSync(path.join(ROOT, "bin/package.json"), "utf8")).main).toBe("components/index.js");
        const planned: string[] = [];
        let output = "";
        const preview = await stack.preview({
            color: "never",
            onOutput: (o) => (output += o),
            onEvent: (e: EngineEvent) => {
                const m = e.resourcePreEvent?.metadata;
                if (m && m.op !== "same") planned.push(`${m.op} ${m.type} ${m.urn.split("::").pop()}`);
            },
        });
        expect(output).not.toMatch(/Could not find entry point/);
        expect(preview.changeSummary.delete ?? 0).toBe(0);
        const creates = planned.filter((p) => p.startsWith("create "));
        for (const t of [
            "milvus-gpu:index:DockerHost host",
            "command:local:Command host-prepare",
            "pulumi:providers:docker host-docker",
            "milvus-gpu:index:MilvusStandalone milvus",
            "docker:index/network:Network milvus-network",
            "docker:index/container:Container milvus-etcd",
            "docker:index/container:Container milvus-minio",
            "docker:index/container:Container milvus-standalone",
            "random:index/randomPassword:RandomPassword milvus-credentials-root-password",
            "command:local:Command milvus-credentials-record",
            "command:local:Command milvus-standalone-healthy",
            "milvus-gpu:index:MilvusSchema schema",
            "pulumi-nodejs:dynamic/milvus-gpu:SchemaDeployment schema-deployment",
        ]) {
            expect(creates, `${t} in\n${creates.join("\n")}`).toContain(`create ${t}`);
        }
    });

    it("a. up: containers healthy with their limits, schema step passed against this Milvus, outputs set, secrets encrypted", async () => {
        const result = await stack.up({ color: "never" });
        expect(result.summary.result).toBe("succeeded");
        const o = result.outputs;

        const expected = { etcd: [images.etcd, 512 * MB], minio: [images.minio, 1024 * MB], milvus: [images.milvus[0], 4096 * MB] } as const;
        for (const [service, name] of Object.entries(names()) as [keyof typeof expected, string][]) {
            const c = inspectContainer(name);
            expect(c, name).toBeDefined();
            expect(c!.running, name).toBe(true);
            expect(c!.health, name).toBe("healthy");
            expect(c!.memoryBytes, name).toBe(expected[service][1]);
            expect(c!.imageId, name).toBe(docker("image", "inspect", "--format", "{{.Id}}", expected[service][0]));
            for (const m of c!.mounts) expect(m.source.startsWith(place.dataDir), `${name} mount ${m.source}`).toBe(true);
        }

        expect(o.endpoint.value).toBe(`localhost:${place.grpcPort}`);
        expect(o.healthUrl.value).toBe(`http://localhost:${place.httpPort}/healthz`);
        expect(o.rootPassword.secret).toBe(true);
        expect(o.minioSecretKey.secret).toBe(true);
        const report = o.schemaReport.value as SchemaReport;
        expect(report.passed).toBe(true);
        expect(report.address).toBe(`localhost:${place.grpcPort}`);
        expect(report.collections.map((c) => [c.name, c.status])).toEqual([["documents", "created"]]);
        expect(report.canaries.length).toBeGreaterThan(0);
        for (const canary of report.canaries) expect(canary.recall ?? 0).toBeGreaterThanOrEqual(report.recallThreshold);

        // The step's work is on the deployed server: visible there with the stack's credentials,
        // and that server refuses a client without them.
        const client = connect(o.endpoint.value as string, token(o));
        try {
            const version = await client.getVersion();
            expect(report.serverVersion).toBe(version.version);
            const described = await client.describeCollection({ collection_name: "documents" });
            expect(described.status.error_code).toBe("Success");
            await expectDevSchemaObjects(client);
        } finally {
            await client.closeConnection();
        }
        const anonymous = connect(o.endpoint.value as string);
        try {
            const res = await anonymous.listCollections().catch((e: Error) => ({ status: { error_code: "Refused", reason: e.message } }));
            expect(res.status.error_code).not.toBe("Success");
        } finally {
            await anonymous.closeConnection();
        }

        // The state file on disk holds no secret in the clear.
        const state = stateFileText(project, stack.name);
        for (const key of ["rootPassword", "minioAccessKey", "minioSecretKey"]) {
            const value = o[key].value as string;
            expect(value.length, key).toBeGreaterThanOrEqual(20);
            expect(state.includes(value), `${key} in the state file`).toBe(false);
        }
        expect(state).toContain("4dabf18193072939515e22adb298388d"); // Pulumi's secret signature
    });

    it("b. a second up, and a refresh, find nothing to change", async () => {
        const again = await stack.up({ color: "never" });
        const changes = Object.entries(again.summary.resourceChanges ?? {}).filter(([op]) => op !== "same");
        expect(changes).toEqual([]);
        await stack.preview({ expectNoChanges: true, color: "never" });
        const refreshed = await stack.refresh({ color: "never" });
        expect(refreshed.summary.result).toBe("succeeded");
        await stack.preview({ expectNoChanges: true, color: "never" });
    });

    it("c. rows survive a replaced Milvus (memory and image changed) and a destroy followed by up", async () => {
        const first = await stack.outputs();
        let client = connect(first.endpoint.value as string, token(first));
        await insertDocuments(client, "documents", 500, 384, "survivor");
        const before = await rowCount(client, "documents");
        expect(await rowsTagged(client, "documents", "survivor")).toBe(500);
        await client.closeConnection();
        const oldId = inspectContainer(names().milvus)!.id;

        const changed = devLikeConfig(place);
        (changed.milvus as Record<string, unknown>).memory = "3g";
        (changed.milvus as Record<string, unknown>).image = images.milvus[1];
        await writeStackConfig(project, stack, changed);
        const replaced = await stack.up({ color: "never" });
        expect(replaced.summary.result).toBe("succeeded");
        const milvus = inspectContainer(names().milvus)!;
        expect(milvus.id).not.toBe(oldId);
        expect(milvus.imageId).toBe(docker("image", "inspect", "--format", "{{.Id}}", images.milvus[1]));
        expect(milvus.memoryBytes).toBe(3072 * MB);
        expect(milvus.health).toBe("healthy");
        client = connect(first.endpoint.value as string, token(first));
        expect(await rowCount(client, "documents")).toBe(before);
        expect(await rowsTagged(client, "documents", "survivor")).toBe(500);
        await client.closeConnection();

        await stack.destroy({ color: "never" });
        for (const name of Object.values(names())) expect(inspectContainer(name), name).toBeUndefined();
        expect(fs.readdirSync(path.join(place.dataDir, "milvus")).length).toBeGreaterThan(0);

        const back = await stack.up({ color: "never" });
        expect(back.summary.result).toBe("succeeded");
        // New generated passwords were requested, but the data's own credentials were given back.
        expect(back.outputs.rootPassword.value).toBe(first.rootPassword.value);
        expect(back.outputs.minioSecretKey.value).toBe(first.minioSecretKey.value);
        const report = back.outputs.schemaReport.value as SchemaReport;
        expect(report.collections.map((c) => [c.name, c.status])).toEqual([["documents", "unchanged"]]);
        client = connect(back.outputs.endpoint.value as string, token(back.outputs));
        expect(await rowCount(client, "documents")).toBe(before);
        expect(await rowsTagged(client, "documents", "survivor")).toBe(500);
        await client.closeConnection();
        console.log(`rows in documents: ${before} before the replacement, after it, and after destroy + up`);
    });
});
