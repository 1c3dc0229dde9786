import { ConfigError } from "../errors";
import { int, parseWith, ProblemList, str } from "../configSchema";
import { readVectorIndexParams, searchLimitProblems, VECTOR_INDEX_RULES } from "../schema/spec/indexParams";
import { DENSE_INDEX_TYPES, DenseIndexType, IndexParams, METRIC_TYPES, MetricType } from "../schema/spec/settings";
import { CANARY_FILTER } from "../schema/verify/synthetic";
import { parseFilter } from "./filter";

/**
 * What a benchmark run does: the synthetic data set, the indexes measured on it one after
 * the other, and the search load. Everything here is validated by parseBenchWorkload, as
 * stack config is, so a bad option fails before anything touches Milvus.
 */
export interface BenchIndex {
    type: DenseIndexType;
    metric: MetricType;
    params: IndexParams;
    searchParams: IndexParams;
}

export interface BenchWorkload {
    rows: number;
    dim: number;
    indexes: BenchIndex[];
    topK: number;
    /** Filter expression over the synthetic `category` / `year` fields; "" measures no filtered search. */
    filter: string;
    concurrency: number[];
    /** Measuring time per concurrency level (after a short warm-up). */
    durationSeconds: number;
    /** Distinct query vectors, cycled through by every client in the same order. */
    queries: number;
    /** Query vectors per search request (nq): 1 is one user query at a time; more is batched search. */
    queriesPerRequest: number;
    /** Queries whose recall@k is checked against exact search computed in process. */
    recallQueries: number;
    /** Rows per insert call; also the unit of generation, so memory stays bounded. */
    batchSize: number;
    seed: number;
    /** Bound on an index build or a load, seconds. */
    stepTimeoutSeconds: number;
}

export const BENCH_LIMITS = {
    rows: { min: 100, max: 100_000_000 },
    dim: { min: 1, max: 32768 },
    topK: { min: 1, max: 1000 },
    concurrency: { min: 1, max: 1024 },
    durationSeconds: { min: 1, max: 3600 },
    queries: { min: 1, max: 100_000 },
    queriesPerRequest: { min: 1, max: 1000 },
    recallQueries: { min: 1, max: 10_000 },
    batchSize: { min: 1, max: 100_000 },
    stepTimeoutSeconds: { min: 1, max: 86_400 },
} as const;

export const DEFAULT_FILTER = `category == "${CANARY_FILTER.category}" and year >= ${CANARY_FILTER.minYear}`;

/** Small enough to finish in well under 3 minutes on a 2-core laptop with Milvus Lite. */
export const DEFAULT_WORKLOAD = {
    rows: 20_000,
    dim: 384,
    topK: 10,
    filter: DEFAULT_FILTER,
    concurrency: [1, 4, 16],
    durationSeconds: 8,
    queries: 1000,
    queriesPerRequest: 1,
    recallQueries: 100,
    // The seed's insert batch; memory held at once grows with it (see vectorsInFlightCeilingMiB).
    batchSize: 1000,
    seed: 42,
    stepTimeoutSeconds: 1800,
} as const;

export const DEFAULT_INDEX_TYPE: DenseIndexType = "HNSW";

/** Build and search parameters used when none are given: the seed's where it names them. */
export function defaultIndexParams(type: DenseIndexType, dim: number): { params: IndexParams; searchParams: IndexParams } {
    const pqM = [48, 32, 24, 16, 12, 8, 4, 2, 1].find((m) => dim % m === 0 && m <= dim) ?? 1;
    switch (type) {
        case "HNSW":
            return { params: { M: 16, efConstruction: 200 }, searchParams: { ef: 64 } };
        case "IVF_FLAT":
        case "IVF_SQ8":
        case "GPU_IVF_FLAT":
            return { params: { nlist: 1024 }, searchParams: { nprobe: 16 } };
        case "IVF_PQ":
        case "GPU_IVF_PQ":
            return { params: { nlist: 1024, m: pqM, nbits: 8 }, searchParams: { nprobe: 16 } };
        case "GPU_CAGRA":
            return { params: { intermediate_graph_degree: 64, graph_degree: 32 }, searchParams: { itopk_size: 64 } };
        case "DISKANN":
            return { params: {}, searchParams: { search_list: 100 } };
        case "FLAT":
        case "GPU_BRUTE_FORCE":
            return { params: {}, searchParams: {} };
    }
}

/** COSINE where the index type takes it (the seed's choice), otherwise L2. */
export function defaultMetric(type: DenseIndexType): MetricType {
    const metrics = VECTOR_INDEX_RULES[type].metrics;
    return metrics.includes("COSINE") ? "COSINE" : "L2";
}

/** Options as given (CLI flags or config), before validation; JSON-ish values or strings. */
export interface RawBenchIndex {
    type?: unknown;
    metric?: unknown;
    params?: unknown;
    searchParams?: unknown;
}

export interface RawBenchWorkload {
    rows?: unknown;
    dim?: unknown;
    indexes?: RawBenchIndex[];
    topK?: unknown;
    filter?: unknown;
    concurrency?: unknown;
    durationSeconds?: unknown;
    queries?: unknown;
    queriesPerRequest?: unknown;
    recallQueries?: unknown;
    batchSize?: unknown;
    seed?: unknown;
    stepTimeoutSeconds?: unknown;
}

function at(prefix: string, key: string): string {
    return prefix ? `${prefix}.${key}` : key;
}

function parseJsonObject(value: unknown, field: string): unknown {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        throw new ConfigError(field, value, 'a JSON object such as {"M": 16}');
    }
}

function parseConcurrency(value: unknown, field: string): number[] | undefined {
    if (value === undefined || value === null) return undefined;
    const { min, max } = BENCH_LIMITS.concurrency;
    const list = typeof value === "string" ? value.split(",").map((s) => s.trim()) : value;
    if (!Array.isArray(list)) throw new ConfigError(field, value, `a list of integers from ${min} to ${max}, e.g. 1,4,16`);
    const level = int({ min, max });
    const levels = list.map((v, i) => parseWith(level, v, `${field}[${i}]`));
    if (!levels.length || levels.some((n) => Number.isNaN(n))) throw new ConfigError(field, value, `a list of integers from ${min} to ${max}, e.g. 1,4,16`);
    if (new Set(levels).size !== levels.length) throw new ConfigError(field, value, "concurrency levels listed once each");
    return [...levels].sort((a, b) => a - b);
}

function parseIndex(raw: RawBenchIndex, dim: number | undefined, field: string, problems: ProblemList): BenchIndex | undefined {
    const type = problems.read(() => {
        const t = raw.type ?? DEFAULT_INDEX_TYPE;
        if (!(DENSE_INDEX_TYPES as readonly unknown[]).includes(t)) throw new ConfigError(`${field}.type`, t, `one of ${DENSE_INDEX_TYPES.join(", ")}`);
        return t as DenseIndexType;
    });
    if (!type) return undefined;
    const rule = VECTOR_INDEX_RULES[type];
    const metric = problems.read(() => {
        const m = raw.metric ?? defaultMetric(type);
        if (!(METRIC_TYPES as readonly unknown[]).includes(m) || !rule.metrics.includes(m as MetricType)) {
            throw new ConfigError(`${field}.metric`, m, `one of ${rule.metrics.join(", ")} for ${type}`);
        }
        return m as MetricType;
    });
    const defaults = defaultIndexParams(type, dim ?? DEFAULT_WORKLOAD.dim);
    const rawParams = problems.read(() => parseJsonObject(raw.params, `${field}.params`));
    const rawSearch = problems.read(() => parseJsonObject(raw.searchParams, `${field}.searchParams`));
    const read = readVectorIndexParams(
        type,
        raw.params === undefined ? defaults.params : rawParams,
        raw.searchParams === undefined ? defaults.searchParams : rawSearch,
        dim,
    );
    for (const p of read.problems) problems.add(`${field}.${p.path.join(".")}`, p.value, p.allowed);
    const { params, searchParams } = read;
    if (!metric || read.problems.length) return undefined;
    return { type, metric, params, searchParams };
}

/**
 * Validates benchmark options and fills in defaults, reporting every bad option at once
 * (ConfigError fields are the option names, under `prefix` when given).
 */
export function parseBenchWorkload(raw: RawBenchWorkload, prefix = ""): BenchWorkload {
    const problems = new ProblemList();
    const d = DEFAULT_WORKLOAD;
    const L = BENCH_LIMITS;
    const integer = (value: unknown, key: string, range: { min: number; max: number }) => problems.read(() => parseWith(int(range).optional(), value, at(prefix, key)));
    const intOf = (key: keyof typeof L, fallback: number) => integer(raw[key], key, L[key]) ?? fallback;
    const rows = intOf("rows", d.rows);
    const dim = integer(raw.dim, "dim", L.dim);
    const topK = intOf("topK", d.topK);
    const queries = intOf("queries", d.queries);
    const recallQueries = intOf("recallQueries", d.recallQueries);
    const workload: BenchWorkload = {
        rows,
        dim: dim ?? d.dim,
        indexes: [],
        topK,
        filter: problems.read(() => parseWith(str().optional(), raw.filter, at(prefix, "filter"))) ?? d.filter,
        concurrency: problems.read(() => parseConcurrency(raw.concurrency, at(prefix, "concurrency"))) ?? [...d.concurrency],
        durationSeconds: intOf("durationSeconds", d.durationSeconds),
        queries,
        queriesPerRequest: intOf("queriesPerRequest", d.queriesPerRequest),
        recallQueries: Math.min(recallQueries, queries),
        batchSize: intOf("batchSize", d.batchSize),
        seed: integer(raw.seed, "seed", { min: 0, max: 2 ** 32 - 1 }) ?? d.seed,
        stepTimeoutSeconds: intOf("stepTimeoutSeconds", d.stepTimeoutSeconds),
    };
    if (workload.filter.trim() !== "") problems.read(() => parseFilter(workload.filter, at(prefix, "filter")));
    if (topK > rows) problems.add(at(prefix, "topK"), topK, `at most rows (${rows})`);
    if (workload.queriesPerRequest > queries) problems.add(at(prefix, "queriesPerRequest"), workload.queriesPerRequest, `at most queries (${queries})`);
    const rawIndexes = raw.indexes?.length ? raw.indexes : [{}];
    const seen = new Set<string>();
    rawIndexes.forEach((ri, i) => {
        if (typeof ri !== "object" || ri === null || Array.isArray(ri)) return problems.add(at(prefix, `indexes[${i}]`), ri, "an index with type, metric, params, searchParams");
        const ix = parseIndex(ri, workload.dim, at(prefix, `indexes[${i}]`), problems);
        if (!ix) return;
        for (const p of searchLimitProblems(ix.searchParams, topK, "topK")) problems.add(at(prefix, `indexes[${i}].${p.path.join(".")}`), p.value, p.allowed);
        const key = JSON.stringify(ix);
        if (seen.has(key)) problems.add(at(prefix, `indexes[${i}]`), ix.type, "an index not listed twice with the same parameters");
        seen.add(key);
        workload.indexes.push(ix);
    });
    problems.throwIfAny();
    return workload;
}

/** Short label of an index for tables and the chart, e.g. `HNSW/COSINE ef=64`. */
export function indexLabel(ix: BenchIndex): string {
    const search = Object.entries(ix.searchParams).map(([k, v]) => `${k}=${v}`).join(",");
    return `${ix.type}/${ix.metric}${search ? ` ${search}` : ""}`;
}
