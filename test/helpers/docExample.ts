import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/** The text of a documentation file, by its path from the repository root (README.md, docs/x.md). */
export function docText(file: string): string {
    return fs.readFileSync(path.join(ROOT, file), "utf8");
}

/** The first ```yaml block after the heading `heading` of `file`: examples are tested as printed. */
export function docYamlAfter(file: string, heading: string): string {
    const text = docText(file);
    const at = text.indexOf(`\n${heading}\n`);
    const start = text.startsWith(`${heading}\n`) ? 0 : at;
    if (start < 0) throw new Error(`${file} has no heading ${heading}`);
    const m = /```yaml\n([\s\S]*?)```/.exec(text.slice(start));
    if (!m) throw new Error(`no yaml block after ${heading} in ${file}`);
    return m[1];
}
