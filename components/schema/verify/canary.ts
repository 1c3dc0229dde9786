import { ConsistencyLevelEnum, MilvusClient, RowData, WeightedRanker } from "@zilliz/milvus2-sdk-node";
import { loadAndWait, waitIndexBuilt } from "../collections/load";
import { call } from "../server/rpc";
import { canaryFilterShare, canarySearchParams, recallSetting } from "./canarySearch";
import { CanaryIndexReport, CanaryReport } from "./report";
import { idsPerQuery, ThrowawayCollection, ThrowawayVector } from "./throwaway";
import { isSparseIndexType, SchemaSettings, VectorIndexSettings, VerifySettings } from "../spec/settings";
import {
    CANARY_FILTER,
    clusteredVectors,
    exactTopK,
    recallAtK,
    seededRandom,
    similarity,
    sparseDot,
    SparseVector,
    sparseVectors,
    syntheticCategory,
    syntheticYear,
} from "./synthetic";

/**
 * Canary verification: a throw-away collection of our own per declared vector index
 * (never the user's data), filled with seeded synthetic vectors, indexed and searched the
 * way the declared index will be, with recall measured against exact search done here.
 */

export interface CanaryTarget {
    /** A declared dense index (with the dim of its field), or a sparse one when no dense index is declared. */
    index: VectorIndexSettings;
    dim?: number;
    /** A declared sparse index exercised alongside, enabling the hybrid search check. */
    sparse?: VectorIndexSettings;
}

/** One canary per distinct declared dense index (type, metric, params, dim); sparse rides along. */
export function canaryTargets(spec: SchemaSettings): CanaryTarget[] {
    const all = spec.collections.flatMap((c) => c.vectorIndexes.map((ix) => ({ ix, dim: c.fields.find((f) => f.name === ix.field)?.dim })));
    const sparse = all.find((a) => isSparseIndexType(a.ix.type))?.ix;
    const seen = new Set<string>();
    const targets: CanaryTarget[] = [];
    for (const { ix, dim } of all) {
        if (isSparseIndexType(ix.type)) continue;
        const key = JSON.stringify([ix.type, ix.metric, ix.params, ix.searchParams, dim]);
        if (seen.has(key)) continue;
        seen.add(key);
        targets.push({ index: ix, dim, ...(sparse ? { sparse } : {}) });
    }
    if (!targets.length && sparse) targets.push({ index: sparse });
    return targets;
}

const FILTER = CANARY_FILTER;
const SPARSE_DIMS = 1000;
const SPARSE_NONZERO = 8;
const INSERT_BATCH = 1000;
const HYBRID_WEIGHTS = [0.7, 0.3];

interface CanaryData {
    dense?: number[][];
    centres?: number[][];
    sparse?: SparseVector[];
    category: string[];
    year: number[];
}

/** Which vector fields the canary holds and the index each one gets. */
interface CanaryLayout {
    sparseOnly: boolean;
    dense?: { field: string; index: VectorIndexSettings; dim: number };
    sparse?: { field: string; index: VectorIndexSettings };
}

function layoutOf(target: CanaryTarget): CanaryLayout {
    const sparseOnly = isSparseIndexType(target.index.type);
    const sparseIndex = sparseOnly ? target.index : target.sparse;
    return {
        sparseOnly,
        ...(sparseOnly ? {} : { dense: { field: "dense", index: target.index, dim: target.dim ?? 0 } }),
        ...(sparseIndex ? { sparse: { field: "sparse", index: sparseIndex } } : {}),
    };
}

function vectorsOf(layout: CanaryLayout): ThrowawayVector[] {
    return [
        ...(layout.dense ? [{ name: layout.dense.field, kind: "dense" as const, dim: layout.dense.dim }] : []),
        ...(layout.sparse ? [{ name: layout.sparse.field, kind: "sparse" as const }] : []),
    ];
}

function makeData(target: CanaryTarget, rows: number, seed: number): CanaryData {
    const random = seededRandom(seed);
    const sparseOnly = isSparseIndexType(target.index.type);
    const data: CanaryData = { category: [], year: [] };
    for (let i = 0; i < rows; i++) {
        data.category.push(syntheticCategory(random));
        data.year.push(syntheticYear(random));
    }
    if (!sparseOnly) {
        const { vectors, centres } = clusteredVectors(rows, target.dim ?? 0, random, { clusters: Math.max(4, Math.round(Math.sqrt(rows) / 2)) });
        data.dense = vectors;
        data.centres = centres;
    }
    if (sparseOnly || target.sparse) data.sparse = sparseVectors(rows, SPARSE_DIMS, SPARSE_NONZERO, random);
    return data;
}

async function timed<T>(timings: Record<string, number>, step: string, run: () => Promise<T>): Promise<T> {
    const t = Date.now();
    try {
        return await run();
    } finally {
        timings[step] = Date.now() - t;
    }
}

function indexReport(ix: VectorIndexSettings, dim?: number): CanaryIndexReport {
    return { field: ix.field, type: ix.type, metric: ix.metric, params: ix.params, searchParams: ix.searchParams, ...(dim ? { dim } : {}) };
}

function emptyReport(name: string, target: CanaryTarget, verify: VerifySettings): CanaryReport {
    return {
        collection: name,
        index: indexReport(target.index, target.dim),
        ...(target.sparse ? { sparseIndex: indexReport(target.sparse) } : {}),
        rows: verify.canaryRows,
        queries: verify.queries,
        topK: verify.topK,
        seed: verify.seed,
        timingsMs: {},
        notes: [],
        removed: false,
        passed: false,
        failures: [],
    };
}

async function insertRows(client: MilvusClient, name: string, layout: CanaryLayout, data: CanaryData, rowCount: number): Promise<void> {
    for (let start = 0; start < rowCount; start += INSERT_BATCH) {
        const rows: RowData[] = [];
        for (let i = start; i < Math.min(start + INSERT_BATCH, rowCount); i++) {
            rows.push({
                id: i,
                category: data.category[i],
                year: data.year[i],
                ...(layout.dense ? { [layout.dense.field]: data.dense![i] } : {}),
                ...(layout.sparse ? { [layout.sparse.field]: data.sparse![i] } : {}),
            });
        }
        const res = await call(`insert into ${name}`, () => client.insert({ collection_name: name, data: rows }));
        if (Number(res.insert_cnt) !== rows.length) throw new Error(`insert into ${name}: ${res.insert_cnt} of ${rows.length} rows accepted`);
    }
}

/** Builds each field's index and records the rows the server says it indexed. */
async function buildIndexes(client: MilvusClient, name: string, layout: CanaryLayout, verify: VerifySettings, report: CanaryReport): Promise<void> {
    const primary = layout.dense ?? layout.sparse;
    for (const part of [layout.dense, layout.sparse]) {
        if (!part) continue;
        const ix = part.index;
        await call(`create ${ix.type} index on ${name}.${part.field}`, () =>
            client.createIndex({ collection_name: name, field_name: part.field, index_type: ix.type, metric_type: ix.metric, params: ix.params }),
        );
        const built = await waitIndexBuilt(client, name, part.field, verify.stepTimeoutSeconds);
        if (part === primary) report.index.indexedRows = built;
        else if (report.sparseIndex) report.sparseIndex.indexedRows = built;
    }
    for (const ix of [report.index, report.sparseIndex]) {
        if (ix?.indexedRows !== undefined && ix.indexedRows < verify.canaryRows) {
            // Milvus leaves small segments unindexed and searches them exhaustively.
            report.notes.push(`the server indexed ${ix.indexedRows} of ${verify.canaryRows} rows of ${ix.field}; the rest were searched without the ${ix.type} index`);
        }
    }
}

type Search = (field: string, ix: VectorIndexSettings, vectors: number[][] | SparseVector[], filter?: string, params?: VectorIndexSettings["searchParams"]) => Promise<number[][]>;

function searcher(client: MilvusClient, name: string, k: number): Search {
    return async (field, ix, vectors, filter, params = ix.searchParams) => {
        const res = await call(`search ${name}.${field}`, () =>
            client.search({
                collection_name: name,
                anns_field: field,
                data: vectors,
                limit: k,
                metric_type: ix.metric,
                params,
                output_fields: ["id"],
                consistency_level: ConsistencyLevelEnum.Strong,
                ...(filter ? { filter } : {}),
            }),
        );
        return idsPerQuery(res.results, vectors.length);
    };
}

/** Dense recall, unfiltered and filtered, against exact search; search parameters sized to the canary. */
async function measureDense(search: Search, dense: NonNullable<CanaryLayout["dense"]>, data: CanaryData, verify: VerifySettings, queryRandom: () => number, report: CanaryReport): Promise<void> {
    const { field, index: ix, dim } = dense;
    const k = verify.topK;
    const t = report.timingsMs;
    const plain = canarySearchParams(ix, verify.canaryRows, k);
    const filtered = canarySearchParams(ix, verify.canaryRows, k, canaryFilterShare());
    for (const note of new Set([plain.note, filtered.note])) if (note) report.notes.push(note);
    // Queries come from the same clusters as the data, as real queries resemble the corpus.
    const queries = clusteredVectors(verify.queries, dim, queryRandom, { clusters: 0, centres: data.centres! }).vectors;
    const score = (q: number[], r: number[]) => similarity(ix.metric, q, r);
    const inFilter = (i: number) => data.category[i] === FILTER.category && data.year[i] >= FILTER.minYear;
    const got = await timed(t, "search", () => search(field, ix, queries, undefined, plain.searchParams));
    report.recall = recallAtK(got, queries.map((q) => exactTopK(q, data.dense!, k, score)));
    const filter = `category == "${FILTER.category}" and year >= ${FILTER.minYear}`;
    const gotFiltered = await timed(t, "filteredSearch", () => search(field, ix, queries, filter, filtered.searchParams));
    report.filterRespected = gotFiltered.every((ids) => ids.every(inFilter));
    report.filteredRecall = recallAtK(gotFiltered, queries.map((q) => exactTopK(q, data.dense!, k, score, inFilter)));
}

async function measureSparse(search: Search, sparse: NonNullable<CanaryLayout["sparse"]>, data: CanaryData, verify: VerifySettings, queryRandom: () => number, report: CanaryReport): Promise<number> {
    const queries = sparseVectors(verify.queries, SPARSE_DIMS, SPARSE_NONZERO * 2, queryRandom);
    const got = await timed(report.timingsMs, "sparseSearch", () => search(sparse.field, sparse.index, queries));
    // Rows sharing no dimension with the query score 0 and are not true neighbours.
    return recallAtK(
        got,
        queries.map((q) => exactTopK(q, data.sparse!, verify.topK, sparseDot, (i) => sparseDot(q, data.sparse![i]) > 0)),
    );
}

/** Queries with stored rows' own vectors: both sub-searches put that row first, so the fused ranking must too. */
async function measureHybrid(client: MilvusClient, name: string, layout: Required<Pick<CanaryLayout, "dense" | "sparse">>, data: CanaryData, verify: VerifySettings, report: CanaryReport): Promise<number> {
    const nq = verify.queries;
    const { dense, sparse } = layout;
    const denseParams = canarySearchParams(dense.index, verify.canaryRows, verify.topK).searchParams;
    const rowsAsked = Array.from({ length: nq }, (_, q) => Math.floor((q * verify.canaryRows) / nq));
    let hits = 0;
    await timed(report.timingsMs, "hybridSearch", async () => {
        for (const row of rowsAsked) {
            const res = await call(`hybrid search ${name}`, () =>
                client.hybridSearch({
                    collection_name: name,
                    data: [
                        { anns_field: dense.field, data: data.dense![row], params: { ...denseParams, metric_type: dense.index.metric } },
                        { anns_field: sparse.field, data: data.sparse![row], params: { ...sparse.index.searchParams, metric_type: sparse.index.metric } },
                    ],
                    limit: verify.topK,
                    output_fields: ["id"],
                    rerank: WeightedRanker(HYBRID_WEIGHTS),
                    consistency_level: ConsistencyLevelEnum.Strong,
                }),
            );
            if (idsPerQuery(res.results, 1)[0][0] === row) hits++;
        }
    });
    return hits / rowsAsked.length;
}

/** What fell short of the threshold, each failure naming the setting that buys recall where there is one. */
function canaryFailures(report: CanaryReport, target: CanaryTarget, verify: VerifySettings, sparseOnly: boolean): string[] {
    const out: string[] = [];
    const k = verify.topK;
    const threshold = verify.recallThreshold;
    const below = (what: string, r: number | undefined, hint?: string) => {
        if (r !== undefined && r < threshold) out.push(`${what} ${r.toFixed(3)} is below the threshold ${threshold}${hint ? `; ${hint}` : ""}`);
    };
    const raise = recallSetting(target.index);
    below(`recall@${k}`, report.recall, sparseOnly ? undefined : raise);
    below(`filtered recall@${k}`, report.filteredRecall, raise);
    if (!sparseOnly) below(`sparse recall@${k}`, report.sparseRecall);
    below("hybrid top-1 rate", report.hybridTop1);
    if (report.filterRespected === false) out.push("filtered search returned rows that do not match the filter");
    return out;
}

/**
 * Runs one canary end to end and always tries to remove it. Failures are recorded in the
 * returned report (passed=false) rather than thrown, so every canary reports.
 */
export async function runCanary(client: MilvusClient, target: CanaryTarget, verify: VerifySettings, log: (line: string) => void = () => {}): Promise<CanaryReport> {
    const layout = layoutOf(target);
    const collection = new ThrowawayCollection(client, {
        role: "canary",
        description: "temporary canary of the milvus-gpu schema step; safe to drop",
        strong: true,
        vectors: vectorsOf(layout),
    });
    const name = collection.name;
    const report = emptyReport(name, target, verify);
    const t = report.timingsMs;
    log(`canary ${name}: ${target.index.type}/${target.index.metric}`);
    try {
        await timed(t, "create", () => collection.create());
        const data = makeData(target, verify.canaryRows, verify.seed);
        await timed(t, "insert", () => insertRows(client, name, layout, data, verify.canaryRows));
        await timed(t, "flush", () => call(`flush ${name}`, () => client.flushSync({ collection_names: [name] })));
        await timed(t, "index", () => buildIndexes(client, name, layout, verify, report));
        await timed(t, "load", () => loadAndWait(client, name, verify.stepTimeoutSeconds));

        const queryRandom = seededRandom(verify.seed ^ 0x5eed);
        const search = searcher(client, name, verify.topK);
        if (layout.dense) await measureDense(search, layout.dense, data, verify, queryRandom, report);
        if (layout.sparse) {
            report.sparseRecall = await measureSparse(search, layout.sparse, data, verify, queryRandom, report);
            if (layout.sparseOnly) report.recall = report.sparseRecall;
        }
        if (layout.dense && layout.sparse) report.hybridTop1 = await measureHybrid(client, name, { dense: layout.dense, sparse: layout.sparse }, data, verify, report);
        report.failures.push(...canaryFailures(report, target, verify, layout.sparseOnly));
    } catch (e) {
        report.failures.push((e as Error).message);
    } finally {
        const dropped = await collection.drop((drop) => timed(t, "drop", drop));
        report.removed = dropped.removed;
        if (dropped.error) report.failures.push(`could not remove canary ${name}: ${dropped.error}`);
    }
    report.passed = report.failures.length === 0;
    return report;
}
