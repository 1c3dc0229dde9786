import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { BACKUP_TOOL_PAIRINGS } from "../../../components/backup/compatibility";
import { CHART_RELEASES, DEFAULT_CHART_VERSION, NEWEST_MILVUS_PATCH } from "../../../components/cluster/chartReleases";
import { parseClusterSettings } from "../../../components/cluster/config";
import { CAPABILITIES, Support } from "../../../components/schema";
import { DEFAULT_RELEASE, RELEASE_SETS } from "../../../components/standalone/releases";
import { docText } from "../../helpers/docExample";
import { MarkdownTable, markdownTables } from "../../helpers/markdownTables";

const page = docText("docs/compatibility.md");
const tables = markdownTables(page);

function tableWith(firstHeader: string): MarkdownTable {
    const t = tables.find((x) => x.header[0] === firstHeader);
    if (!t) throw new Error(`docs/compatibility.md has no table starting with column "${firstHeader}"`);
    return t;
}

const code = (s: string) => `\`${s}\``;
const marked = (name: string, isDefault: boolean) => `${code(name)}${isDefault ? " (default)" : ""}`;

describe("docs/compatibility.md matches the tables in the code", () => {
    it("image sets: every release set with its four images, the default marked", () => {
        const rows = tableWith("release").rows;
        const expected = Object.entries(RELEASE_SETS).map(([name, r]) => [marked(name, name === DEFAULT_RELEASE), code(r.milvus), code(r.etcdImage), code(r.minioImage), code(r.attuImage)]);
        expect(rows).toEqual(expected);
    });

    it("chart versions: every chart with its appVersion and line, the default marked, and the Milvus the cluster runs", () => {
        const rows = tableWith("chart").rows;
        const expected = Object.entries(CHART_RELEASES).map(([v, r]) => [marked(v, v === DEFAULT_CHART_VERSION), r.appVersion, r.milvusLine]);
        expect(rows).toEqual(expected);
        const clusterDefault = parseClusterSettings({}).milvus.version;
        expect(clusterDefault).toBe(NEWEST_MILVUS_PATCH[CHART_RELEASES[DEFAULT_CHART_VERSION].milvusLine]);
        expect(page).toContain(`Milvus **${code(clusterDefault)}**`);
    });

    it("milvus-backup pairs: every Milvus line with its release range and default image", () => {
        const rows = tableWith("Milvus line").rows;
        const expected = BACKUP_TOOL_PAIRINGS.map((p) => [
            `${p.milvusLine}${p.excludedMilvus ? ` (not ${p.excludedMilvus.join(", ")})` : ""}`,
            p.through ? `${p.since} to ${p.through}` : `${p.since} or later`,
            p.defaultTool ? code(`milvusdb/milvus-backup:${p.defaultTool}`) : `none: set ${code("backup.image")}`,
        ]);
        expect(rows).toEqual(expected);
        // What the page says of the default release set follows from the table.
        const lineOfDefault = RELEASE_SETS[DEFAULT_RELEASE].milvus.replace(/^v(\d+\.\d+)\..*$/, "$1");
        expect(BACKUP_TOOL_PAIRINGS.find((p) => p.milvusLine === lineOfDefault)?.defaultTool).toBeUndefined();
    });

    it("server capabilities: every entry of the table with its first release, GPU-only mark and Milvus Lite column", () => {
        const kinds: Record<keyof typeof CAPABILITIES, string> = {
            vectorIndexes: "vector index",
            scalarIndexes: "scalar index",
            metrics: "metric",
            fieldTypes: "field type",
            features: "feature",
        };
        const lite = (s: Support) => (s.gpu ? "no (not a GPU build)" : s.lite === false ? "no" : s.lite ? `not on ${s.lite.notOn.join(", ")}` : "yes");
        const expected = (Object.keys(kinds) as (keyof typeof CAPABILITIES)[]).flatMap((kind) =>
            Object.entries(CAPABILITIES[kind] as Record<string, Support>).map(([name, s]) => [code(name), kinds[kind], s.since, s.gpu ? "yes" : "", lite(s)]),
        );
        expect(tableWith("what").rows).toEqual(expected);
    });

    it("Node and the pinned SDK versions are package.json's", () => {
        const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8")) as { engines: { node: string }; dependencies: Record<string, string>; devDependencies?: Record<string, string> };
        const versions = tables.find((t) => t.header.join() === "what,version,where it is set");
        expect(versions, "the table of Node and SDK versions").toBeDefined();
        const rows = new Map(versions!.rows.map((r) => [r[0], r[1]] as const));
        expect(rows.get("Node.js")).toMatch(new RegExp(`^${pkg.engines.node.replace(">=", ">= ")}\\b`));
        const all = { ...pkg.devDependencies, ...pkg.dependencies };
        const named = [...rows.keys()].filter((k) => /^`@/.test(k));
        expect(named.length).toBeGreaterThan(5);
        for (const name of named) expect(rows.get(name), name).toBe(all[name.slice(1, -1)]);
    });
});
