import { describe, expect, it } from "vitest";
import { toObservedField, toObservedIndex } from "../../../../components/schema/collections/observe";

describe("reading Milvus's answers", () => {
    it("reads index parameters given as one JSON entry (Milvus Lite, older servers)", () => {
        const ix = toObservedIndex({
            field_name: "embedding",
            index_name: "embedding",
            params: [
                { key: "index_type", value: "HNSW" },
                { key: "metric_type", value: "COSINE" },
                { key: "params", value: '{"M": 16, "efConstruction": 200}' },
            ],
        });
        expect(ix).toEqual({ field: "embedding", name: "embedding", type: "HNSW", metric: "COSINE", params: { M: 16, efConstruction: 200 } });
    });

    it("reads index parameters given as separate pairs (Milvus 2.4+), as numbers and booleans", () => {
        const ix = toObservedIndex({
            field_name: "v",
            index_name: "v_idx",
            params: [
                { key: "index_type", value: "GPU_IVF_FLAT" },
                { key: "metric_type", value: "L2" },
                { key: "nlist", value: "1024" },
                { key: "cache_dataset_on_device", value: "true" },
                { key: "mmap.enabled", value: "false" },
            ],
        });
        expect(ix.params).toEqual({ nlist: 1024, cache_dataset_on_device: true });
    });

    it("treats a scalar index's NONE metric as no metric", () => {
        expect(toObservedIndex({ field_name: "c", index_name: "c", params: [{ key: "index_type", value: "INVERTED" }, { key: "metric_type", value: "NONE" }] }).metric).toBeUndefined();
    });

    it("maps SDK field descriptions to the spec's vocabulary", () => {
        expect(
            toObservedField({ name: "tags", data_type: "Array", element_type: "VarChar", type_params: [{ key: "max_capacity", value: "16" }, { key: "max_length", value: "32" }] }),
        ).toEqual({ name: "tags", type: "ARRAY", elementType: "VARCHAR", maxCapacity: 16, maxLength: 32, primary: false, autoId: false, nullable: false });
        expect(toObservedField({ name: "e", data_type: "FloatVector", type_params: [{ key: "dim", value: "384" }] })).toMatchObject({ type: "FLOAT_VECTOR", dim: 384 });
        expect(toObservedField({ name: "b", data_type: "BinaryVector" }).type).toBe("BinaryVector");
    });
});
