import { ConsistencyLevelEnum, MilvusClient, RowData } from "@zilliz/milvus2-sdk-node";
import { cpus, loadavg } from "node:os";
import { idsPerQuery, ThrowawayCollection } from "../schema/verify/throwaway";
import { loadAndWait, waitIndexBuilt } from "../schema/collections/load";
import { call, check } from "../schema/server/rpc";
import { recallAtK } from "../schema/verify/synthetic";
import { dataCentres, DataShape, queryVectors, rowBatches } from "./data";
import { parseFilter } from "./filter";
import { ExactSearch } from "./groundTruth";
import { measureLevel, measureLevelSamples, mergeLevels, LevelSamples } from "./measure";
import { BenchIndexResult, BenchReport } from "./report";
import { BenchIndex, BenchWorkload, indexLabel } from "./workload";

/** A second client measured on the same searches, level by level, right after the Node SDK. */
export interface SearchComparison {
    name: string;
    measureLevel(level: ComparisonLevel): Promise<LevelSamples>;
    close?(): Promise<void>;
}

export interface ComparisonLevel {
    collection: string;
    field: string;
    queries: number[][];
    topK: number;
    index: BenchIndex;
    concurrency: number;
    durationSeconds: number;
    warmupPerWorker: number;
    queriesPerRequest: number;
}

export interface BenchOptions {
    address: string;
    serverVersion?: string;
    embedded?: boolean;
    comparison?: SearchComparison;
    /** Progress lines, one per phase (and every few seconds of a long insert). */
    log?: (line: string) => void;
    /** Stops the run at the next step (Ctrl-C): the bench collection is still dropped. */
    signal?: AbortSignal;
}

export class BenchInterruptedError extends Error {
    constructor() {
        super("interrupted before the end of the run");
        this.name = "BenchInterruptedError";
    }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new BenchInterruptedError();
}

/** Settles with `work`, or rejects as soon as `signal` aborts (the server-side work goes on; the collection is dropped after). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return work;
    throwIfAborted(signal);
    return new Promise<T>((res, rej) => {
        const onAbort = () => rej(new BenchInterruptedError());
        signal.addEventListener("abort", onAbort, { once: true });
        work.then(res, rej).finally(() => signal.removeEventListener("abort", onAbort));
    });
}

const VECTOR = "vector";
const WARMUP_PER_WORKER = 3;
/** Inserts kept in flight while the next batch is generated. */
const INSERTS_IN_FLIGHT = 2;
/**
 * Live bytes per vector value of a batch, measured (a 20,000 x 384 run at batch 1,000 fits a
 * 160 MiB V8 heap, not 128; batch 2,000 not 192): our number[] rows, the SDK's column copy,
 * the JSON string its retry interceptor builds of every request for a debug line, and
 * protobufjs's writer. The process itself adds ~70 MiB (SDK, protos, tsx).
 */
const BYTES_PER_VALUE_IN_FLIGHT = 64;
const RECALL_BATCH = 10;

/** The most vector data the bench holds at once, MiB: it depends on batch size and dim, not on rows. */
export function vectorsInFlightCeilingMiB(w: Pick<BenchWorkload, "batchSize" | "dim">): number {
    return Math.round((((INSERTS_IN_FLIGHT + 1) * w.batchSize * w.dim * BYTES_PER_VALUE_IN_FLIGHT) / 2 ** 20) * 10) / 10;
}

function rssMiB(kb: number): number {
    return Math.round((kb / 1024) * 10) / 10;
}

function fmt(n: number): string {
    return Math.round(n).toLocaleString("en-US");
}

/**
 * The whole benchmark on a collection of its own (a canary name, never the user's data),
 * always dropped at the end: ingest in bounded batches, flush, then per index build, load,
 * closed-loop search at each concurrency level (and the comparison client right after),
 * filtered search, and recall against exact search. Errors end up in `failures`.
 */
export async function runBench(client: MilvusClient, workload: BenchWorkload, options: BenchOptions): Promise<BenchReport> {
    const log = options.log ?? (() => {});
    const t0 = Date.now();
    const shape: DataShape = { rows: workload.rows, dim: workload.dim, seed: workload.seed };
    const collection = new ThrowawayCollection(client, {
        role: "bench collection",
        description: "temporary benchmark collection of milvus-gpu; safe to drop",
        vectors: [{ name: VECTOR, kind: "dense", dim: workload.dim }],
    });
    const name = collection.name;
    const report: BenchReport = {
        kind: "milvus-gpu-bench",
        startedAt: new Date().toISOString(),
        finishedAt: "",
        target: { address: options.address, serverVersion: options.serverVersion ?? "unknown", embedded: options.embedded ?? false },
        machine: {
            cpus: cpus().length,
            cpuModel: cpus()[0]?.model ?? "unknown",
            loadAverageStart: loadavg().map((x) => Math.round(x * 100) / 100),
            loadAverageEnd: [],
            node: process.version,
            platform: `${process.platform}-${process.arch}`,
        },
        workload,
        ...(options.comparison ? { comparisonClient: options.comparison.name } : {}),
        collection: name,
        removed: false,
        ingest: { rows: workload.rows, batches: 0, insertMs: 0, rowsPerSecond: 0, generateMs: 0, flushMs: 0 },
        groundTruthMs: 0,
        indexes: [],
        memory: { vectorsInFlightCeilingMiB: vectorsInFlightCeilingMiB(workload), benchPeakRssMiB: 0 },
        totalMs: 0,
        passed: false,
        failures: [],
    };
    const filter = workload.filter.trim() ? workload.filter : undefined;
    try {
        log(`create collection ${name} (${fmt(workload.rows)} rows x ${workload.dim} dims)`);
        await collection.create();

        const centres = dataCentres(shape);
        const signal = options.signal;
        await ingest(client, name, shape, workload, centres, report, log, signal);
        log("flush");
        const tf = Date.now();
        await abortable(call(`flush ${name}`, () => client.flushSync({ collection_names: [name] })), signal);
        report.ingest.flushMs = Date.now() - tf;

        log(`exact search for ${workload.recallQueries} queries over ${fmt(workload.rows)} rows (ground truth, in process)`);
        const queries = queryVectors(shape, workload.queries, centres);
        const tg = Date.now();
        const exact = new ExactSearch(
            queries.slice(0, workload.recallQueries),
            workload.topK,
            workload.indexes.map((ix) => ix.metric),
            filter ? parseFilter(filter) : undefined,
        );
        for (const batch of rowBatches(shape, workload.batchSize, centres)) {
            exact.add(batch);
            // Lets a Ctrl-C through during a long pass.
            await new Promise((r) => setImmediate(r));
            throwIfAborted(signal);
        }
        const truth = exact.answers();
        report.groundTruthMs = Date.now() - tg;
        if (filter) report.rowsPassingFilter = truth.rowsPassingFilter;

        for (const [i, index] of workload.indexes.entries()) {
            const result = await measureIndex(client, name, workload, index, i > 0, queries, options.comparison, log, signal);
            result.recall = recallAtK(await searchAll(client, name, workload, index, queries.slice(0, workload.recallQueries)), truth.all[index.metric]!);
            if (filter) {
                result.filteredRecall = recallAtK(
                    await searchAll(client, name, workload, index, queries.slice(0, workload.recallQueries), filter),
                    truth.filtered[index.metric]!,
                );
            }
            log(`  recall@${workload.topK} ${result.recall.toFixed(3)}${result.filteredRecall !== undefined ? `, filtered ${result.filteredRecall.toFixed(3)}` : ""}`);
            report.indexes.push(result);
            report.failures.push(...result.failures.map((f) => `${result.label}: ${f}`));
        }
    } catch (e) {
        report.failures.push((e as Error).message);
    } finally {
        const dropped = await collection.drop((drop) => (log(`drop collection ${name}`), drop()));
        report.removed = dropped.removed;
        if (dropped.error) report.failures.push(`could not remove bench collection ${name}: ${dropped.error}`);
    }
    report.machine.loadAverageEnd = loadavg().map((x) => Math.round(x * 100) / 100);
    report.memory.benchPeakRssMiB = rssMiB(process.resourceUsage().maxRSS);
    report.finishedAt = new Date().toISOString();
    report.totalMs = Date.now() - t0;
    report.passed = report.failures.length === 0;
    return report;
}

async function ingest(
    client: MilvusClient,
    name: string,
    shape: DataShape,
    workload: BenchWorkload,
    centres: number[][],
    report: BenchReport,
    log: (line: string) => void,
    signal: AbortSignal | undefined,
): Promise<void> {
    const started = Date.now();
    let generateMs = 0;
    let lastLog = started;
    let inserted = 0;
    const inFlight: Promise<void>[] = [];
    const batches = rowBatches(shape, workload.batchSize, centres);
    log(`insert ${fmt(shape.rows)} rows in batches of ${fmt(workload.batchSize)} (at most ~${report.memory.vectorsInFlightCeilingMiB} MiB of vectors held at once)`);
    for (;;) {
        throwIfAborted(signal);
        const tg = performance.now();
        const next = batches.next();
        generateMs += performance.now() - tg;
        if (next.done) break;
        const batch = next.value;
        const rows: RowData[] = batch.vectors.map((v, i) => ({ id: batch.start + i, category: batch.category[i], year: batch.year[i], [VECTOR]: v }));
        if (inFlight.length >= INSERTS_IN_FLIGHT) await inFlight.shift();
        inFlight.push(
            call(`insert into ${name}`, () => client.insert({ collection_name: name, data: rows })).then((res) => {
                if (Number(res.insert_cnt) !== rows.length) throw new Error(`insert into ${name}: ${res.insert_cnt} of ${rows.length} rows accepted`);
                inserted += rows.length;
            }),
        );
        // Handled here so a rejection waiting in the queue is not reported as unhandled; awaiting it still throws.
        inFlight[inFlight.length - 1].catch(() => undefined);
        report.ingest.batches++;
        if (Date.now() - lastLog > 5000) {
            lastLog = Date.now();
            log(`  ${fmt(inserted)}/${fmt(shape.rows)} rows (${fmt(inserted / ((Date.now() - started) / 1000))} rows/s)`);
        }
    }
    await Promise.all(inFlight);
    report.ingest.insertMs = Date.now() - started;
    report.ingest.generateMs = Math.round(generateMs);
    report.ingest.rowsPerSecond = Math.round(shape.rows / (report.ingest.insertMs / 1000));
    log(`  ${fmt(shape.rows)} rows in ${(report.ingest.insertMs / 1000).toFixed(1)} s (${fmt(report.ingest.rowsPerSecond)} rows/s, generation ${(generateMs / 1000).toFixed(1)} s of it)`);
}

function searchRequest(name: string, workload: BenchWorkload, index: BenchIndex, data: number[][], filter?: string) {
    return {
        collection_name: name,
        anns_field: VECTOR,
        data,
        limit: workload.topK,
        metric_type: index.metric,
        params: index.searchParams,
        // The primary key only. (Milvus Lite answers an empty list with every field, vectors included.)
        output_fields: ["id"],
        // Every row was flushed before the index was built: nothing newer to wait for.
        consistency_level: ConsistencyLevelEnum.Bounded,
        ...(filter ? { filter } : {}),
    };
}

async function searchAll(client: MilvusClient, name: string, workload: BenchWorkload, index: BenchIndex, queries: number[][], filter?: string): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < queries.length; i += RECALL_BATCH) {
        const data = queries.slice(i, i + RECALL_BATCH);
        const res = await call(`search ${name}`, () => client.search(searchRequest(name, workload, index, data, filter)));
        out.push(...idsPerQuery(res.results, data.length));
    }
    return out;
}

async function measureIndex(
    client: MilvusClient,
    name: string,
    workload: BenchWorkload,
    index: BenchIndex,
    replacePrevious: boolean,
    queries: number[][],
    comparison: SearchComparison | undefined,
    log: (line: string) => void,
    signal: AbortSignal | undefined,
): Promise<BenchIndexResult> {
    const label = indexLabel(index);
    const result: BenchIndexResult = { index, label, buildMs: 0, loadMs: 0, levels: [], filtered: [], failures: [] };
    if (replacePrevious) {
        await call(`release ${name}`, () => client.releaseCollection({ collection_name: name }));
        await call(`drop index of ${name}`, () => client.dropIndex({ collection_name: name, field_name: VECTOR }));
    }
    log(`build ${label} index ${JSON.stringify(index.params)}`);
    const tb = Date.now();
    await call(`create ${index.type} index on ${name}`, () =>
        client.createIndex({ collection_name: name, field_name: VECTOR, index_type: index.type, metric_type: index.metric, params: index.params }),
    );
    const indexedRows = await abortable(waitIndexBuilt(client, name, VECTOR, workload.stepTimeoutSeconds), signal);
    result.buildMs = Date.now() - tb;
    if (indexedRows !== undefined) result.indexedRows = indexedRows;
    log(`  built in ${(result.buildMs / 1000).toFixed(1)} s${indexedRows !== undefined ? ` (${fmt(indexedRows)} rows indexed)` : ""}; load`);
    const tl = Date.now();
    await abortable(loadAndWait(client, name, workload.stepTimeoutSeconds), signal);
    result.loadMs = Date.now() - tl;

    const nq = workload.queriesPerRequest;
    // Request r carries queries r*nq .. r*nq+nq-1 (modulo the list), on every client alike.
    const search = (filter?: string) => (r: number) =>
        client
            .search(searchRequest(name, workload, index, Array.from({ length: nq }, (_, i) => queries[(r * nq + i) % queries.length]), filter))
            .then((res) => check(`search ${name}`, res));
    const filter = workload.filter.trim() ? workload.filter : undefined;
    for (const concurrency of workload.concurrency) {
        throwIfAborted(signal);
        const load = { concurrency, durationSeconds: workload.durationSeconds, warmupPerWorker: WARMUP_PER_WORKER, queriesPerRequest: nq, signal };
        let levels: BenchIndexResult["levels"][number];
        let line: string;
        if (!comparison) {
            const node = await measureLevel(search(), queries.length, load);
            levels = { concurrency, node };
            line = `  search c=${concurrency}: node ${node.qps} QPS p99 ${node.latencyMs.p99} ms`;
        } else {
            // Node, the other client, the other client, Node, each half the time: drift of the
            // server or the machine (other load, background work) weighs on both alike.
            const half = { ...load, durationSeconds: load.durationSeconds / 2 };
            const other = (): Promise<LevelSamples> => comparison.measureLevel({ collection: name, field: VECTOR, queries, topK: workload.topK, index, ...half });
            const nodeParts = [await measureLevelSamples(search(), queries.length, half)];
            let otherResult: BenchIndexResult["levels"][number]["comparison"];
            try {
                const otherParts = [await other(), await other()];
                otherResult = mergeLevels(otherParts).result;
            } catch (e) {
                result.failures.push(`${comparison.name} at concurrency ${concurrency}: ${(e as Error).message}`);
            }
            nodeParts.push(await measureLevelSamples(search(), queries.length, half));
            const node = mergeLevels(nodeParts).result;
            levels = { concurrency, node };
            line = `  search c=${concurrency}: node ${node.qps} QPS p99 ${node.latencyMs.p99} ms`;
            if (otherResult) {
                levels.comparison = otherResult;
                levels.ratio = otherResult.qps > 0 ? Math.round((node.qps / otherResult.qps) * 1000) / 1000 : undefined;
                line += `, ${comparison.name} ${otherResult.qps} QPS p99 ${otherResult.latencyMs.p99} ms (node/${comparison.name.split(" ")[0]} ${levels.ratio ?? "-"})`;
            }
        }
        log(line);
        for (const r of [levels.node, levels.comparison]) {
            if (r?.errors) result.failures.push(`${r.errors} failed searches at concurrency ${concurrency} (first: ${r.firstError})`);
        }
        result.levels.push(levels);
        if (filter) {
            const f = await measureLevel(search(filter), queries.length, load);
            log(`  filtered c=${concurrency}: node ${f.qps} QPS p99 ${f.latencyMs.p99} ms`);
            if (f.errors) result.failures.push(`${f.errors} failed filtered searches at concurrency ${concurrency} (first: ${f.firstError})`);
            result.filtered.push(f);
        }
    }
    return result;
}
