import { Stack } from "@pulumi/pulumi/automation";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as YAML from "yaml";
import * as fs from "node:fs";
import { ROOT } from "./harness/prerequisites";
import { committedStackConfig, E2eProject, e2eProject, e2eStack, StackFileConfig } from "./harness/project";

const POLICY_PACK = path.join(ROOT, "policies");

/** A stack file's plain config, for the test fixtures that live beside the policy tests. */
function fixtureConfig(file: string): StackFileConfig {
    const doc = YAML.parse(fs.readFileSync(file, "utf8"));
    return Object.fromEntries(
        Object.entries((doc.config ?? {}) as Record<string, unknown>)
            .filter(([k]) => k.startsWith("milvus-gpu:"))
            .map(([k, v]) => [k.slice("milvus-gpu:".length), v]),
    );
}

/**
 * `pulumi preview --policy-pack policies`: the pack as CI runs it on a pull request. Needs a
 * Node language host that can run policy packs (one with RunPlugin, Pulumi 3.1xx or newer).
 */
describe("g. the policy pack on the real engine (pulumi preview --policy-pack policies)", () => {
    let project: E2eProject;
    const stacks: Stack[] = [];

    beforeAll(() => {
        project = e2eProject("policy");
    });
    afterAll(() => project?.remove());

    const preview = async (name: string, config: StackFileConfig, secrets: Record<string, string> = {}) => {
        const stack = await e2eStack(project, name, config, secrets);
        stacks.push(stack);
        let output = "";
        const result = await stack.preview({ policyPacks: [POLICY_PACK], color: "never", onOutput: (o) => (output += o) }).then(
            () => ({ ok: true as const }),
            (e: unknown) => ({ ok: false as const, error: String((e as Error).message ?? e) }),
        );
        return { ...result, output: result.ok ? output : `${output}\n${result.error}` };
    };

    it("dev, staging and production pass with no mandatory violation", async () => {
        const secrets: Record<string, Record<string, string>> = { staging: { cloreApiKey: "preview-only-key" } };
        for (const name of ["dev", "staging", "production"]) {
            const res = await preview(name, committedStackConfig(name), secrets[name]);
            expect(res.output, `${name}:\n${res.output}`).toMatch(/✅ milvus-gpu@v0\.1\.0 \(local: /);
            expect(res.ok, `${name}:\n${res.output}`).toBe(true);
            expect(res.output).not.toMatch(/mandatory/i);
        }
    });

    it("a stack configured like the seed fails preview on the rules it breaks", async () => {
        const res = await preview("seed", fixtureConfig(path.join(ROOT, "test/policies/fixtures/Pulumi.seed.yaml")));
        expect(res.ok).toBe(false);
        for (const rule of ["no-default-credentials", "gpu-index-needs-gpu-image", "private-etcd-minio-ports"]) {
            expect(res.output, `${rule} in\n${res.output}`).toMatch(new RegExp(`\\[mandatory\\]\\s+${rule}`));
        }
    });
});
