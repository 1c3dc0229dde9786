import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./harness/prerequisites";
import { committedStackConfig, E2eProject, e2eProject, e2eStack, StackFileConfig, stackFileConfig } from "./harness/project";

const POLICY_PACK = path.join(ROOT, "policies");
/** What an older language host (before RunPlugin) answers when asked to load a policy pack. */
const NO_POLICY_HOST = /could not read plugin .*not supported/;

/**
 * `pulumi preview --policy-pack policies`: the pack as CI runs it on a pull request. Needs a
 * Node language host that can run policy packs (one with RunPlugin, Pulumi 3.1xx or newer).
 */
describe("g. the policy pack on the real engine (pulumi preview --policy-pack policies)", () => {
    let project: E2eProject;

    beforeAll(() => {
        project = e2eProject("policy");
    });
    afterAll(() => project?.remove());

    const preview = async (name: string, config: StackFileConfig, secrets: Record<string, string> = {}, policyConfig?: Record<string, unknown>) => {
        const stack = await e2eStack(project, name, config, secrets);
        let output = "";
        const policyPackConfigs: string[] = [];
        if (policyConfig) {
            const file = path.join(project.dir, `policy-${name}.json`);
            fs.writeFileSync(file, JSON.stringify(policyConfig));
            policyPackConfigs.push(file);
        }
        const result = await stack.preview({ policyPacks: [POLICY_PACK], policyPackConfigs, color: "never", onOutput: (o) => (output += o) }).then(
            () => ({ ok: true as const }),
            (e: unknown) => ({ ok: false as const, error: String((e as Error).message ?? e) }),
        );
        return { ...result, output: result.ok ? output : `${output}\n${result.error}` };
    };

    it("dev, staging and production pass with no mandatory violation", async (ctx) => {
        const secrets: Record<string, Record<string, string>> = { staging: { cloreApiKey: "preview-only-key" } };
        for (const name of ["dev", "staging", "production"]) {
            const res = await preview(name, committedStackConfig(name), secrets[name]);
            // Such a host cannot load a policy pack at all: say so rather than fail.
            if (!res.ok && NO_POLICY_HOST.test(res.output)) {
                console.log("[g skipped] the Node language host on PATH cannot run policy packs (no RunPlugin); use a current pulumi-language-nodejs");
                ctx.skip();
            }
            // The pack ran (✅, or ⚠️ when only advisories fired: these stacks give apps the root token only).
            expect(res.output, `${name}:\n${res.output}`).toMatch(/(✅|⚠️) milvus-gpu@v0\.1\.0 \(local: /);
            expect(res.ok, `${name}:\n${res.output}`).toBe(true);
            expect(res.output).not.toMatch(/mandatory/i);
        }
    });

    it("a stack configured like the seed stops preview at config on its GPU index, and with the GPU image fails the rules it breaks", async (ctx) => {
        const seed = stackFileConfig(path.join(ROOT, "test/policies/fixtures/Pulumi.seed.yaml"));
        const asIs = await preview("seed", seed);
        if (NO_POLICY_HOST.test(asIs.output)) ctx.skip();
        expect(asIs.ok).toBe(false);
        expect(asIs.output).toMatch(/schema\.collections\[0\]\.indexes\.embedding\.type: invalid value "GPU_IVF_FLAT"/);
        // Bad config is one clear message, not a stack trace of the program.
        expect(asIs.output).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
        expect(asIs.output).not.toMatch(/unhandled exception/);
        // The seed with the GPU build it needs: the rest is the policy pack's to find.
        const res = await preview("seed", { ...seed, milvus: { ...(seed.milvus as object), gpu: true } });
        expect(res.ok).toBe(false);
        for (const rule of ["no-default-credentials", "private-etcd-minio-ports", "no-known-vulnerable-images"]) {
            expect(res.output, `${rule} in\n${res.output}`).toMatch(new RegExp(`\\[mandatory\\]\\s+${rule}`));
        }
        expect(res.output).toMatch(/\[advisory\]\s+milvus-tls-when-public/);
        expect(res.output).toContain("CVE-2023-28432");
    });

    it("Attu turned on passes: the pack knows each container by its role label", async (ctx) => {
        const res = await preview("attu", { ...committedStackConfig("dev"), attu: { enabled: true } });
        if (NO_POLICY_HOST.test(res.output)) ctx.skip();
        expect(res.ok, res.output).toBe(true);
        expect(res.output).not.toMatch(/no-default-credentials|persistent-storage|mandatory/i);
    });

    it("the seed's image set alone fails only no-known-vulnerable-images, and passes with that rule advisory", async (ctx) => {
        const config = stackFileConfig(path.join(ROOT, "test/policies/fixtures/Pulumi.seed-release.yaml"));
        const strict = await preview("seedrelease", config);
        if (NO_POLICY_HOST.test(strict.output)) ctx.skip();
        expect(strict.ok).toBe(false);
        expect(strict.output).toMatch(/\[mandatory\]\s+no-known-vulnerable-images/);
        expect([...strict.output.matchAll(/\[mandatory\]\s+([a-z-]+)/g)].map((m) => m[1]).filter((r) => r !== "no-known-vulnerable-images")).toEqual([]);
        const relaxed = await preview("seedrelease", config, {}, JSON.parse(fs.readFileSync(path.join(ROOT, "test/policies/fixtures/seed-release-policy.json"), "utf8")));
        expect(relaxed.ok, relaxed.output).toBe(true);
        expect(relaxed.output).toMatch(/\[advisory\]\s+no-known-vulnerable-images/);
    });

    it("9091 and gRPC without TLS beyond loopback are advisory, Attu beyond loopback is mandatory (and configurable)", async (ctx) => {
        const dev = committedStackConfig("dev");
        const open = { ...dev, milvus: { ...(dev.milvus as object), host: "0.0.0.0", httpHost: "0.0.0.0" }, attu: { enabled: true, host: "0.0.0.0" } };
        const res = await preview("exposed", open);
        if (NO_POLICY_HOST.test(res.output)) ctx.skip();
        expect(res.ok).toBe(false);
        expect(res.output).toMatch(/\[advisory\]\s+private-milvus-http-port/);
        expect(res.output).toMatch(/\[advisory\]\s+milvus-tls-when-public/);
        expect(res.output).toMatch(/\[mandatory\]\s+private-attu/);
        const trusted = await preview("exposed", open, {}, { "private-attu": "advisory" });
        expect(trusted.ok, trusted.output).toBe(true);
        expect(trusted.output).toMatch(/\[advisory\]\s+private-attu/);
    });
    it("apps on the root token only is advisory; declared access users quiet it", async (ctx) => {
        const dev = committedStackConfig("dev");
        const res = await preview("rootonly", dev);
        if (NO_POLICY_HOST.test(res.output)) ctx.skip();
        expect(res.ok, res.output).toBe(true);
        expect(res.output).toMatch(/\[advisory\]\s+least-privilege-app-tokens/);
        const schema = dev.schema as { collections: Record<string, unknown>[] };
        const withUsers = {
            ...dev,
            schema: {
                ...schema,
                access: {
                    roles: [{ name: "docs_reader", grants: [{ object: "Collection", name: String(schema.collections[0].name), privileges: ["Search", "Query"] }] }],
                    users: [{ name: "search_api", roles: ["docs_reader"] }],
                },
            },
        };
        const quiet = await preview("withusers", withUsers);
        expect(quiet.ok, quiet.output).toBe(true);
        expect(quiet.output).not.toMatch(/least-privilege-app-tokens/);
    });
});
