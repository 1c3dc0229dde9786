import { ObservedCollection, ObservedField, ObservedState } from "./observe";
import { CollectionSettings, FieldSettings, SchemaSettings } from "../spec/settings";

/**
 * Pure planning: compares the declared schema with what Milvus holds and lists the
 * additive steps that would bring it in line. Anything that could only be fixed by
 * dropping, truncating or recreating data is a conflict instead, and a plan with any
 * conflict must not be applied at all.
 */
export type Action =
    | { kind: "createCollection"; collection: string }
    | { kind: "createIndex"; collection: string; field: string; indexType: string }
    | { kind: "createPartition"; collection: string; partition: string }
    | { kind: "createAlias"; collection: string; alias: string }
    | { kind: "load"; collection: string };

export interface Conflict {
    collection: string;
    /** What differs, e.g. `fields.embedding.dim`. */
    path: string;
    declared: unknown;
    existing: unknown;
    message: string;
}

export interface CollectionPlan {
    collection: string;
    exists: boolean;
    actions: Action[];
    conflicts: Conflict[];
    /** Differences that are harmless and left alone (e.g. extra partitions). */
    notes: string[];
}

export interface SchemaPlan {
    collections: CollectionPlan[];
    conflicts: Conflict[];
    actions: Action[];
}

export function describeAction(a: Action): string {
    switch (a.kind) {
        case "createCollection":
            return `create collection ${a.collection}`;
        case "createIndex":
            return `create ${a.indexType} index on ${a.collection}.${a.field}`;
        case "createPartition":
            return `create partition ${a.partition} in ${a.collection}`;
        case "createAlias":
            return `create alias ${a.alias} -> ${a.collection}`;
        case "load":
            return `load collection ${a.collection}`;
    }
}

function show(v: unknown): string {
    return v === undefined ? "(none)" : typeof v === "string" ? v : JSON.stringify(v);
}

export function planSchema(spec: SchemaSettings, state: ObservedState): SchemaPlan {
    const collections = spec.collections.map((c) => planCollection(c, state));
    return {
        collections,
        conflicts: collections.flatMap((c) => c.conflicts),
        actions: collections.flatMap((c) => c.actions),
    };
}

export function planCollection(spec: CollectionSettings, state: ObservedState): CollectionPlan {
    const existing = state.collections[spec.name];
    const conflicts: Conflict[] = [];
    const notes: string[] = [];
    const conflict = (path: string, declared: unknown, found: unknown, what: string): void => {
        conflicts.push({
            collection: spec.name,
            path,
            declared,
            existing: found,
            message: `collection ${spec.name}: ${what}: declared ${show(declared)}, existing ${show(found)}`,
        });
    };
    const actions: Action[] = [];
    if (!existing) {
        actions.push({ kind: "createCollection", collection: spec.name });
        for (const ix of [...spec.vectorIndexes, ...spec.scalarIndexes]) {
            actions.push({ kind: "createIndex", collection: spec.name, field: ix.field, indexType: ix.type });
        }
        for (const p of spec.partitions) actions.push({ kind: "createPartition", collection: spec.name, partition: p });
    } else {
        compareFields(spec, existing, conflict);
        if (existing.enableDynamicField !== spec.enableDynamicField) {
            conflict("enableDynamicField", spec.enableDynamicField, existing.enableDynamicField, "dynamic fields setting differs");
        }
        compareIndexes(spec, existing, conflict, notes, actions);
        for (const p of spec.partitions) {
            if (!existing.partitions.includes(p)) actions.push({ kind: "createPartition", collection: spec.name, partition: p });
        }
        const extra = existing.partitions.filter((p) => p !== "_default" && !spec.partitions.includes(p));
        if (extra.length) notes.push(`partitions not declared, left in place: ${extra.join(", ")}`);
    }
    for (const alias of spec.aliases) {
        const target = state.aliasTargets[alias];
        if (target === spec.name) continue;
        if (target !== undefined) conflict(`aliases.${alias}`, spec.name, target, `alias ${alias} points at another collection (not moved automatically)`);
        else if (state.allCollections.includes(alias)) conflict(`aliases.${alias}`, `alias of ${spec.name}`, `collection ${alias}`, `alias ${alias} is the name of an existing collection`);
        else actions.push({ kind: "createAlias", collection: spec.name, alias });
    }
    if (spec.load && !existing?.loaded) actions.push({ kind: "load", collection: spec.name });
    if (!spec.load && existing?.loaded) notes.push("loaded although load: false; left loaded (releasing is not this step's job)");
    return { collection: spec.name, exists: existing !== undefined, actions, conflicts, notes };
}

type ConflictFn = (path: string, declared: unknown, existing: unknown, what: string) => void;

function compareFields(spec: CollectionSettings, existing: ObservedCollection, conflict: ConflictFn): void {
    for (const declared of spec.fields) {
        const found = existing.fields.find((f) => f.name === declared.name);
        if (!found) {
            conflict(`fields.${declared.name}`, declared.type, undefined, `field ${declared.name} is missing from the existing collection`);
            continue;
        }
        compareField(declared, found, conflict);
    }
    for (const found of existing.fields) {
        if (!spec.fields.some((f) => f.name === found.name)) {
            conflict(`fields.${found.name}`, undefined, found.type, `existing field ${found.name} is not declared`);
        }
    }
}

function compareField(d: FieldSettings, e: ObservedField, conflict: ConflictFn): void {
    const at = `fields.${d.name}`;
    if (d.type !== e.type) {
        conflict(`${at}.type`, d.type, e.type, `field ${d.name} type differs`);
        return;
    }
    if (d.type === "FLOAT_VECTOR" && d.dim !== e.dim) conflict(`${at}.dim`, d.dim, e.dim, `field ${d.name} dim differs`);
    if ((d.primary ?? false) !== e.primary) conflict(`${at}.primary`, d.primary ?? false, e.primary, `field ${d.name} primary key differs`);
    if ((d.autoId ?? false) !== e.autoId) conflict(`${at}.autoId`, d.autoId ?? false, e.autoId, `field ${d.name} autoId differs`);
    if ((d.nullable ?? false) !== e.nullable) conflict(`${at}.nullable`, d.nullable ?? false, e.nullable, `field ${d.name} nullable differs`);
    if (d.type === "VARCHAR" && d.maxLength !== e.maxLength) conflict(`${at}.maxLength`, d.maxLength, e.maxLength, `field ${d.name} maxLength differs`);
    if (d.type === "ARRAY") {
        if (d.elementType !== e.elementType) conflict(`${at}.elementType`, d.elementType, e.elementType, `field ${d.name} element type differs`);
        if (d.maxCapacity !== e.maxCapacity) conflict(`${at}.maxCapacity`, d.maxCapacity, e.maxCapacity, `field ${d.name} maxCapacity differs`);
        // Some servers do not report an array's element max_length; compare only when they do.
        if (d.maxLength !== undefined && e.maxLength !== undefined && d.maxLength !== e.maxLength) {
            conflict(`${at}.maxLength`, d.maxLength, e.maxLength, `field ${d.name} maxLength differs`);
        }
    }
}

function compareIndexes(spec: CollectionSettings, existing: ObservedCollection, conflict: ConflictFn, notes: string[], actions: Action[]): void {
    for (const declared of [...spec.vectorIndexes, ...spec.scalarIndexes]) {
        const found = existing.indexes.find((i) => i.field === declared.field);
        const at = `indexes.${declared.field}`;
        if (!found) {
            // Only additive when the field itself is compatible; otherwise the field conflict says it all.
            const field = existing.fields.find((f) => f.name === declared.field);
            if (field) actions.push({ kind: "createIndex", collection: spec.name, field: declared.field, indexType: declared.type });
            continue;
        }
        if (found.type !== declared.type) {
            conflict(`${at}.type`, declared.type, found.type, `index on ${declared.field} type differs (rebuilding an index is not done automatically)`);
            continue;
        }
        if ("metric" in declared) {
            if (found.metric !== declared.metric) conflict(`${at}.metric`, declared.metric, found.metric, `index on ${declared.field} metric differs`);
            for (const [k, v] of Object.entries(declared.params)) {
                if (found.params[k] !== v) conflict(`${at}.params.${k}`, v, found.params[k], `index on ${declared.field} parameter ${k} differs`);
            }
        }
    }
    for (const found of existing.indexes) {
        const declared = [...spec.vectorIndexes, ...spec.scalarIndexes].some((i) => i.field === found.field);
        if (!declared) notes.push(`index ${found.name} (${found.type}) on undeclared-index field ${found.field} left in place`);
    }
}
