import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CAPABILITIES, parseServerVersion, specCapabilityProblems, Support } from "../../../../components/schema/server/capabilities";
import { parseSchemaSettings } from "../../../../components/schema/spec/parse";
import { checkServerCapabilities, UnsupportedByServerError } from "../../../../components/schema/server/check";
import { readSpecFile } from "../../../../components/schema/spec/file";

const dev = parseSchemaSettings(readSpecFile(resolve(__dirname, "../../../../Pulumi.dev.yaml")).schema);

function one(fields: Record<string, unknown>[], indexes: Record<string, unknown>[]) {
    return parseSchemaSettings({ collections: [{ name: "c", fields: [{ name: "id", type: "INT64", primary: true }, ...fields], indexes }] });
}
const dense = { name: "v", type: "FLOAT_VECTOR", dim: 8 };
const flat = { field: "v", type: "FLAT", metric: "L2" };
const fields = (problems: { field: string }[]) => problems.map((p) => p.field);

describe("parseServerVersion", () => {
    it.each([
        ["v2.3.5-lite", { product: "milvus", version: [2, 3, 5], gpu: false, label: "Milvus 2.3.5" }],
        ["v2.4.0-gpu", { product: "milvus", version: [2, 4, 0], gpu: true, label: "Milvus 2.4.0 (GPU build)" }],
        ["2.5.3", { product: "milvus", version: [2, 5, 3], gpu: false }],
        ["v2.6", { product: "milvus", version: [2, 6, 0] }],
        ["milvus_lite-3.2.2", { product: "milvus-lite", version: [3, 2, 2], gpu: false, label: "Milvus Lite 3.2.2" }],
    ])("reads %s", (raw, expected) => {
        expect(parseServerVersion(raw)).toMatchObject(expected);
    });

    it("takes the GPU flag a stack knows from its image over the string, and names nothing it cannot read", () => {
        expect(parseServerVersion("v2.4.0", true)?.gpu).toBe(true);
        expect(parseServerVersion("v2.4.0-gpu", false)?.gpu).toBe(false);
        expect(parseServerVersion("latest")).toBeUndefined();
        expect(parseServerVersion("unknown version")).toBeUndefined();
    });
});

describe("the capability table", () => {
    const entries = (Object.entries(CAPABILITIES) as [string, Record<string, Support>][]).flatMap(([section, table]) => Object.entries(table).map(([name, s]) => [`${section}.${name}`, s] as const));
    it.each(entries)("%s names the release it arrived in and a source", (_name, support) => {
        expect(support.since).toMatch(/^\d+\.\d+\.\d+$/);
        expect(support.source).toMatch(/https:\/\/\S+/);
    });
});

describe("specCapabilityProblems", () => {
    it("refuses the dev spec's INVERTED indexes on Milvus 2.3, naming each field, what 2.3 has and the source", () => {
        const problems = specCapabilityProblems(dev, { version: "v2.3.5" });
        expect(problems).toEqual([
            {
                field: "schema.collections[0].indexes.category.type",
                value: "INVERTED",
                allowed: expect.stringMatching(/^one of Trie for a VARCHAR field \(or no index on it\) on Milvus 2\.3\.5; index type INVERTED needs Milvus 2\.4\.0 or later \(source: https:\/\/github\.com\/milvus-io\/milvus\/releases\/tag\/v2\.4\.0-rc\.1/),
            },
            {
                field: "schema.collections[0].indexes.year.type",
                value: "INVERTED",
                allowed: expect.stringMatching(/^one of STL_SORT for an INT32 field \(or no index on it\) on Milvus 2\.3\.5; index type INVERTED needs Milvus 2\.4\.0 or later/),
            },
        ]);
        expect(specCapabilityProblems(dev, { version: "v2.4.0" })).toEqual([]);
        expect(specCapabilityProblems(dev, { version: "milvus_lite-3.2.2" })).toEqual([]);
    });

    it("BITMAP and nullable fields need 2.5", () => {
        const spec = one([dense, { name: "tag", type: "VARCHAR", maxLength: 8 }, { name: "n", type: "INT32", nullable: true }], [flat, { field: "tag", type: "BITMAP" }]);
        expect(fields(specCapabilityProblems(spec, { version: "v2.4.9" }))).toEqual(["schema.collections[0].fields[3].nullable", "schema.collections[0].indexes.tag.type"]);
        expect(specCapabilityProblems(spec, { version: "v2.4.9" })[0].allowed).toMatch(/^false \(every row carries a value\) on Milvus 2\.4\.9; a nullable field needs Milvus 2\.5\.0 or later/);
        expect(specCapabilityProblems(spec, { version: "v2.5.0" })).toEqual([]);
    });

    it("sparse vectors (and a second vector field) need 2.4; every reason is listed", () => {
        const spec = one([dense, { name: "s", type: "SPARSE_FLOAT_VECTOR" }], [flat, { field: "s", type: "SPARSE_INVERTED_INDEX", metric: "IP" }]);
        expect(fields(specCapabilityProblems(spec, { version: "v2.3.5-lite" }))).toEqual([
            "schema.collections[0].fields[2].type",
            "schema.collections[0].fields",
            "schema.collections[0].indexes.s.type",
        ]);
        expect(specCapabilityProblems(spec, { version: "v2.4.0" })).toEqual([]);
    });

    it("GPU index types only on a GPU build of a release that has them", () => {
        const cagra = one([dense], [{ field: "v", type: "GPU_CAGRA", metric: "L2" }]);
        expect(specCapabilityProblems(cagra, { version: "v2.4.0" })[0].allowed).toMatch(/index type GPU_CAGRA needs a GPU build of Milvus \(image tag ending in -gpu\)/);
        expect(specCapabilityProblems(cagra, { version: "v2.4.0", gpu: true })).toEqual([]);
        expect(specCapabilityProblems(cagra, { version: "v2.4.0-gpu" })).toEqual([]);
        expect(specCapabilityProblems(cagra, { version: "v2.3.5-gpu" })[0].allowed).toMatch(/GPU_CAGRA needs Milvus 2\.4\.0 or later/);
        const ivf = one([dense], [{ field: "v", type: "GPU_IVF_FLAT", metric: "L2" }]);
        expect(specCapabilityProblems(ivf, { version: "v2.3.0-gpu" })).toEqual([]);
        expect(specCapabilityProblems(ivf, { version: "milvus_lite-3.2.2" })[0].allowed).toMatch(/on Milvus Lite 3\.2\.2; index type GPU_IVF_FLAT needs a GPU build of Milvus/);
    });

    it("Milvus Lite: INVERTED only, and not on ARRAY", () => {
        const spec = one(
            [dense, { name: "s", type: "VARCHAR", maxLength: 8 }, { name: "n", type: "INT64" }, { name: "a", type: "ARRAY", elementType: "INT32", maxCapacity: 4 }],
            [flat, { field: "s", type: "Trie" }, { field: "n", type: "STL_SORT" }, { field: "a", type: "INVERTED" }],
        );
        const problems = specCapabilityProblems(spec, { version: "milvus_lite-3.2.2" });
        expect(fields(problems)).toEqual(["schema.collections[0].indexes.s.type", "schema.collections[0].indexes.n.type", "schema.collections[0].indexes.a.type"]);
        expect(problems[0].allowed).toMatch(/^one of INVERTED for a VARCHAR field \(or no index on it\) on Milvus Lite 3\.2\.2; index type Trie is not implemented by Milvus Lite/);
        expect(problems[2].allowed).toMatch(/^no scalar index at all for an ARRAY field \(or no index on it\) on Milvus Lite 3\.2\.2; index type INVERTED is not implemented by Milvus Lite on an ARRAY field/);
        expect(specCapabilityProblems(spec, { version: "v2.4.0" })).toEqual([]);
    });

    it("names the release it cannot read or does not describe, and takes the caller's field prefix", () => {
        expect(specCapabilityProblems(dev, { version: "latest" }, "release")).toEqual([
            { field: "release (server version)", value: "latest", allowed: expect.stringContaining("a Milvus version such as v2.4.0") },
        ]);
        expect(specCapabilityProblems(dev, { version: "v2.2.16" })[0].allowed).toMatch(/^Milvus 2\.3\.0 or later/);
        expect(fields(specCapabilityProblems(dev, { version: "v2.3.5" }, "config.schema"))[0]).toBe("config.schema.collections[0].indexes.category.type");
    });
});

describe("checkServerCapabilities (the step's check before any change)", () => {
    it("throws every problem at once, naming the server", () => {
        let e: unknown;
        try {
            checkServerCapabilities(dev, "db:19530", "v2.3.5-lite");
        } catch (err) {
            e = err;
        }
        expect(e).toBeInstanceOf(UnsupportedByServerError);
        expect((e as UnsupportedByServerError).errors.map((x) => x.field)).toEqual(["schema.collections[0].indexes.category.type", "schema.collections[0].indexes.year.type"]);
        expect((e as Error).message).toMatch(/^Milvus at db:19530 \(Milvus 2\.3\.5\) cannot serve the declared schema; nothing was changed:\n {2}- schema\.collections\[0\]\.indexes\.category\.type: invalid value "INVERTED"; expected one of Trie/);
    });

    it("reports what it checked, and goes on (saying so) when the server names no version it can read", () => {
        expect(checkServerCapabilities(dev, "db:19530", "v2.4.0-gpu")).toEqual({ reported: "v2.4.0-gpu", server: "Milvus 2.4.0 (GPU build)", gpu: true, checked: true });
        expect(checkServerCapabilities(dev, "db:19530", undefined)).toMatchObject({ reported: "unknown version", checked: false, note: expect.stringContaining("names no Milvus version") });
    });
});
