import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "fixtures");

/** `npm run policy -- ...` as CI runs it: a separate process, no engine, no credentials. */
function runPolicy(...args: string[]) {
    const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(ROOT, "scripts", "policy.ts"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, PULUMI_ACCESS_TOKEN: "", PULUMI_CONFIG_PASSPHRASE: "" },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("npm run policy (offline runner)", () => {
    it("runs the program for a stack file, prints each violation with its fix and exits 1 on a mandatory one", () => {
        const r = runPolicy("--stack", "local", "--dir", FIXTURES);
        expect(r.err).toBe("");
        expect(r.out).toContain("[mandatory] private-etcd-minio-ports: milvus-minio — container milvus-minio publishes MinIO port 9000 on 0.0.0.0:9000.");
        expect(r.out).toContain("Fix: Leave the etcd/MinIO ports unpublished");
        expect(r.out).toMatch(/policy: stack local: \d+ resources checked, 1 mandatory and 1 advisory violation\(s\)/);
        expect(r.code).toBe(1);
    });

    it("honours a --config file: the same violation as advisory exits 0", () => {
        const r = runPolicy("--stack", "local", "--dir", FIXTURES, "--config", path.join(FIXTURES, "advisory-ports.json"));
        expect(r.out).toContain("[advisory] private-etcd-minio-ports");
        expect(r.out).toContain("0 mandatory and 2 advisory");
        expect(r.code).toBe(0);
    });

    it("prints JSON for machines", () => {
        const r = runPolicy("--stack", "local", "--dir", FIXTURES, "--json");
        const doc = JSON.parse(r.out);
        expect(doc.stack).toBe("local");
        expect(doc.resources).toBeGreaterThan(10);
        expect(doc.violations.map((v: { rule: string }) => v.rule)).toEqual(["least-privilege-app-tokens", "private-etcd-minio-ports"]);
    });

    it("exits 2 with the field named when the stack config or the stack name is bad", () => {
        const bad = runPolicy("--stack", "broken", "--dir", FIXTURES);
        expect(bad.code).toBe(2);
        expect(bad.err).toContain("milvus.memmory");
        const missing = runPolicy("--stack", "nope", "--dir", FIXTURES);
        expect(missing.code).toBe(2);
        expect(missing.err).toContain("--stack");
        expect(missing.err).toContain("local");
    });
});
