import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, ConfigErrors } from "../../../../components/errors";
import { parseSchemaSettings, parseVerifySettings } from "../../../../components/schema/spec/parse";
import { DEFAULT_VERIFY } from "../../../../components/schema/spec/settings";
import { readSpecFile } from "../../../../components/schema/spec/file";

const base = () => ({
    name: "documents",
    fields: [
        { name: "id", type: "INT64", primary: true, autoId: true },
        { name: "text", type: "VARCHAR", maxLength: 2048 },
        { name: "embedding", type: "FLOAT_VECTOR", dim: 384 },
    ] as Record<string, unknown>[],
    indexes: [{ field: "embedding", type: "HNSW", metric: "COSINE", params: { M: 16, efConstruction: 200 } }] as Record<string, unknown>[],
});

function errorsOf(run: () => unknown): string[] {
    try {
        run();
    } catch (e) {
        if (e instanceof ConfigErrors) return e.errors.map((x) => x.message);
        if (e instanceof ConfigError) return [e.message];
        throw e;
    }
    throw new Error("expected a ConfigError");
}

describe("parseSchemaSettings", () => {
    it("reads the dev stack's documents collection from Pulumi.dev.yaml", () => {
        const { schema, verify } = readSpecFile(resolve(__dirname, "../../../../Pulumi.dev.yaml"));
        const spec = parseSchemaSettings(schema);
        expect(spec.collections).toHaveLength(1);
        const docs = spec.collections[0];
        expect(docs).toMatchObject({ name: "documents", enableDynamicField: true, load: true, partitions: ["2024_docs"], aliases: ["docs"] });
        expect(docs.fields.map((f) => [f.name, f.type])).toEqual([
            ["id", "INT64"],
            ["text", "VARCHAR"],
            ["source", "VARCHAR"],
            ["category", "VARCHAR"],
            ["year", "INT32"],
            ["embedding", "FLOAT_VECTOR"],
        ]);
        expect(docs.fields[0]).toMatchObject({ primary: true, autoId: true });
        expect(docs.fields.find((f) => f.name === "embedding")!.dim).toBe(384);
        expect(docs.vectorIndexes).toEqual([
            { field: "embedding", type: "HNSW", metric: "COSINE", params: { M: 16, efConstruction: 200 }, searchParams: { ef: 64 } },
        ]);
        expect(docs.scalarIndexes.map((i) => i.field)).toEqual(["category", "year"]);
        expect(parseVerifySettings(verify)).toEqual({ ...DEFAULT_VERIFY, queries: 20 });
    });

    it("accepts its own output (the Pulumi resource re-checks typed specs)", () => {
        const once = parseSchemaSettings({ collections: [base()] });
        expect(parseSchemaSettings(once)).toEqual(once);
    });

    it.each([
        ["HNSW M=0", (c: ReturnType<typeof base>) => (c.indexes[0].params = { M: 0 }), "schema.collections[0].indexes[0].params.M: invalid value 0; expected an integer from 2 to 2048"],
        ["dim 0", (c: ReturnType<typeof base>) => (c.fields[2].dim = 0), "schema.collections[0].fields[2].dim: invalid value 0; expected an integer from 1 to 32768"],
        ["dim above the limit", (c: ReturnType<typeof base>) => (c.fields[2].dim = 40000), "schema.collections[0].fields[2].dim: invalid value 40000"],
        ["VARCHAR without maxLength", (c: ReturnType<typeof base>) => delete c.fields[1].maxLength, "schema.collections[0].fields[1].maxLength: invalid value (missing); expected an integer from 1 to 65535 (required for VARCHAR)"],
        ["duplicate field names", (c: ReturnType<typeof base>) => (c.fields[1].name = "id"), 'schema.collections[0].fields[1].name: invalid value "id"; expected a field name not used by another field'],
        ["a collection name with a dash", (c: ReturnType<typeof base>) => (c.name = "my-docs"), 'schema.collections[0].name: invalid value "my-docs"; expected a name of letters, digits and _'],
        ["a field name starting with a digit", (c: ReturnType<typeof base>) => (c.fields[1].name = "1text"), 'schema.collections[0].fields[1].name: invalid value "1text"'],
        ["an unknown field type", (c: ReturnType<typeof base>) => (c.fields[1].type = "STRING"), 'schema.collections[0].fields[1].type: invalid value "STRING"; expected one of'],
        ["a metric the index does not take", (c: ReturnType<typeof base>) => (c.indexes[0] = { field: "embedding", type: "GPU_IVF_FLAT", metric: "COSINE" }), 'indexes[0].metric: invalid value "COSINE"; expected one of L2, IP for GPU_IVF_FLAT'],
        ["a parameter the index does not know", (c: ReturnType<typeof base>) => (c.indexes[0].params = { nlist: 128 }), "indexes[0].params.nlist: invalid value 128; expected one of M, efConstruction for HNSW"],
        ["IVF_PQ m not dividing dim", (c: ReturnType<typeof base>) => (c.indexes[0] = { field: "embedding", type: "IVF_PQ", metric: "L2", params: { nlist: 128, m: 7 } }), "indexes[0].params.m: invalid value 7; expected a divisor of the field's dim 384"],
        ["nprobe above nlist", (c: ReturnType<typeof base>) => (c.indexes[0] = { field: "embedding", type: "IVF_FLAT", metric: "L2", params: { nlist: 16 }, searchParams: { nprobe: 32 } }), "searchParams.nprobe: invalid value 32; expected an integer from 1 to nlist (16)"],
        ["a sparse index on a dense field", (c: ReturnType<typeof base>) => (c.indexes[0] = { field: "embedding", type: "SPARSE_WAND", metric: "IP" }), 'indexes[0].type: invalid value "SPARSE_WAND"; expected one of FLAT, IVF_FLAT'],
        ["an unindexed vector field", (c: ReturnType<typeof base>) => (c.indexes = []), 'schema.collections[0].indexes: invalid value "embedding"; expected an index for every vector field'],
        ["two indexes on one field", (c: ReturnType<typeof base>) => c.indexes.push({ field: "embedding", type: "FLAT", metric: "L2" }), 'indexes[1].field: invalid value "embedding"; expected a field with no other index'],
        ["an index on a missing field", (c: ReturnType<typeof base>) => c.indexes.push({ field: "nope", type: "INVERTED" }), 'indexes[1].field: invalid value "nope"; expected one of the collection\'s fields: id, text, embedding'],
        ["STL_SORT on VARCHAR", (c: ReturnType<typeof base>) => c.indexes.push({ field: "text", type: "STL_SORT" }), 'indexes[1].type: invalid value "STL_SORT"; expected one of INVERTED, Trie, BITMAP for a VARCHAR field'],
        ["autoId on a non-primary field", (c: ReturnType<typeof base>) => (c.fields[1].autoId = true), "fields[1].autoId: invalid value true; expected autoId only on the INT64 primary key"],
        ["no primary key", (c: ReturnType<typeof base>) => (c.fields[0] = { name: "id", type: "INT64" }), "schema.collections[0].fields: invalid value [\"id\",\"text\",\"embedding\"]; expected exactly one field with primary: true"],
        ["a typo in a key", (c: ReturnType<typeof base>) => (c.fields[2].dimension = 8), "schema.collections[0].fields[2].dimension: invalid value 8; expected one of the known keys"],
        ["dim on a VARCHAR", (c: ReturnType<typeof base>) => (c.fields[1].dim = 8), "schema.collections[0].fields[1].dim: invalid value 8; expected no dim on a VARCHAR field"],
        ["an ARRAY without elementType", (c: ReturnType<typeof base>) => c.fields.push({ name: "tags", type: "ARRAY", maxCapacity: 4 }), "fields[3].elementType: invalid value (missing)"],
    ])("rejects %s, naming the field", (_label, mutate, message) => {
        const c = base();
        mutate(c);
        const errors = errorsOf(() => parseSchemaSettings({ collections: [c] }));
        expect(errors.some((e) => e.includes(message)), errors.join("\n")).toBe(true);
    });

    it("reports every problem at once", () => {
        const c = base();
        c.fields[2].dim = 0;
        delete c.fields[1].maxLength;
        c.name = "bad name";
        const errors = errorsOf(() => parseSchemaSettings({ collections: [c] }));
        expect(errors.length).toBeGreaterThanOrEqual(3);
    });

    it("accepts partition names starting with a digit (Milvus's partition rule) but not alias names", () => {
        const ok = parseSchemaSettings({ collections: [{ ...base(), partitions: ["2024_docs"] }] });
        expect(ok.collections[0].partitions).toEqual(["2024_docs"]);
        expect(errorsOf(() => parseSchemaSettings({ collections: [{ ...base(), aliases: ["2024"] }] }))[0]).toContain('aliases[0]: invalid value "2024"');
    });

    it("rejects a collection declared twice and an alias shared by two collections or equal to a collection name", () => {
        const a = { ...base(), aliases: ["shared"] };
        const b = { ...base(), name: "other", aliases: ["shared"] };
        expect(errorsOf(() => parseSchemaSettings({ collections: [base(), base()] })).join()).toContain("a collection name not declared twice");
        expect(errorsOf(() => parseSchemaSettings({ collections: [a, b] })).join()).toContain("an alias not already used by collection documents");
        expect(errorsOf(() => parseSchemaSettings({ collections: [{ ...base(), aliases: ["other"] }, { ...base(), name: "other" }] })).join()).toContain(
            "an alias that is not also a collection name",
        );
    });

    it("reads the other field types and index kinds", () => {
        const spec = parseSchemaSettings({
            collections: [
                {
                    name: "all_types",
                    fields: [
                        { name: "pk", type: "VARCHAR", maxLength: 64, primary: true },
                        { name: "i32", type: "INT32" },
                        { name: "f", type: "FLOAT", nullable: true },
                        { name: "d", type: "DOUBLE" },
                        { name: "b", type: "BOOL" },
                        { name: "j", type: "JSON" },
                        { name: "tags", type: "ARRAY", elementType: "VARCHAR", maxLength: 32, maxCapacity: 16 },
                        { name: "dense", type: "FLOAT_VECTOR", dim: 128 },
                        { name: "sparse", type: "SPARSE_FLOAT_VECTOR" },
                    ],
                    indexes: [
                        { field: "dense", type: "IVF_PQ", metric: "L2", params: { nlist: 256, m: 16, nbits: 8 }, searchParams: { nprobe: 16 } },
                        { field: "sparse", type: "SPARSE_INVERTED_INDEX", metric: "IP", params: { drop_ratio_build: 0.2 } },
                        { field: "i32", type: "STL_SORT" },
                        { field: "tags", type: "BITMAP" },
                    ],
                    load: false,
                },
            ],
        });
        const c = spec.collections[0];
        expect(c.fields.find((f) => f.name === "tags")).toEqual({ name: "tags", type: "ARRAY", elementType: "VARCHAR", maxLength: 32, maxCapacity: 16 });
        expect(c.vectorIndexes.map((i) => i.type)).toEqual(["IVF_PQ", "SPARSE_INVERTED_INDEX"]);
        expect(c.scalarIndexes).toEqual([
            { field: "i32", type: "STL_SORT" },
            { field: "tags", type: "BITMAP" },
        ]);
        expect(c.load).toBe(false);
    });
});

describe("parseVerifySettings", () => {
    it("defaults to 1,000 canary rows and a 0.9 recall threshold", () => {
        expect(parseVerifySettings(undefined)).toEqual(DEFAULT_VERIFY);
        expect(DEFAULT_VERIFY).toMatchObject({ canaryRows: 1000, recallThreshold: 0.9, topK: 10 });
    });

    it("rejects out-of-range values naming the field", () => {
        expect(errorsOf(() => parseVerifySettings({ recallThreshold: 1.5 }))[0]).toContain("verify.recallThreshold: invalid value 1.5");
        expect(errorsOf(() => parseVerifySettings({ canaryRows: 5 }))[0]).toContain("verify.canaryRows: invalid value 5");
        expect(errorsOf(() => parseVerifySettings({ canaryRows: 20, topK: 50 }))[0]).toContain("verify.topK: invalid value 50; expected at most canaryRows (20)");
        expect(errorsOf(() => parseVerifySettings({ rows: 10 }))[0]).toContain("verify.rows");
    });
});

describe("empty list entries (a YAML `-` alone)", () => {
    it.each([
        ["a collection", { collections: [null] }, "schema.collections[0]: invalid value null; expected a collection mapping with name and fields"],
        ["a field", { collections: [{ ...base(), fields: [null, ...base().fields] }] }, "schema.collections[0].fields[0]: invalid value null; expected a field mapping with name and type"],
    ])("%s is a ConfigError naming it, not a crash", (_what, raw, message) => {
        let thrown: unknown;
        try {
            parseSchemaSettings(raw);
        } catch (e) {
            thrown = e;
        }
        const errors = thrown instanceof ConfigErrors ? thrown.errors : [thrown];
        expect(errors[0]).toBeInstanceOf(ConfigError);
        expect(errors.map((e) => (e as Error).message)).toContain(message);
    });
});
