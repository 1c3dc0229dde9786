import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");
const PAGES = ["README.md", "CHANGELOG.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** The text outside code fences and code spans: links in examples are not links. */
function prose(text: string): string {
    return text
        .split(/^```[^\n]*\n[\s\S]*?^```$/m)
        .join("\n")
        .replace(/`[^`\n]*`/g, "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
    return heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

function anchors(file: string): Set<string> {
    const text = fs.readFileSync(file, "utf8").split(/^```[^\n]*\n[\s\S]*?^```$/m).join("\n");
    return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1].trim())));
}

describe("links between the README and docs/", () => {
    it.each(PAGES)("every relative link in %s reaches a file, and its anchor a heading there", (page) => {
        const from = path.join(ROOT, page);
        const links = [...prose(fs.readFileSync(from, "utf8")).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
        const broken = links.filter((link) => {
            const [file, anchor] = link.split("#");
            const target = file ? path.resolve(path.dirname(from), file) : from;
            if (!fs.existsSync(target)) return true;
            return anchor !== undefined && target.endsWith(".md") && !anchors(target).has(anchor);
        });
        expect(broken).toEqual([]);
    });

    it("the README links every page in docs/", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const unlinked = PAGES.filter((p) => p.startsWith("docs/") && !readme.includes(`](${p})`));
        expect(unlinked).toEqual([]);
    });
});
