/**
 * Benchmark of a Milvus deployment on seeded synthetic data: ingest, index build and load
 * times, QPS and latency percentiles per concurrency level (Node SDK, and pymilvus on the
 * same searches), filtered search, recall against exact search. Embedded Milvus Lite by
 * default; `--address` or `--stack` for a real deployment. See USAGE.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { logger as sdkLogger } from "@zilliz/milvus2-sdk-node";
import { ConfigError, ConfigErrors, isInputError } from "../components/errors";
import { accessDiagnosis, checkTlsChoice, ConnectionOptions, createClient, readCaFile, specCapabilityProblems, waitForHealthy } from "../components/schema";
import { ProblemList } from "../components/configSchema";
import { formatBenchReport } from "./bench/format";
import { runBench } from "../components/bench/run";
import { BenchWorkload, DEFAULT_WORKLOAD, parseBenchWorkload, RawBenchIndex, RawBenchWorkload } from "../components/bench/workload";
import { renderBenchChart } from "./bench/chart";
import { PymilvusComparison } from "./bench/pymilvus";
import { stackBenchTarget } from "./bench/stackTarget";
import { MilvusLite, startMilvusLite } from "./milvus-lite";
import { PROJECT_ROOT, readStackConfig } from "./stackFile";

const d = DEFAULT_WORKLOAD;
const USAGE = `usage: npm run bench -- [--embedded | --address <host:port> | --stack <name>] [--token <t>] [--tls] [options]
  target   --embedded (default): Milvus Lite from .venv on a free loopback port
           --address host:port [--token user:password] [--tls]   any Milvus (token defaults to $MILVUS_TOKEN)
           --tls-ca FILE  PEM of the CA that signed Milvus's certificate (implies --tls)
           --tls-server-name NAME  the host name the certificate carries, when it is not the address's host
           --stack <name>: address (unless --address) and declared dense indexes/dim from Pulumi.<name>.yaml
  data     --rows N (${d.rows})  --dim N (${d.dim})  --seed N (${d.seed})  --batch N rows per insert (${d.batchSize})
  index    --index TYPE (HNSW; repeat to compare several on the same data), per --index in order:
           --metric L2|IP|COSINE  --params '{"M":16,"efConstruction":200}'  --search-params '{"ef":64}'
  search   --top-k N (${d.topK})  --concurrency 1,4,16  --duration S per level (${d.durationSeconds})
           --nq N query vectors per request (${d.queriesPerRequest}; batched search above 1; QPS counts queries)
           --queries N distinct (${d.queries})  --recall-queries N (${d.recallQueries})  --filter EXPR ('${d.filter}'; '' for none)
           --no-pymilvus  skip the pymilvus side-by-side   --step-timeout S (${d.stepTimeoutSeconds})
  output   the table on stdout (progress on stderr); --json prints the report as JSON instead;
           --out DIR writes bench-<time>.json and .svg there (default bench-results/)`;

async function main(): Promise<number> {
    const { values } = parseArgs({
        allowNegative: true,
        options: {
            embedded: { type: "boolean", default: false },
            address: { type: "string" },
            token: { type: "string" },
            tls: { type: "boolean", default: false },
            "tls-ca": { type: "string" },
            "tls-server-name": { type: "string" },
            stack: { type: "string" },
            rows: { type: "string" },
            dim: { type: "string" },
            seed: { type: "string" },
            batch: { type: "string" },
            index: { type: "string", multiple: true },
            metric: { type: "string", multiple: true },
            params: { type: "string", multiple: true },
            "search-params": { type: "string", multiple: true },
            "top-k": { type: "string" },
            concurrency: { type: "string" },
            duration: { type: "string" },
            queries: { type: "string" },
            nq: { type: "string" },
            "recall-queries": { type: "string" },
            filter: { type: "string" },
            pymilvus: { type: "boolean", default: true },
            "step-timeout": { type: "string" },
            json: { type: "boolean", default: false },
            out: { type: "string" },
            help: { type: "boolean", default: false },
        },
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (values.embedded && (values.address || values.stack)) {
        console.error(`--embedded runs its own Milvus Lite; it cannot be combined with --address or --stack\n${USAGE}`);
        return 2;
    }
    if (!values.address && !values.stack && (values.tls || values["tls-ca"] || values["tls-server-name"])) {
        console.error(`the embedded Milvus Lite has no TLS; --tls, --tls-ca and --tls-server-name go with --address or --stack\n${USAGE}`);
        return 2;
    }
    const stack = values.stack ? stackBenchTarget(readStackConfig(values.stack)) : undefined;
    for (const s of stack?.skipped ?? []) console.error(`note: not benchmarked (another dim than the first declared index): ${s}`);
    const address = values.address ?? stack?.address;
    if (values.stack && !address) {
        console.error(`--stack ${values.stack}: no address in the stack file (${stack!.addressUnknown}); pass --address host:port`);
        return 2;
    }
    const given: RawBenchIndex[] = (values.index ?? []).map((type, i) => ({
        type,
        metric: values.metric?.[i],
        params: values.params?.[i],
        searchParams: values["search-params"]?.[i],
    }));
    if (!given.length && (values.metric || values.params || values["search-params"])) given.push({ metric: values.metric?.[0], params: values.params?.[0], searchParams: values["search-params"]?.[0] });
    const raw: RawBenchWorkload = {
        rows: values.rows,
        dim: values.dim ?? stack?.dim,
        seed: values.seed,
        batchSize: values.batch,
        indexes: given.length ? given : stack?.indexes,
        topK: values["top-k"],
        concurrency: values.concurrency,
        durationSeconds: values.duration,
        queries: values.queries,
        queriesPerRequest: values.nq,
        recallQueries: values["recall-queries"],
        filter: values.filter,
        stepTimeoutSeconds: values["step-timeout"],
    };
    let workload: BenchWorkload;
    let tlsCaPem: string | undefined;
    try {
        workload = parseBenchWorkload(raw);
        tlsCaPem = values["tls-ca"] !== undefined ? readCaFile(values["tls-ca"]) : undefined;
        const tlsProblems = new ProblemList();
        checkTlsChoice({ tls: values.tls || undefined, tlsCaPem, tlsServerName: values["tls-server-name"] }, tlsProblems);
        tlsProblems.throwIfAny();
    } catch (e) {
        if (e instanceof ConfigError || e instanceof ConfigErrors) {
            console.error(`invalid bench options:\n${e.message}`);
            return 2;
        }
        throw e;
    }

    // The SDK formats a debug line for every request and answer even when they are filtered
    // out (a measurable share of its per-call CPU); the bench reports every failure itself.
    sdkLogger.silent = true;
    const token = values.token ?? process.env.MILVUS_TOKEN ?? undefined;
    let lite: MilvusLite | undefined;
    let comparison: PymilvusComparison | undefined;
    const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
    // Ctrl-C stops at the next step and still drops the bench collection and stops Milvus Lite; twice quits at once.
    const abort = new AbortController();
    const interrupt = () => {
        log("interrupted: stopping, then dropping the bench collection (again to quit at once)");
        abort.abort();
        process.once("SIGINT", () => process.exit(130));
    };
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
    try {
        if (!address) {
            log("starting Milvus Lite on a free loopback port...");
            lite = await startMilvusLite();
            log(`Milvus Lite listening on ${lite.address} (pid ${lite.pid}, data in ${lite.dataDir})`);
        }
        const target = lite?.address ?? address!;
        const connection: ConnectionOptions = {
            address: target,
            ...(token ? { token } : {}),
            tls: values.tls,
            ...(tlsCaPem !== undefined ? { tlsCaPem } : {}),
            ...(values["tls-server-name"] !== undefined ? { tlsServerName: values["tls-server-name"] } : {}),
        };
        const client = createClient({ ...connection, rpcTimeoutMs: workload.stepTimeoutSeconds * 1000, lean: true });
        try {
            await waitForHealthy(client, target, { timeoutSeconds: 60, classify: accessDiagnosis(connection) });
            const version = (await client.getVersion().catch(() => undefined))?.version || "unknown";
            const unsupported = benchCapabilityProblems(workload, version);
            if (unsupported.length) {
                console.error(`Milvus at ${target} (${version}) cannot build what was asked; nothing was created:\n${unsupported.map((p) => `  - ${p}`).join("\n")}`);
                return 2;
            }
            if (values.pymilvus) {
                comparison = await PymilvusComparison.start(connection);
                log(`comparison client: ${comparison.name}`);
            }
            const report = await runBench(client, workload, { address: target, serverVersion: version, embedded: !!lite, comparison, log, signal: abort.signal });
            if (lite) report.memory.serverPeakRssMiB = peakRssMiB(lite.pid);
            if (comparison) report.memory.comparisonPeakRssMiB = await comparison.peakRssMiB().catch(() => undefined);

            const outDir = resolve(values.out ?? join(PROJECT_ROOT, "bench-results"));
            mkdirSync(outDir, { recursive: true });
            const stem = join(outDir, `bench-${report.startedAt.replace(/[:.]/g, "-")}`);
            writeFileSync(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
            if (report.indexes.length) writeFileSync(`${stem}.svg`, await renderBenchChart(report));
            log(`wrote ${stem}.json${report.indexes.length ? ` and ${stem}.svg` : ""}`);
            console.log(values.json ? JSON.stringify(report, null, 2) : formatBenchReport(report));
            return abort.signal.aborted ? 130 : report.passed ? 0 : 1;
        } finally {
            await client.closeConnection().catch(() => undefined);
        }
    } finally {
        await comparison?.close();
        await lite?.stop();
    }
}

/** The capability table's objections to the indexes asked for, against the server's version (none when it names no version). */
function benchCapabilityProblems(workload: BenchWorkload, version: string): string[] {
    const collections = workload.indexes.map((ix, i) => ({
        name: `bench_${i}`,
        fields: [
            { name: "id", type: "INT64" as const, primary: true },
            { name: "vector", type: "FLOAT_VECTOR" as const, dim: workload.dim },
        ],
        enableDynamicField: false,
        vectorIndexes: [{ field: "vector", ...ix }],
        scalarIndexes: [],
        partitions: [],
        aliases: [],
        load: true,
    }));
    const problems = specCapabilityProblems({ collections }, { version }, "bench");
    // A server that names no readable version is benchmarked as asked.
    if (problems.some((p) => p.field.endsWith("(server version)"))) return [];
    return problems.map((p) => {
        const i = Number(/collections\[(\d+)\]/.exec(p.field)?.[1] ?? 0);
        return `${p.field.endsWith(".metric") ? "--metric" : "--index"} ${String(p.value)} (index ${i + 1} of ${workload.indexes.length}): expected ${p.allowed}`;
    });
}

/** Peak resident set (VmHWM) of a live process, MiB; Linux only. */
function peakRssMiB(pid: number): number | undefined {
    try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : undefined;
    } catch {
        return undefined;
    }
}

main().then(
    (code) => process.exit(code),
    (e) => {
        // Bad input (unknown flags, a bad stack file) exits 2 with its message; anything else 1.
        console.error(e instanceof Error ? e.message : e);
        process.exit(isInputError(e) ? 2 : 1);
    },
);
