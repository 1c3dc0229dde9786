import { Stack } from "@pulumi/pulumi/automation";
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchemaReport } from "../../components/schema/verify/report";
import { containerNames, inspectContainer } from "./harness/docker";
import { e2eStack } from "./harness/project";
import { closeScenario, openScenario, Scenario } from "./harness/scenario";
import { LoopbackSshd, startLoopbackSshd } from "./harness/sshd";
import { DeploymentPlace, devLikeConfig } from "./harness/stacks";

describe("an SSH host (host.type: ssh) on the real engine", () => {
    let sshd: LoopbackSshd;
    let scenario: Scenario;
    let place: DeploymentPlace;
    let stack: Stack;

    beforeAll(async () => {
        sshd = await startLoopbackSshd();
        scenario = await openScenario("ssh");
        place = scenario.place;
        const config = devLikeConfig(place, {
            host: { type: "ssh", address: "127.0.0.1", port: sshd.port, user: sshd.user, sshOpts: sshd.sshOpts },
        });
        stack = await e2eStack(scenario.project, "ssh", config, { sshPrivateKey: sshd.privateKey });
    });

    afterAll(async () => {
        await closeScenario(scenario, stack);
        await sshd?.stop();
    });

    it("d. prepares the host over SSH and deploys through the Docker provider's ssh:// connection", async () => {
        const result = await stack.up({ color: "never" });
        expect(result.summary.result).toBe("succeeded");

        // Preparation ran through SSH: it made the data directories and reported Docker.
        expect(String(result.outputs.hostReport.value)).toMatch(/docker/i);
        for (const d of ["etcd", "minio", "milvus"]) expect(fs.existsSync(`${place.dataDir}/${d}`), d).toBe(true);
        // Both the command provider and the Docker provider logged in with the test's key.
        expect(sshd.acceptedLogins().length).toBeGreaterThanOrEqual(2);
        const state = await stack.exportStack();
        const providers = (state.deployment.resources as { type: string; inputs?: { host?: string } }[]).filter((r) => r.type === "pulumi:providers:docker");
        expect(providers.map((p) => p.inputs?.host)).toEqual([`ssh://${sshd.user}@127.0.0.1:${sshd.port}`]);

        for (const name of Object.values(containerNames(place.namePrefix))) {
            expect(inspectContainer(name)?.health, name).toBe("healthy");
        }
        expect(result.outputs.endpoint.value).toBe(`127.0.0.1:${place.grpcPort}`);
        const report = result.outputs.schemaReport.value as SchemaReport;
        expect(report.passed).toBe(true);
        expect(report.collections.map((c) => c.name)).toEqual(["documents"]);

        await stack.destroy({ color: "never" });
        for (const name of Object.values(containerNames(place.namePrefix))) expect(inspectContainer(name), name).toBeUndefined();
    });
});
