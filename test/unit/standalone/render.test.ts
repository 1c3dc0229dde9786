import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseStackConfig } from "../../../stacks/config";
import { renderStack } from "../../../stacks/render";
import { readStackConfig } from "../../../scripts/stackFile";

const ROOT = path.resolve(__dirname, "../../..");
const seed = parse(fs.readFileSync(path.join(ROOT, "test/fixtures/seed-compose.yml"), "utf8"));

/** The seed's setup expressed as our stack config: its release, its data dir, GPU on. */
const seedLike = parseStackConfig({ release: "v2.4.0", dataDir: "/opt/milvus", milvus: { gpu: true } }, "seedlike");
const rendered = renderStack(seedLike, "compose") as { services: Record<string, any> };

const envOf = (service: any): Record<string, string> =>
    Array.isArray(service.environment)
        ? Object.fromEntries(service.environment.map((e: string) => e.split("=", 2) as [string, string]))
        : service.environment;
// The seed writes commands as shell strings; compare them as argument vectors.
const asArgv = (cmd: string | string[]) => (Array.isArray(cmd) ? cmd : cmd.split(/\s+/).map((a) => a.replace(/^"(.*)"$/, "$1")));

describe("compose render matches the seed's compose file point by point", () => {
    const services = ["etcd", "minio", "standalone"];

    it("has the seed's three services", () => {
        expect(Object.keys(rendered.services)).toEqual(services);
    });

    it.each(services)("%s: same image, command and volume", (name) => {
        const ours = rendered.services[name];
        const theirs = seed.services[name];
        expect(ours.image).toBe(theirs.image.replace(/^(milvusdb\/milvus:v2\.4\.0)$/, "$1-gpu"));
        expect(asArgv(ours.command)).toEqual(asArgv(theirs.command));
        expect(ours.volumes).toEqual(theirs.volumes);
    });

    it.each(services)("%s: same healthcheck probe and timings", (name) => {
        const ours = rendered.services[name].healthcheck;
        const theirs = seed.services[name].healthcheck;
        expect(ours).toEqual(theirs);
    });

    it.each(services)("%s: every seed env variable present with the seed's value, except credentials", (name) => {
        const ours = envOf(rendered.services[name]);
        for (const [key, value] of Object.entries(envOf(seed.services[name]))) {
            expect(ours, key).toHaveProperty(key);
            if (value === "minioadmin") {
                // Deliberate difference: a secret reference instead of the well-known default.
                expect(ours[key]).toMatch(/^\$\{MINIO_(ACCESS|SECRET)_KEY:\?/);
            } else {
                expect(String(ours[key])).toBe(String(value));
            }
        }
    });

    it("standalone: the seed's GPU reservation, seccomp option, ports and dependencies", () => {
        const ours = rendered.services.standalone;
        const theirs = seed.services.standalone;
        const ourDevice = ours.deploy.resources.reservations.devices[0];
        const seedDevice = theirs.deploy.resources.reservations.devices[0];
        expect(ourDevice.capabilities).toEqual(seedDevice.capabilities);
        expect(ourDevice.count).toBe("all");
        expect(ours.security_opt).toEqual(theirs.security_opt);
        expect(ours.ports.map((p: string) => p.split(":").slice(-2).join(":"))).toEqual(theirs.ports);
        expect(Object.keys(ours.depends_on)).toEqual(theirs.depends_on);
    });

    it("deliberate differences: MinIO not published, memory limits on every service, auth on", () => {
        expect(seed.services.minio.ports).toEqual(["9001:9001", "9000:9000"]);
        expect(rendered.services.minio.ports).toBeUndefined();
        for (const s of services) expect(rendered.services[s].deploy.resources.limits.memory).toMatch(/^\d+[gm]$/);
        expect(envOf(rendered.services.standalone).COMMON_SECURITY_AUTHORIZATIONENABLED).toBe("true");
    });

    it("without a GPU, no device reservation is rendered", () => {
        const cpu = renderStack(parseStackConfig({}, "cpu"), "compose") as { services: Record<string, any> };
        for (const s of Object.values(cpu.services)) expect(s.deploy.resources.reservations).toBeUndefined();
        expect(cpu.services.standalone.image).toBe("milvusdb/milvus:v3.0.2");
    });
});

describe("npm run render", () => {
    const tsx = path.join(ROOT, "node_modules/.bin/tsx");

    it("prints the dev stack as a compose document with the three services", () => {
        const out = execFileSync(tsx, ["scripts/render.ts", "--stack", "dev", "--format", "compose"], { cwd: ROOT, encoding: "utf8" });
        const doc = parse(out);
        expect(Object.keys(doc.services)).toEqual(["etcd", "minio", "standalone"]);
        expect(doc.services.standalone.ports).toEqual(["127.0.0.1:19530:19530", "127.0.0.1:9091:9091"]);
        expect(out).not.toMatch(/minioadmin/);
    });

    it("prints JSON with secrets redacted", () => {
        const out = execFileSync(tsx, ["scripts/render.ts", "--stack", "dev", "--format", "json"], { cwd: ROOT, encoding: "utf8" });
        const doc = JSON.parse(out);
        const milvus = doc.containers.find((c: any) => c.service === "standalone");
        expect(milvus.env.COMMON_SECURITY_DEFAULTROOTPASSWORD).toBe("<secret:MILVUS_ROOT_PASSWORD>");
        expect(milvus.memoryBytes).toBe(4 * 1024 ** 3);
    });

    it("fails with the field named for an unknown stack or format", () => {
        const run = (args: string[]) => {
            try {
                execFileSync(tsx, ["scripts/render.ts", ...args], { cwd: ROOT, encoding: "utf8", stdio: "pipe" });
                return "";
            } catch (e) {
                return String((e as { stderr: string }).stderr);
            }
        };
        expect(run(["--stack", "nope"])).toMatch(/--stack: invalid value "nope"; expected a stack with a Pulumi.<stack>.yaml in .*: dev/);
        expect(run(["--stack", "dev", "--format", "helm"])).toMatch(/--format: invalid value "helm"; expected compose or json/);
    });
});

describe("render of the other stack kinds", () => {
    it("production (cluster): the chart, namespace and Helm values with secrets redacted", () => {
        const out = renderStack(readStackConfig("production"), "json") as any;
        expect(out.chart.version).toBe("5.0.19");
        expect(JSON.stringify(out.values)).toContain("<secret:MINIO_SECRET_KEY>");
        expect(JSON.stringify(out.values)).not.toMatch(/minioadmin/);
        expect(out.schemaStep.collections).toEqual(["documents"]);
        expect(() => renderStack(readStackConfig("production"), "compose")).toThrowError(/--format: invalid value "compose"; expected json for a cluster stack/);
    });

    it("a native Clore.ai host: the order with the root password redacted", () => {
        const config = parseStackConfig({ host: { type: "clore", usage: "native" } }, "native");
        const out = renderStack(config, "json") as any;
        expect(out.order.image).toBe("milvusdb/milvus:v3.0.2-gpu");
        expect(out.order.env.COMMON_SECURITY_DEFAULTROOTPASSWORD).toBe("<secret:MILVUS_ROOT_PASSWORD>");
    });
});
