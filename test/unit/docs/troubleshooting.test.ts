import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { docText } from "../../helpers/docExample";
import { codeSpans, markdownTables } from "../../helpers/markdownTables";

const ROOT = path.resolve(__dirname, "../../..");
const SOURCE_DIRS = ["components", "stacks", "scripts", "plugin", "policies"];

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(full);
        return e.name.endsWith(".ts") ? [full] : [];
    });
}

/**
 * The package's source as one text, with string literals split by `+` joined again and escaped
 * quotes unescaped, so a message reads as it is printed.
 */
function printedSource(): string {
    const text = SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d)))
        .map((f) => fs.readFileSync(f, "utf8"))
        .join("\n");
    return text.replace(/["'`]\s*\+\s*["'`]/g, "").replace(/\\(["'`])/g, "$1");
}

/** The messages the page quotes: code spans in the column named message or reason. */
function quotedMessages(page: string): string[] {
    return markdownTables(page).flatMap((t) => {
        const col = t.header.findIndex((h) => /^(message|reason)\b/.test(h));
        return col < 0 ? [] : t.rows.flatMap((r) => codeSpans(r[col] ?? ""));
    });
}

/** The fixed parts of a quoted message: what lies between `<placeholders>` and `...` elisions. */
function literalParts(message: string): string[] {
    // A ConfigError's frame (errors.ts) holds the field and value; only what is allowed is a literal of its own.
    const unframed = message.replace(/^[^\s<>]+: invalid value (<[^<>]+>|\S+); expected /, "");
    return unframed
        .split(/<[^<>]+>|\.\.\./)
        .map((s) => s.trim())
        .filter((s) => s.length >= 6);
}

describe("docs/troubleshooting.md quotes the package's own messages", () => {
    const page = docText("docs/troubleshooting.md");
    const messages = quotedMessages(page);

    it("has a table row for each kind of failure (config, host steps, backups, schema step, Clore.ai)", () => {
        expect(messages.length).toBeGreaterThan(50);
        for (const start of ["milvus-gpu: Docker is not installed", "milvus-gpu: backup.target: ", "the existing Milvus schema differs", "no Clore.ai server matches the filters"]) {
            expect(messages.some((m) => m.startsWith(start)), start).toBe(true);
        }
    });

    it("every fixed part of every quoted message occurs in the code as printed", () => {
        const source = printedSource();
        const missing = messages.flatMap((m) => literalParts(m).filter((part) => !source.includes(part)).map((part) => `${JSON.stringify(part)} (of ${JSON.stringify(m)})`));
        expect(missing).toEqual([]);
    });

    it("gives each host-step exit code the code really uses", () => {
        const source = printedSource();
        const rows = markdownTables(page).filter((t) => t.header[0] === "exit").flatMap((t) => t.rows);
        expect(rows.length).toBeGreaterThan(10);
        for (const [exit, message] of rows) {
            if (!/^\d+$/.test(exit)) continue;
            const start = literalParts(codeSpans(message)[0]).sort((a, b) => b.length - a.length)[0];
            // The message and its exit code sit in the same few lines of the script that prints them.
            const at = source.indexOf(start);
            expect(at, start).toBeGreaterThanOrEqual(0);
            expect(source.slice(at, at + 1200), `${start} exits ${exit}`).toMatch(new RegExp(`exit ${exit}\\b`));
        }
    });
});
