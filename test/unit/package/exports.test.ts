import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { buildLibrary } from "../../../library/build";

const ROOT = path.resolve(__dirname, "../../..");
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));
const library = readJson(path.join(ROOT, "library/package.json"));
const project = readJson(path.join(ROOT, "package.json"));

/** The packages a source file imports or requires (not relative paths, not Node's own modules). */
function importedPackages(source: string): string[] {
    const specs = [...source.matchAll(/(?:from\s+|require\(\s*|import\(\s*)"([^".][^"]*)"/g)].map((m) => m[1]);
    return specs
        .filter((s) => !s.startsWith("node:") && !builtinModules.includes(s.split("/")[0]))
        .map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : s.split("/")[0]));
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => path.join(e.parentPath, e.name));
}

/** `^a.b.c` holds `v` when the major is the same and v is not older (the ranges this manifest uses). */
function caretHolds(range: string, v: string): boolean {
    const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
    if (!m) throw new Error(`library/package.json: range ${range} is not of the form ^major.minor.patch`);
    const [a, b] = [m.slice(1).map(Number), v.split(".").map(Number)];
    return a[0] === b[0] && (b[1] > a[1] || (b[1] === a[1] && b[2] >= a[2]));
}

describe("the component library as another Pulumi program installs it (library/package.json, built to bin/)", () => {
    it("builds to its package.json's exports, with types", () => {
        // Inside the project so the build resolves the same node_modules a consumer would have.
        const out = fs.mkdtempSync(path.join(ROOT, ".build-test-"));
        try {
            buildLibrary(out);
            const pkg = readJson(path.join(out, "package.json"));
            expect(pkg.name).toBe("pulumi-milvus-gpu");
            expect(fs.existsSync(path.join(out, pkg.exports["."].types))).toBe(true);
            const lib = require(path.join(out, pkg.exports["."].default));
            for (const name of ["MilvusStandalone", "Etcd", "Minio", "DockerHost", "CloreDockerHost", "CloreNativeMilvus", "MilvusCluster", "MilvusSchema", "parseStandaloneSettings", "etcdContainerSpec", "ConfigError", "specCapabilityProblems", "UnsupportedByServerError", "MilvusAccessError"]) {
                expect(typeof lib[name], name).toBe("function");
            }
            const dts = fs.readFileSync(path.join(out, "components/standalone/milvusStandalone.d.ts"), "utf8");
            expect(dts).toContain("export interface MilvusStandaloneArgs");
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    }, 60_000);

    it("declares every package its components import, the Pulumi SDK and providers as peers (one SDK copy in a user's program)", () => {
        const declared = new Set([...Object.keys(library.dependencies ?? {}), ...Object.keys(library.peerDependencies ?? {})]);
        const used = new Set(sourceFiles(path.join(ROOT, "components")).flatMap((f) => importedPackages(fs.readFileSync(f, "utf8"))));
        expect([...used].filter((p) => !declared.has(p)).sort()).toEqual([]);
        expect(Object.keys(library.dependencies ?? {}).filter((p) => p.startsWith("@pulumi/"))).toEqual([]);
        expect(Object.keys(library.peerDependencies)).toEqual(expect.arrayContaining(["@pulumi/pulumi", "@pulumi/docker", "@pulumi/command", "@pulumi/random", "@pulumi/kubernetes"]));
    });

    it("accepts the versions this repository pins and tests with", () => {
        const pinned: Record<string, string> = { ...project.dependencies, ...project.devDependencies };
        for (const [name, range] of Object.entries({ ...library.dependencies, ...library.peerDependencies } as Record<string, string>)) {
            expect(pinned[name], `${name} is pinned in package.json`).toMatch(/^\d+\.\d+\.\d+$/);
            expect(caretHolds(range, pinned[name]), `${name}: ${range} holds the pinned ${pinned[name]}`).toBe(true);
        }
    });

    it("leaves @pulumi/policy to the repository (a devDependency: the policy pack is not part of the library)", () => {
        expect(project.dependencies["@pulumi/policy"]).toBeUndefined();
        expect(project.devDependencies["@pulumi/policy"]).toMatch(/^\d+\.\d+\.\d+$/);
        expect(library.dependencies["@pulumi/policy"] ?? library.peerDependencies["@pulumi/policy"]).toBeUndefined();
    });

    it("exports a curated list by name: the components, their parsers and builders, the errors callers catch; nothing internal", async () => {
        const lib = await import("../../../components");
        expect(Object.keys(lib).sort()).toEqual(
            [
                // components
                "CloreDockerHost", "CloreNativeMilvus", "CloreOrder", "DockerHost", "Etcd", "MilvusCluster", "MilvusCredentials", "MilvusMonitoring", "MilvusSchema", "MilvusStandalone", "Minio",
                // parsers a program validates its own config with
                "parseBackupSettings", "parseCloreHostSettings", "parseClusterSettings", "parseDockerHostSettings", "parseMonitoringSettings", "parseSchemaSettings", "parseStandaloneSettings", "parseVerifySettings", "specCapabilityProblems",
                // pure builders and the release table
                "attuContainerSpec", "composeDocument", "etcdContainerSpec", "milvusClusterValues", "milvusContainerSpec", "minioContainerSpec", "monitoredDeployment", "monitoringContainerSpecs", "DEFAULT_RELEASE", "RELEASE_SETS",
                // errors
                "CloreApiError", "ConfigError", "ConfigErrors", "MilvusAccessError", "MilvusUnavailableError", "SchemaConflictError", "UnsupportedByServerError", "VerificationFailedError",
            ].sort(),
        );
        const source = fs.readFileSync(path.join(ROOT, "components/index.ts"), "utf8");
        expect(source).not.toMatch(/export \* from/);
    });
});
