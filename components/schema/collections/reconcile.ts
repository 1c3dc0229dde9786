import { DataType, FieldType as SdkFieldType, MilvusClient } from "@zilliz/milvus2-sdk-node";
import { loadAndWait } from "./load";
import { observeState } from "./observe";
import { Action, Conflict, describeAction, planSchema, SchemaPlan } from "./plan";
import { call, failedAfter } from "../server/rpc";
import { CollectionSettings, FieldSettings, FieldType, SchemaSettings } from "../spec/settings";

/** The declared schema cannot be reached without losing data; nothing was changed. */
export class SchemaConflictError extends Error {
    constructor(readonly conflicts: Conflict[]) {
        super(
            `the existing Milvus schema differs from the declared one in ways that would need dropping or recreating data; ` +
                `nothing was changed:\n` +
                conflicts.map((c) => `  - ${c.message}`).join("\n"),
        );
        this.name = "SchemaConflictError";
    }
}

export interface CollectionOutcome {
    name: string;
    /** Its database, when not `default`. */
    database?: string;
    status: "created" | "updated" | "unchanged";
    applied: string[];
    notes: string[];
}

export interface ReconcileResult {
    changed: boolean;
    collections: CollectionOutcome[];
}

const SDK_DATA_TYPE: Record<FieldType, DataType> = {
    BOOL: DataType.Bool,
    INT8: DataType.Int8,
    INT16: DataType.Int16,
    INT32: DataType.Int32,
    INT64: DataType.Int64,
    FLOAT: DataType.Float,
    DOUBLE: DataType.Double,
    VARCHAR: DataType.VarChar,
    JSON: DataType.JSON,
    ARRAY: DataType.Array,
    FLOAT_VECTOR: DataType.FloatVector,
    SPARSE_FLOAT_VECTOR: DataType.SparseFloatVector,
};

export function toSdkField(f: FieldSettings): SdkFieldType {
    const out: SdkFieldType = { name: f.name, data_type: SDK_DATA_TYPE[f.type] };
    if (f.description) out.description = f.description;
    if (f.primary) out.is_primary_key = true;
    if (f.primary) out.autoID = f.autoId ?? false;
    if (f.nullable) out.nullable = true;
    if (f.dim !== undefined) out.dim = f.dim;
    if (f.maxLength !== undefined) out.max_length = f.maxLength;
    if (f.elementType) out.element_type = SDK_DATA_TYPE[f.elementType];
    if (f.maxCapacity !== undefined) out.max_capacity = f.maxCapacity;
    return out;
}

async function applyAction(client: MilvusClient, spec: CollectionSettings, action: Action, stepTimeoutSeconds: number): Promise<void> {
    const what = describeAction(action);
    switch (action.kind) {
        case "createCollection":
            await call(what, () =>
                client.createCollection({
                    collection_name: spec.name,
                    description: spec.description ?? "",
                    enable_dynamic_field: spec.enableDynamicField,
                    fields: spec.fields.map(toSdkField),
                }),
            );
            return;
        case "createIndex": {
            const vector = spec.vectorIndexes.find((i) => i.field === action.field);
            const scalar = spec.scalarIndexes.find((i) => i.field === action.field);
            await call(what, () =>
                client.createIndex(
                    vector
                        ? { collection_name: spec.name, field_name: vector.field, index_type: vector.type, metric_type: vector.metric, params: vector.params }
                        : { collection_name: spec.name, field_name: action.field, index_type: scalar!.type },
                ),
            );
            return;
        }
        case "createPartition":
            await call(what, () => client.createPartition({ collection_name: spec.name, partition_name: action.partition }));
            return;
        case "createAlias":
            await call(what, () => client.createAlias({ collection_name: spec.name, alias: action.alias }));
            return;
        case "load":
            await loadAndWait(client, spec.name, stepTimeoutSeconds);
            return;
    }
}

/** Reads the current state and plans, without writing. */
export async function planAgainst(client: MilvusClient, spec: SchemaSettings): Promise<SchemaPlan> {
    return planSchema(spec, await observeState(client, spec.collections));
}

/**
 * Brings Milvus in line with the declared schema using only additive steps (create
 * collection, index, partition, alias; load). Every collection is read and compared
 * first; if anything conflicts, SchemaConflictError lists every difference and no step
 * runs. Never drops, truncates, releases or recreates anything.
 */
export async function reconcileSchema(
    client: MilvusClient,
    spec: SchemaSettings,
    options: { log?: (line: string) => void; stepTimeoutSeconds?: number; alreadyApplied?: readonly string[] } = {},
): Promise<ReconcileResult> {
    const log = options.log ?? (() => {});
    const plan = await planAgainst(client, spec);
    if (plan.conflicts.length) throw new SchemaConflictError(plan.conflicts);
    const collections: CollectionOutcome[] = [];
    for (const cp of plan.collections) {
        const cspec = spec.collections.find((c) => c.name === cp.collection)!;
        const applied: string[] = [];
        for (const action of cp.actions) {
            log(describeAction(action));
            try {
                await applyAction(client, cspec, action, options.stepTimeoutSeconds ?? 600);
            } catch (e) {
                throw failedAfter(e, [...(options.alreadyApplied ?? []), ...collections.flatMap((c) => c.applied), ...applied]);
            }
            applied.push(describeAction(action));
        }
        collections.push({
            name: cp.collection,
            status: !cp.exists ? "created" : applied.length ? "updated" : "unchanged",
            applied,
            notes: cp.notes,
        });
    }
    return { changed: collections.some((c) => c.status !== "unchanged"), collections };
}
