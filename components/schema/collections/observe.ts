import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { call, isOk } from "../server/rpc";
import { CollectionSettings, FieldType } from "../spec/settings";

/** What Milvus currently holds for one collection, in the spec's vocabulary. */
export interface ObservedField {
    name: string;
    /** Our type name, or Milvus's own name for types the spec does not cover. */
    type: FieldType | string;
    primary: boolean;
    autoId: boolean;
    nullable: boolean;
    dim?: number;
    maxLength?: number;
    elementType?: string;
    maxCapacity?: number;
}

export interface ObservedIndex {
    field: string;
    name: string;
    type: string;
    metric?: string;
    params: Record<string, number | boolean | string>;
}

export interface ObservedCollection {
    name: string;
    fields: ObservedField[];
    enableDynamicField: boolean;
    indexes: ObservedIndex[];
    partitions: string[];
    aliases: string[];
    loaded: boolean;
}

/** Everything the planner needs, read without writing anything. */
export interface ObservedState {
    collections: Record<string, ObservedCollection | undefined>;
    /** For each declared alias: the collection it points at now, if any. */
    aliasTargets: Record<string, string | undefined>;
    /** Names of all collections in the database (aliases must not collide with them). */
    allCollections: string[];
}

const SDK_TYPES: Record<string, FieldType> = {
    Bool: "BOOL",
    Int8: "INT8",
    Int16: "INT16",
    Int32: "INT32",
    Int64: "INT64",
    Float: "FLOAT",
    Double: "DOUBLE",
    VarChar: "VARCHAR",
    JSON: "JSON",
    Array: "ARRAY",
    FloatVector: "FLOAT_VECTOR",
    SparseFloatVector: "SPARSE_FLOAT_VECTOR",
};

export function fromSdkType(name: string): FieldType | string {
    return SDK_TYPES[name] ?? name;
}

function num(value: unknown): number | undefined {
    if (value === undefined || value === null || value === "") return undefined;
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
}

interface SdkField {
    name: string;
    data_type: string;
    element_type?: string;
    is_primary_key?: boolean;
    autoID?: boolean;
    nullable?: boolean;
    is_dynamic?: boolean;
    type_params?: { key: string; value: unknown }[];
}

export function toObservedField(f: SdkField): ObservedField {
    const tp = Object.fromEntries((f.type_params ?? []).map((p) => [p.key, p.value]));
    const out: ObservedField = {
        name: f.name,
        type: fromSdkType(f.data_type),
        primary: f.is_primary_key === true,
        autoId: f.autoID === true,
        nullable: f.nullable === true,
    };
    const dim = num(tp.dim);
    const maxLength = num(tp.max_length);
    const maxCapacity = num(tp.max_capacity);
    if (dim !== undefined) out.dim = dim;
    if (maxLength !== undefined) out.maxLength = maxLength;
    if (maxCapacity !== undefined) out.maxCapacity = maxCapacity;
    if (f.element_type && f.element_type !== "None") out.elementType = fromSdkType(f.element_type);
    return out;
}

function scalar(value: unknown): number | boolean | string {
    if (typeof value === "number" || typeof value === "boolean") return value;
    const s = String(value);
    if (s === "true" || s === "false") return s === "true";
    const n = Number(s);
    return s.trim() !== "" && Number.isFinite(n) ? n : s;
}

/**
 * Index parameters come back either as one JSON `params` entry (Milvus Lite, older
 * servers) or as separate key/value pairs (Milvus 2.4+); both become one flat map.
 */
export function toObservedIndex(d: { field_name: string; index_name: string; params: { key: string; value: string | number }[] }): ObservedIndex {
    let type = "";
    let metric: string | undefined;
    const params: Record<string, number | boolean | string> = {};
    for (const { key, value } of d.params) {
        if (key === "index_type") type = String(value);
        else if (key === "metric_type") metric = value === "NONE" || value === "" ? undefined : String(value);
        else if (key === "params") {
            try {
                for (const [k, v] of Object.entries(JSON.parse(String(value)) as Record<string, unknown>)) params[k] = scalar(v);
            } catch {
                params.params = String(value);
            }
        } else if (key !== "mmap.enabled") params[key] = scalar(value);
    }
    return { field: d.field_name, name: d.index_name, type, ...(metric ? { metric } : {}), params };
}

export async function observeCollection(client: MilvusClient, name: string): Promise<ObservedCollection | undefined> {
    const has = await call(`hasCollection ${name}`, () => client.hasCollection({ collection_name: name }));
    if (!has.value) return undefined;
    const desc = await call(`describeCollection ${name}`, () => client.describeCollection({ collection_name: name, cache: false }));
    const fields = (desc.schema.fields as unknown as SdkField[]).filter((f) => !f.is_dynamic && f.name !== "$meta").map(toObservedField);
    // A collection without any index answers DescribeIndex with an "index not found" status.
    const idx = await client.describeIndex({ collection_name: name });
    const indexes = isOk(idx.status) ? idx.index_descriptions.map(toObservedIndex) : [];
    const parts = await call(`listPartitions ${name}`, () => client.listPartitions({ collection_name: name }));
    const load = await call(`getLoadState ${name}`, () => client.getLoadState({ collection_name: name }));
    return {
        name,
        fields,
        enableDynamicField: desc.schema.enable_dynamic_field === true,
        indexes,
        partitions: parts.partition_names,
        aliases: desc.aliases ?? [],
        loaded: String(load.state) === "LoadStateLoaded",
    };
}

export async function observeState(client: MilvusClient, collections: CollectionSettings[]): Promise<ObservedState> {
    const state: ObservedState = { collections: {}, aliasTargets: {}, allCollections: [] };
    const shown = await call("showCollections", () => client.showCollections());
    state.allCollections = shown.data.map((c) => c.name);
    for (const c of collections) {
        state.collections[c.name] = await observeCollection(client, c.name);
        for (const alias of c.aliases) {
            const res = await client.describeAlias({ alias, collection_name: c.name });
            state.aliasTargets[alias] = isOk(res.status) && res.collection ? res.collection : undefined;
        }
    }
    return state;
}
