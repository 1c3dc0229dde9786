import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as YAML from "yaml";
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

// The dynamic provider (the schema step's) is configured with the whole stack config, so a config key
// that the new Pulumi.yaml declares with a default (monitoring, from issue 22) shows as an `update` of
// that provider: no resource it serves changes. Allowed only when that is all it is (see providerConfigChange).
const DYNAMIC_PROVIDER = "update pulumi:providers:pulumi-nodejs default";

type StepMetadata = NonNullable<EngineEvent["resourcePreEvent"]>["metadata"];

/** `op type name` of every step the engine reports, from a preview or an update; the steps themselves in `raw`. */
function recordSteps(into: string[], raw: StepMetadata[] = []): (e: EngineEvent) => void {
    return (e) => {
        const m = e.resourcePreEvent?.metadata;
        if (!m) return;
        into.push(`${m.op} ${m.type} ${m.urn.split("::").pop()}`);
        raw.push(m);
    };
}

/** The config keys a Pulumi.yaml declares, as `project:key`. */
function declaredKeys(dir: string): string[] {
    const doc = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string; config?: Record<string, unknown> };
    return Object.keys(doc.config ?? {}).map((k) => `${doc.name}:${k}`);
}

/** How the dynamic provider's inputs changed: keys added, and keys removed or changed in value. */
function providerConfigChange(step: StepMetadata): { added: string[]; changed: string[] } {
    const before = (step.old?.inputs ?? {}) as Record<string, unknown>;
    const after = (step.new?.inputs ?? {}) as Record<string, unknown>;
    return {
        added: Object.keys(after).filter((k) => !(k in before)),
        changed: Object.keys(before).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])),
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
            const steps: StepMetadata[] = [];
            let diff = "";
            const preview = await stack.preview({ diff: true, color: "never", onEvent: recordSteps(planned, steps), onOutput: (o) => (diff += o) });
            const changed = planned.filter((s) => !ALLOWED_OPS.has(s.split(" ")[0]) && s !== DYNAMIC_PROVIDER);
            expect(changed, `planned changes besides aliasing:\n${changed.join("\n")}\n${diff}`).toEqual([]);
            expect(Object.keys(preview.changeSummary).filter((op) => !ALLOWED_OPS.has(op))).toEqual([]);
            // The provider's update, if any, is only the new code's newly declared config keys.
            const newlyDeclared = declaredKeys(ROOT).filter((k) => !declaredKeys(old.dir).includes(k));
            for (const step of steps.filter((m) => `${m.op} ${m.type} ${m.urn.split("::").pop()}` === DYNAMIC_PROVIDER)) {
                const { added, changed: altered } = providerConfigChange(step);
                expect(altered, "dynamic provider config keys removed or changed").toEqual([]);
                expect(added.filter((k) => !newlyDeclared.includes(k)), `dynamic provider config keys added that Pulumi.yaml did not newly declare (newly declared: ${newlyDeclared.join(", ")})`).toEqual([]);
            }
            // The new tokens, each reached through its old URN.
            for (const t of ["milvus-gpu:index:MilvusStandalone milvus", "milvus-gpu:index:DockerHost host", "milvus-gpu:index:MilvusSchema schema"]) {
                expect(planned).toContain(`same ${t}`);
            }

            const done: string[] = [];
            const up = await stack.up({ color: "never", onEvent: recordSteps(done) });
            expect(up.summary.result).toBe("succeeded");
            expect(done.filter((s) => !ALLOWED_OPS.has(s.split(" ")[0]) && s !== DYNAMIC_PROVIDER)).toEqual([]);
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
