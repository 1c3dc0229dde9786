import { describe, expect, it } from "vitest";
import { ObservedCollection, ObservedState } from "../../../../components/schema/collections/observe";
import { parseSchemaSettings } from "../../../../components/schema/spec/parse";
import { describeAction, planSchema } from "../../../../components/schema/collections/plan";

const spec = parseSchemaSettings({
    collections: [
        {
            name: "documents",
            enableDynamicField: true,
            fields: [
                { name: "id", type: "INT64", primary: true, autoId: true },
                { name: "category", type: "VARCHAR", maxLength: 128 },
                { name: "embedding", type: "FLOAT_VECTOR", dim: 384 },
            ],
            indexes: [
                { field: "embedding", type: "HNSW", metric: "COSINE", params: { M: 16, efConstruction: 200 } },
                { field: "category", type: "INVERTED" },
            ],
            partitions: ["2024_docs"],
            aliases: ["docs"],
        },
    ],
});

/** What Milvus would report for a collection created exactly as declared. */
function matching(): ObservedCollection {
    return {
        name: "documents",
        enableDynamicField: true,
        fields: [
            { name: "id", type: "INT64", primary: true, autoId: true, nullable: false },
            { name: "category", type: "VARCHAR", primary: false, autoId: false, nullable: false, maxLength: 128 },
            { name: "embedding", type: "FLOAT_VECTOR", primary: false, autoId: false, nullable: false, dim: 384 },
        ],
        indexes: [
            { field: "embedding", name: "embedding", type: "HNSW", metric: "COSINE", params: { M: 16, efConstruction: 200 } },
            { field: "category", name: "category", type: "INVERTED", params: {} },
        ],
        partitions: ["_default", "2024_docs"],
        aliases: ["docs"],
        loaded: true,
    };
}

function state(collection: ObservedCollection | undefined, aliasTarget: string | undefined = collection ? "documents" : undefined): ObservedState {
    return {
        collections: { documents: collection },
        aliasTargets: { docs: aliasTarget },
        allCollections: collection ? ["documents"] : [],
    };
}

describe("planSchema", () => {
    it("creates everything, in order, for a missing collection", () => {
        const plan = planSchema(spec, state(undefined));
        expect(plan.conflicts).toEqual([]);
        expect(plan.actions.map(describeAction)).toEqual([
            "create collection documents",
            "create HNSW index on documents.embedding",
            "create INVERTED index on documents.category",
            "create partition 2024_docs in documents",
            "create alias docs -> documents",
            "load collection documents",
        ]);
    });

    it("plans nothing when Milvus already matches", () => {
        const plan = planSchema(spec, state(matching()));
        expect(plan.actions).toEqual([]);
        expect(plan.conflicts).toEqual([]);
    });

    it("adds only what is missing: an index, a partition, the alias, the load", () => {
        const c = matching();
        c.indexes = c.indexes.filter((i) => i.field !== "category");
        c.partitions = ["_default", "old_docs"];
        c.loaded = false;
        const s = state(c);
        s.aliasTargets.docs = undefined;
        const plan = planSchema(spec, s);
        expect(plan.actions.map(describeAction)).toEqual([
            "create INVERTED index on documents.category",
            "create partition 2024_docs in documents",
            "create alias docs -> documents",
            "load collection documents",
        ]);
        expect(plan.collections[0].notes).toEqual(["partitions not declared, left in place: old_docs"]);
    });

    it.each([
        ["dim", (c: ObservedCollection) => (c.fields[2].dim = 768), "collection documents: field embedding dim differs: declared 384, existing 768"],
        ["type", (c: ObservedCollection) => (c.fields[1].type = "JSON"), "collection documents: field category type differs: declared VARCHAR, existing JSON"],
        ["maxLength", (c: ObservedCollection) => (c.fields[1].maxLength = 64), "field category maxLength differs: declared 128, existing 64"],
        ["autoId", (c: ObservedCollection) => (c.fields[0].autoId = false), "field id autoId differs: declared true, existing false"],
        ["a missing field", (c: ObservedCollection) => c.fields.splice(1, 1), "field category is missing from the existing collection"],
        ["an extra field", (c: ObservedCollection) => c.fields.push({ name: "extra", type: "INT8", primary: false, autoId: false, nullable: false }), "existing field extra is not declared"],
        ["dynamic fields", (c: ObservedCollection) => (c.enableDynamicField = false), "dynamic fields setting differs: declared true, existing false"],
        ["index type", (c: ObservedCollection) => (c.indexes[0].type = "IVF_FLAT"), "index on embedding type differs (rebuilding an index is not done automatically): declared HNSW, existing IVF_FLAT"],
        ["index metric", (c: ObservedCollection) => (c.indexes[0].metric = "L2"), "index on embedding metric differs: declared COSINE, existing L2"],
        ["index params", (c: ObservedCollection) => (c.indexes[0].params.M = 32), "index on embedding parameter M differs: declared 16, existing 32"],
    ])("reports a %s difference as a conflict and plans no step for it", (_label, mutate, message) => {
        const c = matching();
        mutate(c);
        const plan = planSchema(spec, state(c));
        const messages = plan.conflicts.map((x) => x.message);
        expect(messages.some((m) => m.includes(message)), messages.join("\n")).toBe(true);
    });

    it("never moves an alias that points at another collection", () => {
        const plan = planSchema(spec, state(matching(), "legacy"));
        expect(plan.actions).toEqual([]);
        expect(plan.conflicts[0]).toMatchObject({ path: "aliases.docs", declared: "documents", existing: "legacy" });
    });

    it("does not try to create an alias named like an existing collection", () => {
        const s = state(undefined);
        s.allCollections = ["docs"];
        const plan = planSchema(spec, s);
        expect(plan.conflicts.map((c) => c.message)).toEqual(["collection documents: alias docs is the name of an existing collection: declared alias of documents, existing collection docs"]);
    });
});
