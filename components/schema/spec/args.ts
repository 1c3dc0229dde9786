/**
 * The declared schema and verification options as a program writes them: the form of the
 * `milvus-gpu:schema` and `milvus-gpu:verify` stack keys, every default left out. Plain
 * values, so any Pulumi language can send them; parseSchemaSettings / parseVerifySettings check them
 * (errors name the field, the value and what is allowed). The parsed SchemaSettings/VerifySettings
 * fit these shapes too, so TypeScript code may pass either.
 */
import type { RbacObject } from "../access/spec";
import type { FieldSettings, IndexParams, MetricType, ScalarIndexType, VectorIndexType } from "./settings";

/** A field is written exactly as it is parsed (every key optional but name and type). */
export interface FieldArgs extends FieldSettings {}

/** One index; its `type` decides which `metric` and parameters it takes (scalar indexes take none). */
export interface IndexArgs {
    field: string;
    type: VectorIndexType | ScalarIndexType;
    /** Vector indexes only. */
    metric?: MetricType;
    /** Build parameters (e.g. HNSW `M`, `efConstruction`), checked per index type. */
    params?: IndexParams;
    /** Search parameters the verification uses (e.g. HNSW `ef`). */
    searchParams?: IndexParams;
}

export interface CollectionArgs {
    name: string;
    /** The database it belongs to (listed under `databases`); `default` when absent. */
    database?: string;
    description?: string;
    fields: FieldArgs[];
    enableDynamicField?: boolean;
    /** Vector and scalar indexes together; one per vector field is required. */
    indexes?: IndexArgs[];
    vectorIndexes?: IndexArgs[];
    scalarIndexes?: IndexArgs[];
    partitions?: string[];
    aliases?: string[];
    /** Load into memory so the collection answers searches (default true). */
    load?: boolean;
}

/** Privileges on one object. */
export interface AccessGrantArgs {
    object: RbacObject;
    /** Object name; `*` (the default) for every object of the type; always `*` for Global. */
    name?: string;
    /** Default `default`. */
    database?: string;
    privileges: string[];
}

export interface AccessRoleArgs {
    name: string;
    grants?: AccessGrantArgs[];
}

/** A user holding roles; its password comes from MilvusSchema's `passwords`, or is generated. */
export interface AccessUserArgs {
    name: string;
    /** Declared roles, or the built-in `admin` / `public`. */
    roles?: string[];
}

export interface AccessArgs {
    /** Fail when the server cannot enforce access (default true). */
    required?: boolean;
    /** Delete users on the server that are not declared, never root (default false). */
    prune?: boolean;
    roles?: AccessRoleArgs[];
    users?: AccessUserArgs[];
}

export interface SchemaArgs {
    /** Databases to create besides `default`. */
    databases?: string[];
    collections?: CollectionArgs[];
    /** Roles, grants and users (absent: access is not managed). */
    access?: AccessArgs;
}

/** The benchmark gate; at least one of minQps, maxP99Ms, minRecall. */
export interface SloArgs {
    minQps?: number;
    maxP99Ms?: number;
    minRecall?: number;
    concurrency?: number;
    rows?: number;
    durationSeconds?: number;
}

export interface VerifyArgs {
    /** Run the canary and the read-only checks (default true). */
    enabled?: boolean;
    canaryRows?: number;
    queries?: number;
    topK?: number;
    recallThreshold?: number;
    seed?: number;
    stepTimeoutSeconds?: number;
    slo?: SloArgs;
}
