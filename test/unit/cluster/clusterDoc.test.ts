import { describe, expect, it } from "vitest";
import { parseClusterSettings } from "../../../components/cluster/config";
import { milvusClusterValues } from "../../../components/cluster/values";
import { configErrorsIn } from "../../helpers/configErrors";
import { docText } from "../../helpers/docExample";

// The whole page is the cluster section it used to be in the README.
const section = docText("docs/cluster.md");

function unknownKeyErrors(raw: Record<string, unknown>): string[] {
    return configErrorsIn(() => parseClusterSettings(raw))
        .filter((x) => x.allowed.startsWith("one of the known keys"))
        .map((x) => x.field);
}

describe("the cluster page (docs/cluster.md) tells the truth (point 7)", () => {
    it("says the MinIO keys sit in the Milvus ConfigMap, which is how the builder hands them to the chart", () => {
        expect(section).toMatch(/writes them in plain text into the Milvus ConfigMap \(`<fullname>`, key `default\.yaml`\)/);
        expect(section).toMatch(/readable by anyone who may read ConfigMaps in the namespace/);
        const v = milvusClusterValues(parseClusterSettings({}), { minioAccessKey: "ak", minioSecretKey: "sk", rootPasswordSecretName: "s" }) as Record<string, any>;
        expect([v.minio.accessKey, v.minio.secretKey]).toEqual(["ak", "sk"]);
        // Not offered: the chart's minio.existingSecret does not reach Milvus's own config.
        expect(v.minio.existingSecret).toBeUndefined();
        expect(section).toContain("`minio.existingSecret` only reaches the MinIO subchart");
    });

    it("documents only config keys the parser knows, and the pinned pair it really defaults to", () => {
        const table = section.slice(section.indexOf("## Config (`milvus-gpu:cluster`)"), section.indexOf("Role defaults:"));
        const keys = new Set<string>();
        for (const row of table.split("\n").filter((l) => l.startsWith("| `"))) {
            // "`a.b` / `c`" documents a.b and a.c; "`proxy`, `dataNode`" several top-level keys.
            const tokens = [...row.split("|")[1].matchAll(/`([A-Za-z.]+)`/g)].map((m) => m[1]);
            for (const t of tokens[0].includes(".") ? [tokens[0]] : tokens) keys.add(t.split(".")[0]);
        }
        expect(keys.size).toBeGreaterThan(15);
        for (const key of keys) expect(unknownKeyErrors({ [key]: undefined }), key).toEqual([]);
        const c = parseClusterSettings({});
        expect(section).toContain(`**chart ${c.chart.version} with Milvus \`${c.milvus.version}\`**`);
    });
});
