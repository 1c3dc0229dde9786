import { resolve } from "node:path";
import { SCALAR_INDEX_FIELD_TYPES } from "../../components/schema/spec/indexParams";
import { FieldType, SCALAR_INDEX_TYPES, ScalarIndexType } from "../../components/schema/spec/settings";
import { readSpecFile } from "../../components/schema/spec/file";
import { MilvusTarget } from "./milvusTarget";

/** Raw (config-shaped) spec, loosely typed so tests can break it on purpose. */
export interface RawCollection {
    name: string;
    fields: { name: string; type?: string; dim?: number; maxLength?: number }[];
    indexes: { field?: string; type?: string; params?: Record<string, number> }[];
    aliases?: string[];
    [key: string]: unknown;
}
export interface RawSpec {
    collections: RawCollection[];
}

/**
 * The dev stack's `documents` spec, renamed so runs against a shared server never collide.
 * Given a target, each scalar index the target lacks (INVERTED before Milvus 2.4) becomes the
 * one it has for that field type (Trie for strings, STL_SORT for numbers), as a user of that
 * release would write it.
 */
export function devSpec(suffixed: string, alias: string, target?: MilvusTarget): RawSpec {
    const { schema } = readSpecFile(resolve(__dirname, "../../Pulumi.dev.yaml"));
    const raw = structuredClone(schema) as RawSpec;
    const documents = raw.collections.find((c) => c.name === "documents")!;
    for (const ix of target ? documents.indexes : []) {
        const fieldType = documents.fields.find((f) => f.name === ix.field)?.type as FieldType;
        if (!(SCALAR_INDEX_TYPES as readonly unknown[]).includes(ix.type) || target!.hasScalarIndex(ix.type as ScalarIndexType, fieldType)) continue;
        ix.type = SCALAR_INDEX_TYPES.find((t) => SCALAR_INDEX_FIELD_TYPES[t].includes(fieldType) && target!.hasScalarIndex(t, fieldType));
    }
    return { collections: [{ ...documents, name: suffixed, aliases: [alias] }] };
}

