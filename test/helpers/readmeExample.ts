import * as fs from "node:fs";
import * as path from "node:path";

const README = path.resolve(__dirname, "..", "..", "README.md");

/** The first ```yaml block after the README heading `heading`: examples are tested as printed. */
export function readmeYamlAfter(heading: string): string {
    const text = fs.readFileSync(README, "utf8");
    const at = text.indexOf(`\n${heading}\n`);
    if (at < 0) throw new Error(`README has no heading ${heading}`);
    const m = /```yaml\n([\s\S]*?)```/.exec(text.slice(at));
    if (!m) throw new Error(`no yaml block after ${heading}`);
    return m[1];
}
