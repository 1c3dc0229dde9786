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

/** A copy of the project's manifests with the library built, as after `npm run build`. */
function builtProject(pulumiYaml: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "program-entry-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
    fs.copyFileSync(path.join(ROOT, "index.ts"), path.join(dir, "index.ts"));
    fs.mkdirSync(path.join(dir, "bin/components"), { recursive: true });
    fs.writeFileSync(path.join(dir, "bin/components/index.js"), "// the built component library\n");
    return dir;
}

describe("the Pulumi program", () => {
    it("is index.ts even after `npm run build`, not the component library", () => {
        const dir = builtProject(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
        expect(programEntry(dir)).toBe(path.join(dir, "index.ts"));
        expect(fs.readFileSync(path.join(ROOT, "index.ts"), "utf8")).toMatch(/runStack\(\)/);
    });

    it("would be the library without `main` in Pulumi.yaml (why the key is there)", () => {
        const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
        delete project.main;
        const dir = builtProject(YAML.stringify(project));
        expect(programEntry(dir)).toBe(path.join(dir, "bin/components/index.js"));
    });
});
