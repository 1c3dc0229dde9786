import { ConsistencyLevelEnum, DataType, MilvusClient, RowData, WeightedRanker } from "@zilliz/milvus2-sdk-node";
import { randomBytes } from "node:crypto";
import { loadAndWait } from "../collections/load";
import { call } from "../server/rpc";
import { canaryFilterShare, canarySearchParams, recallSetting } from "./canarySearch";
import { CanaryIndexReport, CanaryReport } from "./report";
import { isSparseIndexType, SchemaSpec, VectorIndexSpec, VerifySpec } from "../spec/settings";
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
    index: VectorIndexSpec;
    dim?: number;
    /** A declared sparse index exercised alongside, enabling the hybrid search check. */
    sparse?: VectorIndexSpec;
}

/** One canary per distinct declared dense index (type, metric, params, dim); sparse rides along. */
export function canaryTargets(spec: SchemaSpec): CanaryTarget[] {
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

/** Search answers come back flat for one query and nested for several. */
export function idsPerQuery(results: unknown, nq: number): number[][] {
    const list = results as unknown[];
    const nested = nq === 1 && !Array.isArray(list[0]) ? [list] : (list as unknown[][]);
    return nested.map((hits) => (hits as { id: string | number }[]).map((h) => Number(h.id)));
}

async function timed<T>(timings: Record<string, number>, step: string, run: () => Promise<T>): Promise<T> {
    const t = Date.now();
    try {
        return await run();
    } finally {
        timings[step] = Date.now() - t;
    }
}

export async function waitIndexBuilt(client: MilvusClient, collection: string, field: string, timeoutSeconds: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
        const res = await call(`describeIndex ${collection}.${field}`, () => client.describeIndex({ collection_name: collection, field_name: field }));
        const d = res.index_descriptions[0];
        if (d?.state === "Failed") throw new Error(`index build on ${collection}.${field} failed: ${d.index_state_fail_reason}`);
        const pending = Number(d?.pending_index_rows ?? 0);
        if (d?.state === "Finished" && !(pending > 0)) return d.indexed_rows === undefined ? undefined : Number(d.indexed_rows);
        if (Date.now() > deadline) throw new Error(`index on ${collection}.${field} not built within ${timeoutSeconds}s (state ${d?.state ?? "unknown"})`);
        await new Promise((r) => setTimeout(r, delay));
    }
}

function indexReport(ix: VectorIndexSpec, dim?: number): CanaryIndexReport {
    return { field: ix.field, type: ix.type, metric: ix.metric, params: ix.params, searchParams: ix.searchParams, ...(dim ? { dim } : {}) };
}

/** A fresh, unused collection name: the canary must never land on an existing collection. */
export function canaryName(): string {
    return `milvus_gpu_canary_${randomBytes(6).toString("hex")}`;
}

/**
 * Drops a collection the step made under a fresh random name, also one whose create timed out
 * after succeeding (the name was free before, so whatever holds it now is ours). `wrap` lets a
 * caller time the drop.
 */
export async function dropOwnCollection(
    client: MilvusClient,
    name: string,
    created: boolean,
    wrap: (drop: () => Promise<unknown>) => Promise<unknown> = (drop) => drop(),
): Promise<{ removed: boolean; error?: string }> {
    const exists =
        created ||
        (await client
            .hasCollection({ collection_name: name })
            .then((r) => r.value === true)
            .catch(() => false));
    if (!exists) return { removed: false };
    try {
        await wrap(() => call(`drop ${name}`, () => client.dropCollection({ collection_name: name })));
        return { removed: true };
    } catch (e) {
        return { removed: false, error: (e as Error).message };
    }
}

/**
 * Runs one canary end to end and always tries to remove it. Failures are recorded in the
 * returned report (passed=false) rather than thrown, so every canary reports.
 */
export async function runCanary(client: MilvusClient, target: CanaryTarget, verify: VerifySpec, log: (line: string) => void = () => {}): Promise<CanaryReport> {
    const name = canaryName();
    const sparseOnly = isSparseIndexType(target.index.type);
    const report: CanaryReport = {
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
    const t = report.timingsMs;
    const k = verify.topK;
    const denseField = sparseOnly ? undefined : "dense";
    const sparseField = sparseOnly || target.sparse ? "sparse" : undefined;
    const sparseIndex = sparseOnly ? target.index : target.sparse;
    let created = false;
    log(`canary ${name}: ${target.index.type}/${target.index.metric}`);
    try {
        const exists = await call(`hasCollection ${name}`, () => client.hasCollection({ collection_name: name }));
        if (exists.value) throw new Error(`canary name ${name} is already taken; not touching it`);
        await timed(t, "create", () =>
            call(`create canary ${name}`, () =>
                client.createCollection({
                    collection_name: name,
                    description: "temporary canary of the milvus-gpu schema step; safe to drop",
                    consistency_level: "Strong",
                    fields: [
                        { name: "id", data_type: DataType.Int64, is_primary_key: true, autoID: false },
                        { name: "category", data_type: DataType.VarChar, max_length: 16 },
                        { name: "year", data_type: DataType.Int32 },
                        ...(denseField ? [{ name: denseField, data_type: DataType.FloatVector, dim: target.dim }] : []),
                        ...(sparseField ? [{ name: sparseField, data_type: DataType.SparseFloatVector }] : []),
                    ],
                }),
            ),
        );
        created = true;

        const data = makeData(target, verify.canaryRows, verify.seed);
        await timed(t, "insert", async () => {
            for (let start = 0; start < verify.canaryRows; start += INSERT_BATCH) {
                const rows: RowData[] = [];
                for (let i = start; i < Math.min(start + INSERT_BATCH, verify.canaryRows); i++) {
                    rows.push({
                        id: i,
                        category: data.category[i],
                        year: data.year[i],
                        ...(denseField ? { [denseField]: data.dense![i] } : {}),
                        ...(sparseField ? { [sparseField]: data.sparse![i] } : {}),
                    });
                }
                const res = await call(`insert into ${name}`, () => client.insert({ collection_name: name, data: rows }));
                if (Number(res.insert_cnt) !== rows.length) throw new Error(`insert into ${name}: ${res.insert_cnt} of ${rows.length} rows accepted`);
            }
        });
        await timed(t, "flush", () => call(`flush ${name}`, () => client.flushSync({ collection_names: [name] })));

        await timed(t, "index", async () => {
            for (const [field, ix] of [
                [denseField, sparseOnly ? undefined : target.index],
                [sparseField, sparseIndex],
            ] as const) {
                if (!field || !ix) continue;
                await call(`create ${ix.type} index on ${name}.${field}`, () =>
                    client.createIndex({ collection_name: name, field_name: field, index_type: ix.type, metric_type: ix.metric, params: ix.params }),
                );
                const built = await waitIndexBuilt(client, name, field, verify.stepTimeoutSeconds);
                if (field === (denseField ?? sparseField)) report.index.indexedRows = built;
                else if (report.sparseIndex) report.sparseIndex.indexedRows = built;
            }
        });
        for (const ix of [report.index, report.sparseIndex]) {
            if (ix?.indexedRows !== undefined && ix.indexedRows < verify.canaryRows) {
                // Milvus leaves small segments unindexed and searches them exhaustively.
                report.notes.push(`the server indexed ${ix.indexedRows} of ${verify.canaryRows} rows of ${ix.field}; the rest were searched without the ${ix.type} index`);
            }
        }
        await timed(t, "load", () => loadAndWait(client, name, verify.stepTimeoutSeconds));

        const queryRandom = seededRandom(verify.seed ^ 0x5eed);
        const nq = verify.queries;
        const search = async (field: string, ix: VectorIndexSpec, vectors: number[][] | SparseVector[], filter?: string, params = ix.searchParams): Promise<number[][]> => {
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
        const inFilter = (i: number) => data.category[i] === FILTER.category && data.year[i] >= FILTER.minYear;

        const unfilteredParams = canarySearchParams(target.index, verify.canaryRows, k);
        if (denseField) {
            const ix = target.index;
            const filteredParams = canarySearchParams(ix, verify.canaryRows, k, canaryFilterShare());
            for (const note of new Set([unfilteredParams.note, filteredParams.note])) if (note) report.notes.push(note);
            // Queries come from the same clusters as the data, as real queries resemble the corpus.
            const queries = clusteredVectors(nq, target.dim!, queryRandom, { clusters: 0, centres: data.centres! }).vectors;
            const score = (q: number[], r: number[]) => similarity(ix.metric, q, r);
            const got = await timed(t, "search", () => search(denseField, ix, queries, undefined, unfilteredParams.searchParams));
            report.recall = recallAtK(got, queries.map((q) => exactTopK(q, data.dense!, k, score)));
            const filter = `category == "${FILTER.category}" and year >= ${FILTER.minYear}`;
            const gotFiltered = await timed(t, "filteredSearch", () => search(denseField, ix, queries, filter, filteredParams.searchParams));
            report.filterRespected = gotFiltered.every((ids) => ids.every(inFilter));
            report.filteredRecall = recallAtK(gotFiltered, queries.map((q) => exactTopK(q, data.dense!, k, score, inFilter)));
        }
        if (sparseField && sparseIndex) {
            const queries = sparseVectors(nq, SPARSE_DIMS, SPARSE_NONZERO * 2, queryRandom);
            const got = await timed(t, "sparseSearch", () => search(sparseField, sparseIndex, queries));
            // Rows sharing no dimension with the query score 0 and are not true neighbours.
            report.sparseRecall = recallAtK(
                got,
                queries.map((q) => exactTopK(q, data.sparse!, k, sparseDot, (i) => sparseDot(q, data.sparse![i]) > 0)),
            );
            if (sparseOnly) report.recall = report.sparseRecall;
        }
        if (denseField && sparseField && sparseIndex) {
            // Query with stored rows' own vectors: both sub-searches put that row first, so the fused ranking must too.
            const rowsAsked = Array.from({ length: nq }, (_, q) => Math.floor((q * verify.canaryRows) / nq));
            let hits = 0;
            await timed(t, "hybridSearch", async () => {
                for (const row of rowsAsked) {
                    const res = await call(`hybrid search ${name}`, () =>
                        client.hybridSearch({
                            collection_name: name,
                            data: [
                                { anns_field: denseField, data: data.dense![row], params: { ...unfilteredParams.searchParams, metric_type: target.index.metric } },
                                { anns_field: sparseField, data: data.sparse![row], params: { ...sparseIndex.searchParams, metric_type: sparseIndex.metric } },
                            ],
                            limit: k,
                            output_fields: ["id"],
                            rerank: WeightedRanker(HYBRID_WEIGHTS),
                            consistency_level: ConsistencyLevelEnum.Strong,
                        }),
                    );
                    const ids = idsPerQuery(res.results, 1)[0];
                    if (ids[0] === row) hits++;
                }
            });
            report.hybridTop1 = hits / rowsAsked.length;
        }

        const threshold = verify.recallThreshold;
        const below = (what: string, r: number | undefined, hint?: string) => {
            if (r !== undefined && r < threshold) report.failures.push(`${what} ${r.toFixed(3)} is below the threshold ${threshold}${hint ? `; ${hint}` : ""}`);
        };
        const raise = recallSetting(target.index);
        below(`recall@${k}`, report.recall, sparseOnly ? undefined : raise);
        below(`filtered recall@${k}`, report.filteredRecall, raise);
        if (!sparseOnly) below(`sparse recall@${k}`, report.sparseRecall);
        below("hybrid top-1 rate", report.hybridTop1);
        if (report.filterRespected === false) report.failures.push("filtered search returned rows that do not match the filter");
    } catch (e) {
        report.failures.push((e as Error).message);
    } finally {
        const dropped = await dropOwnCollection(client, name, created, (drop) => timed(t, "drop", drop));
        report.removed = dropped.removed;
        if (dropped.error) report.failures.push(`could not remove canary ${name}: ${dropped.error}`);
    }
    report.passed = report.failures.length === 0;
    return report;
}
