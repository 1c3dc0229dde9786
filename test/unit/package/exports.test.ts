import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");

describe("the package as another Pulumi program imports it", () => {
    it("builds to the entry package.json exports, with types", () => {
        // Inside the project so the build resolves the same node_modules a consumer would have.
        const out = fs.mkdtempSync(path.join(ROOT, ".build-test-"));
        execFileSync(path.join(ROOT, "node_modules/.bin/tsc"), ["-p", "tsconfig.build.json", "--outDir", out], { cwd: ROOT, stdio: "pipe" });
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        const entry = pkg.exports["."].default.replace(/^\.\/bin\//, "");
        const types = pkg.exports["."].types.replace(/^\.\/bin\//, "");
        expect(fs.existsSync(path.join(out, types))).toBe(true);
        const lib = require(path.join(out, entry));
        for (const name of ["MilvusStandalone", "Etcd", "Minio", "DockerHost", "CloreDockerHost", "CloreNativeMilvus", "MilvusCluster", "MilvusSchema", "parseStandaloneSettings", "etcdContainerSpec", "ConfigError", "specCapabilityProblems", "UnsupportedByServerError", "MilvusAccessError"]) {
            expect(typeof lib[name], name).toBe("function");
        }
        const dts = fs.readFileSync(path.join(out, "components/standalone/milvusStandalone.d.ts"), "utf8");
        expect(dts).toContain("export interface MilvusStandaloneArgs");
        fs.rmSync(out, { recursive: true, force: true });
    }, 60_000);

    it("exports a curated list by name: the components, their parsers and builders, the errors callers catch; nothing internal", async () => {
        const lib = await import("../../../components");
        expect(Object.keys(lib).sort()).toEqual(
            [
                // components
                "CloreDockerHost", "CloreNativeMilvus", "CloreOrder", "DockerHost", "Etcd", "MilvusCluster", "MilvusCredentials", "MilvusSchema", "MilvusStandalone", "Minio",
                // parsers a program validates its own config with
                "parseBackupSettings", "parseCloreHostSettings", "parseClusterSettings", "parseDockerHostSettings", "parseSchemaSpec", "parseStandaloneSettings", "parseVerifySpec", "specCapabilityProblems",
                // pure builders and the release table
                "attuContainerSpec", "composeDocument", "etcdContainerSpec", "milvusClusterValues", "milvusContainerSpec", "minioContainerSpec", "DEFAULT_RELEASE", "RELEASE_SETS",
                // errors
                "CloreApiError", "ConfigError", "ConfigErrors", "MilvusAccessError", "MilvusUnavailableError", "SchemaConflictError", "UnsupportedByServerError", "VerificationFailedError",
            ].sort(),
        );
        const source = fs.readFileSync(path.join(ROOT, "components/index.ts"), "utf8");
        expect(source).not.toMatch(/export \* from/);
    });
});
