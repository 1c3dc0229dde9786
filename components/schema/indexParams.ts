import { Problems } from "../validate";
import {
    IndexParams,
    MetricType,
    ScalarIndexType,
    FieldType,
    VectorIndexType,
    VectorType,
} from "./spec";

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

function checkParams(
    raw: unknown,
    field: string,
    rules: Record<string, ParamRule>,
    indexType: string,
    problems: Problems,
): IndexParams {
    const out: IndexParams = {};
    if (raw === undefined || raw === null) raw = {};
    if (typeof raw !== "object" || Array.isArray(raw)) {
        problems.add(field, raw, "a mapping of parameter names to numbers");
        return out;
    }
    const given = raw as Record<string, unknown>;
    const names = Object.keys(rules);
    for (const [name, value] of Object.entries(given)) {
        const rule = rules[name];
        if (!rule) {
            const allowed = names.length ? `one of ${names.join(", ")} for ${indexType}` : `no parameters for ${indexType}`;
            problems.add(`${field}.${name}`, value, allowed);
            continue;
        }
        const parsed = readParam(value, rule);
        if (parsed === undefined) {
            problems.add(`${field}.${name}`, value, describeRule(rule));
            continue;
        }
        out[name] = parsed;
    }
    for (const [name, rule] of Object.entries(rules)) {
        if (rule.required && !(name in given)) problems.add(`${field}.${name}`, undefined, `${describeRule(rule)} (required for ${indexType})`);
    }
    return out;
}

function readParam(value: unknown, rule: ParamRule): number | boolean | undefined {
    if (rule.kind === "boolean") {
        if (value === true || value === "true") return true;
        if (value === false || value === "false") return false;
        return undefined;
    }
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof n !== "number" || !Number.isFinite(n)) return undefined;
    if (rule.kind === "integer" && !Number.isInteger(n)) return undefined;
    if ((rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max)) return undefined;
    return n;
}

function describeRule(rule: ParamRule): string {
    if (rule.kind === "boolean") return "true or false";
    const what = rule.kind === "integer" ? "an integer" : "a number";
    if (rule.min !== undefined && rule.max !== undefined) return `${what} from ${rule.min} to ${rule.max}`;
    if (rule.min !== undefined) return `${what} >= ${rule.min}`;
    return what;
}

/**
 * Validates build and search parameters of one vector index against its type's rules and
 * the vector field (`dim`), recording every problem. `field` is the dotted path of the index.
 */
export function checkVectorIndexParams(
    type: VectorIndexType,
    rawParams: unknown,
    rawSearchParams: unknown,
    dim: number | undefined,
    field: string,
    problems: Problems,
): { params: IndexParams; searchParams: IndexParams } {
    const rule = VECTOR_INDEX_RULES[type];
    const params = checkParams(rawParams, `${field}.params`, rule.params, type, problems);
    const searchParams = checkParams(rawSearchParams, `${field}.searchParams`, rule.searchParams, type, problems);
    // Cross-parameter rules Milvus enforces only at build or search time.
    if (typeof params.m === "number" && dim !== undefined && dim % params.m !== 0) {
        problems.add(`${field}.params.m`, params.m, `a divisor of the field's dim ${dim}`);
    }
    const nlistValue = typeof params.nlist === "number" ? params.nlist : 128;
    if (typeof searchParams.nprobe === "number" && searchParams.nprobe > nlistValue) {
        problems.add(`${field}.searchParams.nprobe`, searchParams.nprobe, `an integer from 1 to nlist (${nlistValue})`);
    }
    if (
        typeof params.graph_degree === "number" &&
        typeof params.intermediate_graph_degree === "number" &&
        params.graph_degree > params.intermediate_graph_degree
    ) {
        problems.add(`${field}.params.graph_degree`, params.graph_degree, `at most intermediate_graph_degree (${params.intermediate_graph_degree})`);
    }
    return { params, searchParams };
}
