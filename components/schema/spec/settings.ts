import { AccessSettings } from "../access/spec";

/**
 * The declared schema: what `pulumi up` must leave Milvus serving. These are the typed,
 * validated shapes that `parseSchemaSettings` / `parseVerifySettings` produce from stack config;
 * everything downstream (reconcile, canary, the Pulumi resource) reads only these.
 */

export const SCALAR_TYPES = ["BOOL", "INT8", "INT16", "INT32", "INT64", "FLOAT", "DOUBLE", "VARCHAR", "JSON", "ARRAY"] as const;
export const VECTOR_TYPES = ["FLOAT_VECTOR", "SPARSE_FLOAT_VECTOR"] as const;
export const ARRAY_ELEMENT_TYPES = ["BOOL", "INT8", "INT16", "INT32", "INT64", "FLOAT", "DOUBLE", "VARCHAR"] as const;

export type ScalarType = (typeof SCALAR_TYPES)[number];
export type VectorType = (typeof VECTOR_TYPES)[number];
export type FieldType = ScalarType | VectorType;
export type ArrayElementType = (typeof ARRAY_ELEMENT_TYPES)[number];

export interface FieldSettings {
    name: string;
    type: FieldType;
    description?: string;
    /** Exactly one field per collection; INT64 or VARCHAR. */
    primary?: boolean;
    /** Milvus generates the primary key (INT64 only). */
    autoId?: boolean;
    /** VARCHAR, and ARRAY of VARCHAR elements. */
    maxLength?: number;
    /** FLOAT_VECTOR only. */
    dim?: number;
    /** ARRAY only. */
    elementType?: ArrayElementType;
    maxCapacity?: number;
    nullable?: boolean;
}

export const DENSE_INDEX_TYPES = [
    "FLAT",
    "IVF_FLAT",
    "IVF_SQ8",
    "IVF_PQ",
    "HNSW",
    "DISKANN",
    "GPU_IVF_FLAT",
    "GPU_IVF_PQ",
    "GPU_CAGRA",
    "GPU_BRUTE_FORCE",
] as const;
export const SPARSE_INDEX_TYPES = ["SPARSE_INVERTED_INDEX", "SPARSE_WAND"] as const;
export const SCALAR_INDEX_TYPES = ["INVERTED", "STL_SORT", "Trie", "BITMAP"] as const;
export const METRIC_TYPES = ["L2", "IP", "COSINE"] as const;

export type DenseIndexType = (typeof DENSE_INDEX_TYPES)[number];
export type SparseIndexType = (typeof SPARSE_INDEX_TYPES)[number];
export type VectorIndexType = DenseIndexType | SparseIndexType;
export type ScalarIndexType = (typeof SCALAR_INDEX_TYPES)[number];
export type MetricType = (typeof METRIC_TYPES)[number];

/** Index build and search parameters are plain numbers/booleans, as Milvus takes them. */
export type IndexParams = Record<string, number | boolean>;

export interface VectorIndexSettings {
    field: string;
    type: VectorIndexType;
    metric: MetricType;
    /** Build parameters (e.g. HNSW `M`, `efConstruction`), validated per index type. */
    params: IndexParams;
    /** Search parameters used by verification (e.g. HNSW `ef`, IVF `nprobe`). */
    searchParams: IndexParams;
}

export interface ScalarIndexSettings {
    field: string;
    type: ScalarIndexType;
}

export interface CollectionSettings {
    name: string;
    /** The database it belongs to; `default` when absent. */
    database?: string;
    description?: string;
    fields: FieldSettings[];
    enableDynamicField: boolean;
    /** One per vector field: Milvus cannot load a collection with an unindexed vector field. */
    vectorIndexes: VectorIndexSettings[];
    scalarIndexes: ScalarIndexSettings[];
    /** Created if missing; existing partitions that are not declared are left alone. */
    partitions: string[];
    /** Alias names that must point at this collection. */
    aliases: string[];
    /** Load into memory so the collection answers searches (default true). */
    load: boolean;
}

export interface SchemaSettings {
    /** Databases created if missing, besides `default` (which always exists). */
    databases?: string[];
    collections: CollectionSettings[];
    /** Declared roles, grants and users (absent: access is not managed). */
    access?: AccessSettings;
}

export interface VerifySettings {
    /** Run the canary and the read-only checks of declared collections (default true). */
    enabled: boolean;
    /** Synthetic rows inserted into each canary collection (default 1,000). */
    canaryRows: number;
    /** Query vectors per canary (default 20). */
    queries: number;
    /** k of recall@k (default 10). */
    topK: number;
    /** The deploy fails when a canary's recall@k is below this (default 0.9). */
    recallThreshold: number;
    /** Seed of the synthetic data, so a failure can be reproduced (default 42). */
    seed: number;
    /** Upper bound for an index build or a load to finish, seconds (default 600). */
    stepTimeoutSeconds: number;
    /** Service-level objective checked by a short benchmark after the canaries (off when absent). */
    slo?: SloSettings;
}

/**
 * What a deployment must deliver on a canary collection of `rows` synthetic vectors with
 * each declared dense index: closed-loop search at `concurrency` for `durationSeconds`.
 * At least one of the three targets is set.
 */
export interface SloSettings {
    /** Queries per second the deployment must reach at least. */
    minQps?: number;
    /** 99th percentile search latency must stay at or below this, milliseconds. */
    maxP99Ms?: number;
    /** recall@topK (verify.topK) against exact search must reach at least this. */
    minRecall?: number;
    /** Searches in flight at once (default 4). */
    concurrency: number;
    /** Synthetic rows in the SLO canary (default 10,000). */
    rows: number;
    /** Measuring time (default 10 s). */
    durationSeconds: number;
}

export const DEFAULT_SLO = { concurrency: 4, rows: 10_000, durationSeconds: 10 } as const;

export const DEFAULT_VERIFY: VerifySettings = {
    enabled: true,
    canaryRows: 1000,
    queries: 20,
    topK: 10,
    recallThreshold: 0.9,
    seed: 42,
    stepTimeoutSeconds: 600,
};

export function isVectorType(type: FieldType): type is VectorType {
    return (VECTOR_TYPES as readonly string[]).includes(type);
}

export function isSparseIndexType(type: VectorIndexType): type is SparseIndexType {
    return (SPARSE_INDEX_TYPES as readonly string[]).includes(type);
}
