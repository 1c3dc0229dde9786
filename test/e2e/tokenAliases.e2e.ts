import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerNames, inspectContainer } from "./harness/docker";
import { connect, insertDocuments, rowsTagged } from "./harness/milvusData";
import { ROOT } from "./harness/prerequisites";
import { OldCheckout, oldCheckout, oldCheckoutUnavailable } from "./harness/oldCheckout";
import { E2eProject, e2eProject, e2eStack, relinkProject, stateFileText } from "./harness/project";
import { closeScenario, Scenario } from "./harness/scenario";
import { deploymentPlace, devLikeConfig } from "./harness/stacks";

// main before issue 21's token change: its components registered as milvus-gpu:standalone:X,
// milvus-gpu:host:X, milvus-gpu:schema:X. A stack made by it must upgrade without replacement.
const BEFORE_TOKENS = "75fbb2a";
const OLD_TOKEN = /milvus-gpu:(standalone|host|schema|backup|cluster):/;
// What the engine may do to a resource of an existing stack when only the package changed.
const ALLOWED_OPS = new Set(["same", "refresh", "read"]);

/** `op type name` of every step the engine reports, from a preview or an update. */
function recordSteps(into: string[]): (e: EngineEvent) => void {
    return (e) => {
        const m = e.resourcePreEvent?.metadata;
        if (m) into.push(`${m.op} ${m.type} ${m.urn.split("::").pop()}`);
    };
}

const unavailable = oldCheckoutUnavailable(BEFORE_TOKENS);

describe.skipIf(unavailable !== undefined)(
    `k. a dev stack made by main at ${BEFORE_TOKENS} (old type tokens) upgrades to this code without a replacement${unavailable ? ` (SKIPPED: ${unavailable})` : ""}`,
    () => {
        let old: OldCheckout;
        let scenario: Scenario;
        let project: E2eProject;
        let stack: Stack;

        beforeAll(async () => {
            old = oldCheckout(BEFORE_TOKENS);
            const place = await deploymentPlace("tokens");
            project = e2eProject("tokens", old.dir);
            scenario = { project, place };
            stack = await e2eStack(project, "dev", devLikeConfig(place));
        });
        afterAll(async () => {
            await closeScenario(scenario, stack);
            old?.remove();
        });

        it("k1. up with the old code records the old tokens", async () => {
            const result = await stack.up({ color: "never" });
            expect(result.summary.result).toBe("succeeded");
            const state = stateFileText(project, stack.name);
            expect(state).toContain("::milvus-gpu:standalone:MilvusStandalone::milvus");
            expect(state).toContain("milvus-gpu:host:DockerHost");
            expect(state).toContain("::milvus-gpu:schema:MilvusSchema::schema");
        });

        it("k2. with this code, preview --diff and up only alias: no create, replace or delete; the data stays", async () => {
            const before = await stack.outputs();
            const token = `root:${before.rootPassword.value as string}`;
            let client = connect(before.endpoint.value as string, token);
            await insertDocuments(client, "documents", 200, 384, "before-upgrade");
            await client.closeConnection();
            const containers = Object.values(containerNames(scenario.place.namePrefix));
            const ids = containers.map((n) => inspectContainer(n)?.id);
            expect(ids.every(Boolean), containers.join(", ")).toBe(true);

            relinkProject(project, ROOT);

            const planned: string[] = [];
            let diff = "";
            const preview = await stack.preview({ diff: true, color: "never", onEvent: recordSteps(planned), onOutput: (o) => (diff += o) });
            const changed = planned.filter((s) => !ALLOWED_OPS.has(s.split(" ")[0]));
            expect(changed, `planned changes besides aliasing:\n${changed.join("\n")}\n${diff}`).toEqual([]);
            expect(Object.keys(preview.changeSummary).filter((op) => !ALLOWED_OPS.has(op))).toEqual([]);
            // The new tokens, each reached through its old URN.
            for (const t of ["milvus-gpu:index:MilvusStandalone milvus", "milvus-gpu:index:DockerHost host", "milvus-gpu:index:MilvusSchema schema"]) {
                expect(planned).toContain(`same ${t}`);
            }

            const done: string[] = [];
            const up = await stack.up({ color: "never", onEvent: recordSteps(done) });
            expect(up.summary.result).toBe("succeeded");
            expect(done.filter((s) => !ALLOWED_OPS.has(s.split(" ")[0]))).toEqual([]);
            const state = stateFileText(project, stack.name);
            expect(state).not.toMatch(OLD_TOKEN);
            expect(state).toContain("::milvus-gpu:index:MilvusStandalone::milvus");

            // The same deployment: the same containers and credentials, the rows still there.
            const after = await stack.outputs();
            expect(after.endpoint.value).toBe(before.endpoint.value);
            expect(after.rootPassword.value).toBe(before.rootPassword.value);
            expect(containers.map((n) => inspectContainer(n)?.id)).toEqual(ids);
            client = connect(after.endpoint.value as string, token);
            try {
                expect(await rowsTagged(client, "documents", "before-upgrade")).toBe(200);
            } finally {
                await client.closeConnection();
            }
            await stack.preview({ expectNoChanges: true, color: "never" });
        });
    },
);
