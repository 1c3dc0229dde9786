import { LevelResult } from "./measure";
import { BenchIndex, BenchWorkload } from "./workload";

/**
 * What a benchmark run measured. Plain JSON (the `--json` output and the chart's input);
 * all durations in milliseconds unless the name says otherwise.
 */
export interface ClientLevels {
    concurrency: number;
    node: LevelResult;
    /** The same searches through the comparison client (pymilvus), when it ran. */
    comparison?: LevelResult;
    /** node.qps / comparison.qps. */
    ratio?: number;
}

export interface BenchIndexResult {
    index: BenchIndex;
    label: string;
    buildMs: number;
    loadMs: number;
    /** As the server reports after the build (small segments may stay unindexed). */
    indexedRows?: number;
    levels: ClientLevels[];
    /** Filtered search through the Node SDK, per concurrency level. */
    filtered: LevelResult[];
    /** recall@topK of `recallQueries` queries against exact search. */
    recall?: number;
    filteredRecall?: number;
    failures: string[];
}

export interface BenchReport {
    kind: "milvus-gpu-bench";
    startedAt: string;
    finishedAt: string;
    target: { address: string; serverVersion: string; embedded: boolean };
    machine: { cpus: number; cpuModel: string; loadAverageStart: number[]; loadAverageEnd: number[]; node: string; platform: string };
    workload: BenchWorkload;
    /** The comparison client's name and version, e.g. "pymilvus 3.0.2". */
    comparisonClient?: string;
    collection: string;
    removed: boolean;
    ingest: {
        rows: number;
        batches: number;
        /** Wall time of generating and inserting every batch. */
        insertMs: number;
        rowsPerSecond: number;
        /** Part of insertMs spent generating the synthetic rows in this process. */
        generateMs: number;
        flushMs: number;
    };
    /** The exact-search pass (data generated again, scored in process). */
    groundTruthMs: number;
    rowsPassingFilter?: number;
    indexes: BenchIndexResult[];
    memory: {
        /** Upper bound of vector data this process holds at once (batches being generated or in flight). */
        vectorsInFlightCeilingMiB: number;
        /** Peak resident memory of the bench process (whole run). */
        benchPeakRssMiB: number;
        /** Peak resident memory of the embedded Milvus Lite server, when the bench started it. */
        serverPeakRssMiB?: number;
        /** Peak resident memory of the comparison client's process. */
        comparisonPeakRssMiB?: number;
    };
    totalMs: number;
    passed: boolean;
    failures: string[];
}
