import { bool, int, num, oneOf, text, z } from "../../configSchema";
import {
    IndexParams,
    MetricType,
    ScalarIndexType,
    FieldType,
    VectorIndexType,
    VectorType,
} from "./settings";

/**
 * Per-index-type rules for build and search parameters (Milvus docs, facts.md §2).
 * Unknown parameter names are rejected: Milvus ignores many of them silently, which would
 * leave a user believing a tuning knob was applied.
 */
interface ParamRule {
    kind: "integer" | "number" | "boolean";
    min?: number;
    max?: number;
    required?: boolean;
}

interface VectorIndexRule {
    fieldType: VectorType;
    metrics: readonly MetricType[];
    params: Record<string, ParamRule>;
    searchParams: Record<string, ParamRule>;
    /** Needs the Milvus GPU image (`-gpu` tag). */
    gpu?: boolean;
}

const INT_MAX = 2 ** 31 - 1;
const nlist: ParamRule = { kind: "integer", min: 1, max: 65536 };
const nprobe: ParamRule = { kind: "integer", min: 1, max: 65536 };
const pq = { m: { kind: "integer", min: 1, max: 65536, required: true }, nbits: { kind: "integer", min: 1, max: 24 } } as const;
const dense = ["L2", "IP", "COSINE"] as const;

export const VECTOR_INDEX_RULES: Record<VectorIndexType, VectorIndexRule> = {
    FLAT: { fieldType: "FLOAT_VECTOR", metrics: dense, params: {}, searchParams: {} },
    IVF_FLAT: { fieldType: "FLOAT_VECTOR", metrics: dense, params: { nlist }, searchParams: { nprobe } },
    IVF_SQ8: { fieldType: "FLOAT_VECTOR", metrics: dense, params: { nlist }, searchParams: { nprobe } },
    IVF_PQ: { fieldType: "FLOAT_VECTOR", metrics: dense, params: { nlist, ...pq }, searchParams: { nprobe } },
    HNSW: {
        fieldType: "FLOAT_VECTOR",
        metrics: dense,
        params: {
            M: { kind: "integer", min: 2, max: 2048 },
            efConstruction: { kind: "integer", min: 1, max: INT_MAX },
        },
        searchParams: { ef: { kind: "integer", min: 1, max: INT_MAX } },
    },
    DISKANN: {
        fieldType: "FLOAT_VECTOR",
        metrics: dense,
        params: {},
        searchParams: { search_list: { kind: "integer", min: 1, max: 65535 } },
    },
    GPU_IVF_FLAT: {
        fieldType: "FLOAT_VECTOR",
        metrics: ["L2", "IP"],
        params: { nlist, cache_dataset_on_device: { kind: "boolean" } },
        searchParams: { nprobe },
        gpu: true,
    },
    GPU_IVF_PQ: {
        fieldType: "FLOAT_VECTOR",
        metrics: ["L2", "IP"],
        params: { nlist, ...pq, cache_dataset_on_device: { kind: "boolean" } },
        searchParams: { nprobe },
        gpu: true,
    },
    GPU_CAGRA: {
        fieldType: "FLOAT_VECTOR",
        metrics: ["L2", "IP"],
        params: {
            intermediate_graph_degree: { kind: "integer", min: 1, max: 1024 },
            graph_degree: { kind: "integer", min: 1, max: 1024 },
            cache_dataset_on_device: { kind: "boolean" },
        },
        searchParams: { itopk_size: { kind: "integer", min: 1, max: 65536 } },
        gpu: true,
    },
    GPU_BRUTE_FORCE: { fieldType: "FLOAT_VECTOR", metrics: ["L2", "IP"], params: {}, searchParams: {}, gpu: true },
    SPARSE_INVERTED_INDEX: {
        fieldType: "SPARSE_FLOAT_VECTOR",
        metrics: ["IP"],
        params: { drop_ratio_build: { kind: "number", min: 0, max: 0.999 } },
        searchParams: { drop_ratio_search: { kind: "number", min: 0, max: 0.999 } },
    },
    SPARSE_WAND: {
        fieldType: "SPARSE_FLOAT_VECTOR",
        metrics: ["IP"],
        params: { drop_ratio_build: { kind: "number", min: 0, max: 0.999 } },
        searchParams: { drop_ratio_search: { kind: "number", min: 0, max: 0.999 } },
    },
};

const NUMERIC: readonly FieldType[] = ["INT8", "INT16", "INT32", "INT64", "FLOAT", "DOUBLE"];

/** Which field types each scalar index accepts. */
export const SCALAR_INDEX_FIELD_TYPES: Record<ScalarIndexType, readonly FieldType[]> = {
    INVERTED: [...NUMERIC, "BOOL", "VARCHAR", "ARRAY"],
    STL_SORT: NUMERIC,
    Trie: ["VARCHAR"],
    BITMAP: ["BOOL", "INT8", "INT16", "INT32", "INT64", "VARCHAR", "ARRAY"],
};

export function isGpuIndex(type: VectorIndexType): boolean {
    return VECTOR_INDEX_RULES[type].gpu === true;
}

function paramLeaf(rule: ParamRule, required: string) {
    if (rule.kind === "boolean") return bool().optional();
    const range = { min: rule.min, max: rule.max };
    const leaf = rule.kind === "integer" ? int(range) : num(range);
    return rule.required ? (rule.kind === "integer" ? int(range, `${describeRule(rule)}${required}`) : num(range, `${describeRule(rule)}${required}`)) : leaf.optional();
}

function describeRule(rule: ParamRule): string {
    if (rule.kind === "boolean") return "true or false";
    const what = rule.kind === "integer" ? "an integer" : "a number";
    if (rule.min !== undefined && rule.max !== undefined) return `${what} from ${rule.min} to ${rule.max}`;
    if (rule.min !== undefined) return `${what} >= ${rule.min}`;
    return what;
}

/** The build or search parameters one index type takes: exactly these names, each within its range. */
function paramsSchema(rules: Record<string, ParamRule>, indexType: string) {
    const names = Object.keys(rules);
    const shape = Object.fromEntries(Object.entries(rules).map(([name, rule]) => [name, paramLeaf(rule, ` (required for ${indexType})`)]));
    return z
        .strictObject(shape, {
            error: (iss) =>
                iss.code === "unrecognized_keys"
                    ? names.length
                        ? `one of ${names.join(", ")} for ${indexType}`
                        : `no parameters for ${indexType}`
                    : "a mapping of parameter names to numbers",
        })
        .prefault({})
        .transform((p) => p as IndexParams);
}

/** One vector index entry of a collection: its type decides the metrics and parameters allowed. */
export function vectorIndexSchema<T extends VectorIndexType>(type: T) {
    const rule = VECTOR_INDEX_RULES[type];
    return z.strictObject(
        {
            field: text(),
            type: z.literal(type),
            metric: oneOf(rule.metrics as unknown as readonly [MetricType, ...MetricType[]], `one of ${rule.metrics.join(", ")} for ${type}`),
            params: paramsSchema(rule.params, type),
            searchParams: paramsSchema(rule.searchParams, type),
        },
        { error: (iss) => (iss.code === "unrecognized_keys" ? `one of the known keys of a ${type} index: field, type, metric, params, searchParams` : undefined) },
    );
}

/** A path below one index entry, the value there and what is allowed. */
export interface IndexProblem {
    path: (string | number)[];
    value: unknown;
    allowed: string;
}

/**
 * Rules between parameters of one vector index (and its field's `dim`) that Milvus enforces
 * only when it builds or searches the index.
 */
export function indexParamProblems(type: VectorIndexType, params: IndexParams, searchParams: IndexParams, dim: number | undefined): IndexProblem[] {
    const out: IndexProblem[] = [];
    if (typeof params.m === "number" && dim !== undefined && dim % params.m !== 0) {
        out.push({ path: ["params", "m"], value: params.m, allowed: `a divisor of the field's dim ${dim}` });
    }
    if ("nprobe" in VECTOR_INDEX_RULES[type].searchParams) {
        const nlistValue = typeof params.nlist === "number" ? params.nlist : 128;
        if (typeof searchParams.nprobe === "number" && searchParams.nprobe > nlistValue) {
            out.push({ path: ["searchParams", "nprobe"], value: searchParams.nprobe, allowed: `an integer from 1 to nlist (${nlistValue})` });
        }
    }
    if (typeof params.graph_degree === "number" && typeof params.intermediate_graph_degree === "number" && params.graph_degree > params.intermediate_graph_degree) {
        out.push({ path: ["params", "graph_degree"], value: params.graph_degree, allowed: `at most intermediate_graph_degree (${params.intermediate_graph_degree})` });
    }
    return out;
}

/** Search parameters Milvus refuses below the search's limit (topK): HNSW ef, DISKANN search_list, CAGRA itopk_size. */
const AT_LEAST_LIMIT = ["ef", "search_list", "itopk_size"] as const;

/** The search parameters of one index that a search with `limit` results would be refused for. */
export function searchLimitProblems(searchParams: IndexParams, limit: number, limitName: string): IndexProblem[] {
    const out: IndexProblem[] = [];
    for (const name of AT_LEAST_LIMIT) {
        const v = searchParams[name];
        if (typeof v === "number" && v < limit) out.push({ path: ["searchParams", name], value: v, allowed: `at least ${limitName} (${limit}); Milvus rejects ${name} < limit` });
    }
    return out;
}

/**
 * Validates build and search parameters given as raw values (CLI flags, JSON) against the
 * index type's rules and the field's `dim`; every problem is returned, none thrown.
 */
export function readVectorIndexParams(
    type: VectorIndexType,
    rawParams: unknown,
    rawSearchParams: unknown,
    dim: number | undefined,
): { params: IndexParams; searchParams: IndexParams; problems: IndexProblem[] } {
    const rule = VECTOR_INDEX_RULES[type];
    const problems: IndexProblem[] = [];
    const read = (key: "params" | "searchParams", raw: unknown): IndexParams => {
        const r = paramsSchema(rule[key], type).safeParse(raw ?? undefined, { reportInput: true });
        if (r.success) return r.data;
        for (const iss of r.error.issues) {
            const keys = iss.code === "unrecognized_keys" ? iss.keys.map((k) => [k]) : [iss.path];
            for (const sub of keys) {
                const path = [key, ...sub.map(String)];
                const value = sub.length ? (raw as Record<string, unknown> | undefined)?.[String(sub[0])] : raw;
                problems.push({ path, value, allowed: iss.message });
            }
        }
        return {};
    };
    const params = read("params", rawParams);
    const searchParams = read("searchParams", rawSearchParams);
    if (!problems.length) problems.push(...indexParamProblems(type, params, searchParams, dim));
    return { params, searchParams, problems };
}
