import { describe, expect, it } from "vitest";
import { toJsonSchema } from "../../../../components/configSchema";
import { MilvusSchema } from "../../../../components/schema/step/milvusSchema";
import { parseSchemaSettings, parseVerifySettings, schemaSpecSchema, schemaVerifyProblems, verifySpecSchema } from "../../../../components/schema/spec/parse";
import { parseSchemaStepSettings } from "../../../../components/schema/step/pipeline";
import { configErrorsIn } from "../../../helpers/configErrors";

type Json = Record<string, any>;

const collection = (extra: Record<string, unknown> = {}) => ({
    name: "docs",
    fields: [
        { name: "id", type: "INT64", primary: true },
        { name: "embedding", type: "FLOAT_VECTOR", dim: 64 },
    ],
    indexes: [{ field: "embedding", type: "HNSW", metric: "L2", params: { M: 16 }, searchParams: { ef: 32 } }],
    ...extra,
});
const spec = (extra: Record<string, unknown> = {}) => ({ collections: [collection(extra)] });
const messages = (run: () => unknown) => configErrorsIn(run).map((e) => e.message);

describe("schema spec rules Milvus enforces only during apply (defect 7)", () => {
    it("rejects the reserved _default partition, which Milvus creates itself", () => {
        expect(messages(() => parseSchemaSettings(spec({ partitions: ["2024_docs", "_default"] })))).toEqual([
            'schema.collections[0].partitions[1]: invalid value "_default"; expected a partition name other than _default (Milvus creates _default with every collection)',
        ]);
    });

    it("rejects partition names Milvus refuses and more partitions than a collection holds", () => {
        const fields = configErrorsIn(() => parseSchemaSettings(spec({ partitions: ["ok_1", "has space", "dash-ed", "", "x".repeat(256)] }))).map((e) => e.field);
        expect(fields).toEqual(["schema.collections[0].partitions[1]", "schema.collections[0].partitions[2]", "schema.collections[0].partitions[3]", "schema.collections[0].partitions[4]"]);
        const many = Array.from({ length: 1024 }, (_, i) => `p${i}`);
        const [e] = configErrorsIn(() => parseSchemaSettings(spec({ partitions: many })));
        expect(e.message).toBe('schema.collections[0].partitions: invalid value "1024 entries"; expected at most 1023 entries');
        expect(parseSchemaSettings(spec({ partitions: many.slice(1) })).collections[0].partitions).toHaveLength(1023);
    });

    it("rejects more vector fields than Milvus's default limit of 4", () => {
        const fields = [{ name: "id", type: "INT64", primary: true }, ...Array.from({ length: 5 }, (_, i) => ({ name: `v${i}`, type: "FLOAT_VECTOR", dim: 8 }))];
        const indexes = fields.slice(1).map((f) => ({ field: f.name, type: "FLAT", metric: "L2" }));
        const [e, ...rest] = configErrorsIn(() => parseSchemaSettings({ collections: [{ name: "wide", fields, indexes }] }));
        expect(rest).toEqual([]);
        expect(e.field).toBe("schema.collections[0].fields");
        expect(e.allowed).toContain("at most 4 vector fields");
    });

    it("reports a bad field type, a bad index parameter and a bad partition name of one collection in one run (defect 8)", () => {
        const c = collection({ partitions: ["_default"] });
        c.fields.push({ name: "tags", type: "STRING" } as never);
        c.indexes[0].params = { M: 1 };
        const bad = { collections: [c, { ...collection(), name: "docs" }] };
        expect(configErrorsIn(() => parseSchemaSettings(bad)).map((e) => e.field)).toEqual([
            "schema.collections[0].fields[2].type",
            "schema.collections[0].indexes[0].params.M",
            "schema.collections[0].partitions[0]",
        ]);
        // With the first collection fixed, the duplicate name shows (it was judged only among collections that parsed).
        expect(configErrorsIn(() => parseSchemaSettings({ collections: [collection(), collection()] })).map((e) => e.field)).toEqual(["schema.collections[1].name"]);
    });

    it("reports problems of schema, verify and their combination together in the pipeline's input check", () => {
        const fields = configErrorsIn(() =>
            parseSchemaStepSettings({ address: "my laptop:19530", spec: spec({ partitions: ["_default"] }), verify: { topK: 5000 }, healthTimeoutSeconds: 0 }),
        ).map((e) => e.field);
        expect(fields).toEqual(["address", "schema.collections[0].partitions[0]", "verify.topK", "healthTimeoutSeconds"]);
    });
});

describe("schemaVerifyProblems", () => {
    const parsed = (index: Record<string, unknown>) => parseSchemaSettings(spec({ indexes: [index] }));

    it("names search parameters below verify.topK for HNSW ef, DISKANN search_list and CAGRA itopk_size", () => {
        const verify = parseVerifySettings({ topK: 50 });
        const cases = [
            [{ field: "embedding", type: "HNSW", metric: "L2", searchParams: { ef: 32 } }, "ef", 32],
            [{ field: "embedding", type: "DISKANN", metric: "L2", searchParams: { search_list: 40 } }, "search_list", 40],
            [{ field: "embedding", type: "GPU_CAGRA", metric: "L2", searchParams: { itopk_size: 16 } }, "itopk_size", 16],
        ] as const;
        for (const [index, name, value] of cases) {
            const [e, ...rest] = schemaVerifyProblems(parsed(index), verify);
            expect(rest).toEqual([]);
            expect(e.message).toBe(`schema.collections[0].indexes.embedding.searchParams.${name}: invalid value ${value}; expected at least verify.topK (50); Milvus rejects ${name} < limit`);
        }
        expect(schemaVerifyProblems(parsed(cases[0][0]), parseVerifySettings({ topK: 32 }))).toEqual([]);
        // Nothing searches when verification is off.
        expect(schemaVerifyProblems(parsed(cases[0][0]), parseVerifySettings({ topK: 50, enabled: false }))).toEqual([]);
    });

    it("is applied to a plain spec and verify when MilvusSchema is constructed", () => {
        expect(() => new MilvusSchema("ef", { address: "m:19530", spec: parseSchemaSettings(spec()), verify: parseVerifySettings({ topK: 64 }) })).toThrow(
            /searchParams\.ef: invalid value 32; expected at least verify\.topK \(64\)/,
        );
    });
});

describe("JSON Schema of the schema and verify keys", () => {
    it("converts, with one variant per index type carrying its own parameters", () => {
        const json = toJsonSchema(schemaSpecSchema) as Json;
        const item = json.properties.collections.items;
        expect(item.additionalProperties).toBe(false);
        const variants = item.properties.indexes.items.oneOf ?? item.properties.indexes.items.anyOf;
        const hnsw = variants.find((v: Json) => v.properties.type.const === "HNSW");
        expect(Object.keys(hnsw.properties.params.properties)).toEqual(["M", "efConstruction"]);
        expect(hnsw.properties.params.properties.M.anyOf[0]).toMatchObject({ type: "integer", minimum: 2, maximum: 2048 });
        expect(item.properties.partitions.items.type).toBe("string");
        const verify = toJsonSchema(verifySpecSchema) as Json;
        expect(Object.keys(verify.properties)).toEqual(["enabled", "canaryRows", "queries", "topK", "recallThreshold", "seed", "stepTimeoutSeconds", "slo"]);
        expect(verify.properties.slo.additionalProperties).toBe(false);
    });
});
