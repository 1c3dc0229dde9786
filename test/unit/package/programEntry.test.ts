import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as YAML from "yaml";

const ROOT = path.resolve(__dirname, "../../..");

/**
 * The file `pulumi up` runs for a Node project, by the rules of the CLI (Pulumi.yaml `main`,
 * a path relative to the project) and of @pulumi/pulumi's cmd/run (without `main`: package.json
 * exports["."], then package.json main, each only when the file exists).
 */
function programEntry(projectDir: string): string {
    const project = YAML.parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { main?: string };
    if (project.main) return path.join(projectDir, project.main);
    const pkg = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8"));
    const existing = (p: string | undefined) => (p && fs.existsSync(path.join(projectDir, p)) ? path.join(projectDir, p) : undefined);
    const dot = typeof pkg.exports === "object" ? pkg.exports["."] : pkg.exports;
    if (dot !== undefined) return existing(typeof dot === "string" ? dot : (dot.default ?? dot.require ?? dot.import)) ?? projectDir;
    return existing(pkg.main) ?? projectDir;
}

/** A copy of the project's manifests with the library built, as after `npm run build` (bin/ with its own package.json). */
function builtProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "program-entry-"));
    for (const f of ["Pulumi.yaml", "package.json", "index.ts"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    fs.mkdirSync(path.join(dir, "bin/components"), { recursive: true });
    fs.copyFileSync(path.join(ROOT, "library/package.json"), path.join(dir, "bin/package.json"));
    fs.writeFileSync(path.join(dir, "bin/components/index.js"), "// the built component library\n");
    return dir;
}

describe("the Pulumi program", () => {
    it("is index.ts, before and after `npm run build`, by package.json alone (no Pulumi.yaml main to keep in step)", () => {
        const dir = builtProject();
        try {
            expect(YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")).main).toBeUndefined();
            expect(programEntry(dir)).toBe(path.join(dir, "index.ts"));
            fs.rmSync(path.join(dir, "bin"), { recursive: true });
            expect(programEntry(dir)).toBe(path.join(dir, "index.ts"));
            expect(fs.readFileSync(path.join(ROOT, "index.ts"), "utf8")).toMatch(/runStack\(\)/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("and the library are two manifests: the repository's package.json has no exports, the library's points into its own build", () => {
        const project = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        const library = JSON.parse(fs.readFileSync(path.join(ROOT, "library/package.json"), "utf8"));
        expect(project.exports).toBeUndefined();
        expect(project.private).toBe(true);
        expect(project.main).toBe("index.ts");
        expect(library.exports["."].default).toBe("./components/index.js");
        expect(library.main).toBe("components/index.js");
    });
});
