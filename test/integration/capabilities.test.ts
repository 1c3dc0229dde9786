import { DataType, FieldType as SdkField, MilvusClient } from "@zilliz/milvus2-sdk-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITIES, lacks } from "../../components/schema/server/capabilities";
import { isOk } from "../../components/schema/server/rpc";
import { FieldType, ScalarIndexType } from "../../components/schema/spec/settings";
import { MilvusTarget, startTarget, uniqueName } from "./milvusTarget";

/**
 * The capability table against the server itself: whatever the table says this target can
 * or cannot do, the server is asked to do directly (no schema step in between). GPU index
 * types are left out: CPU builds accept the CreateIndex call and fail only when building,
 * which is why the table judges them by the version string the server reports.
 */
const base: SdkField[] = [
    { name: "id", data_type: DataType.Int64, is_primary_key: true, autoID: true },
    { name: "v", data_type: DataType.FloatVector, dim: 8 },
];
const scalarFields: Record<string, SdkField> = {
    VARCHAR: { name: "f", data_type: DataType.VarChar, max_length: 32 },
    INT32: { name: "f", data_type: DataType.Int32 },
    BOOL: { name: "f", data_type: DataType.Bool },
    ARRAY: { name: "f", data_type: DataType.Array, element_type: DataType.Int32, max_capacity: 4 },
};
const scalarCases: [ScalarIndexType, FieldType][] = [
    ["INVERTED", "VARCHAR"],
    ["INVERTED", "INT32"],
    ["INVERTED", "BOOL"],
    ["INVERTED", "ARRAY"],
    ["Trie", "VARCHAR"],
    ["STL_SORT", "INT32"],
    ["BITMAP", "VARCHAR"],
    ["BITMAP", "INT32"],
];

describe("the capability table agrees with the server", () => {
    let target: MilvusTarget;
    let client: MilvusClient;
    const created: string[] = [];

    async function collection(fields: SdkField[]): Promise<{ name: string; ok: boolean; reason: string }> {
        const name = uniqueName("captable");
        const answer = await client.createCollection({ collection_name: name, fields }).then(
            (s) => ({ ok: isOk(s), reason: s.reason }),
            (e: Error) => ({ ok: false, reason: String(e?.message ?? e) }),
        );
        if (answer.ok) created.push(name);
        return { name, ...answer };
    }

    async function index(fields: SdkField[], params: { field_name: string; index_type: string; metric_type?: string; params?: Record<string, number> }) {
        const c = await collection(fields);
        expect(c.ok, c.reason).toBe(true);
        const s = await client.createIndex({ collection_name: c.name, ...params }).catch((e: Error) => ({ error_code: "thrown", reason: e.message }));
        return { ok: isOk(s), reason: s.reason };
    }

    beforeAll(async () => {
        target = await startTarget();
        client = target.client();
    });
    afterAll(async () => {
        for (const name of created) await client?.dropCollection({ collection_name: name }).catch(() => undefined);
        await target?.stop();
    });

    it.for(scalarCases)("scalar index %s on a %s field", async ([type, fieldType]) => {
        const expected = target.hasScalarIndex(type, fieldType);
        const actual = await index([...base, scalarFields[fieldType]], { field_name: "f", index_type: type });
        expect(actual.ok, `table says ${expected ? "yes" : "no"} for ${target.version}; server said: ${actual.reason || "success"}`).toBe(expected);
    });

    it.for([
        ["FLAT", {}],
        ["IVF_FLAT", { nlist: 16 }],
        ["IVF_SQ8", { nlist: 16 }],
        ["IVF_PQ", { nlist: 16, m: 2 }],
        ["HNSW", { M: 8, efConstruction: 32 }],
    ] as const)("vector index %s with COSINE", async ([type, params]) => {
        const expected = lacks(CAPABILITIES.vectorIndexes[type], target.server!) === undefined && lacks(CAPABILITIES.metrics.COSINE, target.server!) === undefined;
        const actual = await index(base, { field_name: "v", index_type: type, metric_type: "COSINE", params });
        expect(actual.ok, `server said: ${actual.reason || "success"}`).toBe(expected);
    });

    it("a sparse vector index", async () => {
        const expected = lacks(CAPABILITIES.vectorIndexes.SPARSE_INVERTED_INDEX, target.server!) === undefined;
        const fields: SdkField[] = [base[0], { name: "s", data_type: DataType.SparseFloatVector }];
        const c = await collection(fields);
        // Milvus 2.3 even creates the field (it does not know the type), but cannot index it.
        const s = c.ok ? await client.createIndex({ collection_name: c.name, field_name: "s", index_type: "SPARSE_INVERTED_INDEX", metric_type: "IP" }).catch((e: Error) => ({ error_code: "thrown", reason: e.message })) : undefined;
        expect(c.ok && s !== undefined && isOk(s), `server said: ${c.reason || s?.reason || "success"}`).toBe(expected);
    });

    it("two vector fields in one collection", async () => {
        const expected = lacks(CAPABILITIES.features.multipleVectorFields, target.server!) === undefined;
        const c = await collection([...base, { name: "w", data_type: DataType.FloatVector, dim: 8 }]);
        expect(c.ok, `server said: ${c.reason || "success"}`).toBe(expected);
    });

    it("a nullable field (an older server ignores the flag: the field comes back not nullable)", async () => {
        const expected = lacks(CAPABILITIES.features.nullableFields, target.server!) === undefined;
        const c = await collection([...base, { name: "n", data_type: DataType.Int32, nullable: true }]);
        const nullable = c.ok && (await client.describeCollection({ collection_name: c.name })).schema.fields.find((f) => f.name === "n")?.nullable === true;
        expect(nullable, c.reason).toBe(expected);
    });
});
