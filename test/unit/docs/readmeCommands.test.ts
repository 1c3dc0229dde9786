import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { docText } from "../../helpers/docExample";

const ROOT = path.resolve(__dirname, "../../..");

/** The commands of the README's two-command block (comments dropped). */
function twoCommands(): string[] {
    const readme = docText("README.md");
    const at = readme.indexOf("The two commands");
    expect(at, "the README names its two commands").toBeGreaterThan(0);
    const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(at));
    return (block?.[1] ?? "")
        .split("\n")
        .map((l) => l.replace(/#.*$/, "").trim())
        .filter(Boolean);
}

describe("the README's two commands", () => {
    it("are the main job on the embedded default and the tests, through ./run", () => {
        expect(twoCommands()).toEqual(["./run verify -- --embedded", "./run test"]);
    });

    it("open the README: before its first section, within its first 40 lines", () => {
        const readme = docText("README.md");
        expect(readme.indexOf("./run test")).toBeLessThan(readme.indexOf("\n## "));
        expect(readme.slice(0, readme.indexOf("./run test")).split("\n").length).toBeLessThanOrEqual(40);
    });

    it("are what CI runs: .ci/run runs exactly the README's test command", () => {
        const ci = fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8").split("\n").map((l) => l.trim());
        expect(ci).toContain(twoCommands()[1]);
    });

    it("name npm scripts that exist (./run runs npm run <script>)", () => {
        const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
        expect(fs.readFileSync(path.join(ROOT, "run"), "utf8")).toContain('exec npm run "$@"');
        for (const command of twoCommands()) expect(scripts[command.split(" ")[1]], command).toBeDefined();
    });
});
