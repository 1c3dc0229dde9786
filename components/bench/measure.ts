/**
 * Closed-loop load: `concurrency` workers each send one search, wait for its answer and send
 * the next, for a fixed time. Every client measured (the Node SDK here, pymilvus in its own
 * process) walks the same query list in the same order and is summarised the same way.
 */
export interface LatencySummary {
    p50: number;
    p95: number;
    p99: number;
    mean: number;
    max: number;
}

export interface LevelResult {
    concurrency: number;
    /** Query vectors in each search request (nq); QPS counts queries, latency is per request. */
    queriesPerRequest: number;
    /** Measured wall time, seconds (the warm-up excluded). */
    seconds: number;
    /** Search requests answered successfully while measuring. */
    requests: number;
    errors: number;
    /** Queries (not requests) answered per second. */
    qps: number;
    /** Milliseconds per request, successful ones only. */
    latencyMs: LatencySummary;
    firstError?: string;
}

/** Nearest-rank percentile of ascending `sorted` values (0 when empty). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
    if (sorted.length === 0) return 0;
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarise(latenciesMs: number[]): LatencySummary {
    const sorted = Float64Array.from(latenciesMs).sort();
    const sum = sorted.reduce((s, x) => s + x, 0);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return {
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        mean: round(sorted.length ? sum / sorted.length : 0),
        max: round(sorted.length ? sorted[sorted.length - 1] : 0),
    };
}

export interface LoadOptions {
    concurrency: number;
    durationSeconds: number;
    /** Searches per worker sent before the clock starts (connections, caches). */
    warmupPerWorker?: number;
    /** Ends the level early (the result covers the time measured so far). */
    signal?: AbortSignal;
    /** Query vectors per request, for counting QPS (default 1). */
    queriesPerRequest?: number;
}

/** A level's result with its raw latencies, so runs split in parts can be merged. */
export interface LevelSamples {
    result: LevelResult;
    latenciesMs: number[];
}

function resultOf(concurrency: number, nq: number, seconds: number, latencies: number[], errors: number, firstError?: string): LevelResult {
    return {
        concurrency,
        queriesPerRequest: nq,
        seconds: Math.round(seconds * 1000) / 1000,
        requests: latencies.length,
        errors,
        qps: Math.round(((latencies.length * nq) / seconds) * 10) / 10,
        latencyMs: summarise(latencies),
        ...(firstError ? { firstError } : {}),
    };
}

/** One result from parts measured at the same concurrency (e.g. before and after another client's turn). */
export function mergeLevels(parts: LevelSamples[]): LevelSamples {
    const latenciesMs = parts.flatMap((p) => p.latenciesMs);
    const seconds = parts.reduce((s, p) => s + p.result.seconds, 0);
    const errors = parts.reduce((s, p) => s + p.result.errors, 0);
    const firstError = parts.find((p) => p.result.firstError)?.result.firstError;
    const { concurrency, queriesPerRequest } = parts[0].result;
    return { result: resultOf(concurrency, queriesPerRequest, seconds, latenciesMs, errors, firstError), latenciesMs };
}

/**
 * Runs `search(requestIndex)` in a closed loop; request indexes go 0, 1, 2, ... across all
 * workers, modulo `requestCount`. A failed search counts as an error and the loop goes on.
 */
export async function measureLevel(search: (request: number) => Promise<unknown>, requestCount: number, options: LoadOptions): Promise<LevelResult> {
    return (await measureLevelSamples(search, requestCount, options)).result;
}

export async function measureLevelSamples(search: (request: number) => Promise<unknown>, requestCount: number, options: LoadOptions): Promise<LevelSamples> {
    const { concurrency, durationSeconds } = options;
    let next = 0;
    const take = () => next++ % requestCount;
    const warmup = options.warmupPerWorker ?? 2;
    await Promise.all(
        Array.from({ length: concurrency }, async () => {
            for (let i = 0; i < warmup; i++) await search(take()).catch(() => undefined);
        }),
    );
    next = 0;
    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    const started = performance.now();
    const deadline = started + durationSeconds * 1000;
    await Promise.all(
        Array.from({ length: concurrency }, async () => {
            while (performance.now() < deadline && !options.signal?.aborted) {
                const t = performance.now();
                try {
                    await search(take());
                    latencies.push(performance.now() - t);
                } catch (e) {
                    errors++;
                    firstError ??= e instanceof Error ? e.message.split("\n")[0] : String(e);
                }
            }
        }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { result: resultOf(concurrency, options.queriesPerRequest ?? 1, seconds, latencies, errors, firstError), latenciesMs: latencies };
}
