import { ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface, Interface } from "node:readline";
import { LevelResult, LevelSamples } from "../../components/bench/measure";
import { ConnectionOptions, usesTls } from "../../components/schema";
import { ComparisonLevel, SearchComparison } from "../../components/bench/run";

export const DEFAULT_PYTHON = resolve(__dirname, "..", "..", ".venv", "bin", "python");
const SCRIPT = join(__dirname, "pymilvus_search.py");

interface Reply {
    ok: boolean;
    error?: string;
    version?: string;
    result?: LevelResult;
    latenciesMs?: number[];
    peakRssKiB?: number | null;
}

/**
 * pymilvus in a long-lived Python process of its own (the project venv), driven one JSON
 * line at a time, so its start-up and connection are never inside a measured level.
 */
export class PymilvusComparison implements SearchComparison {
    name = "pymilvus";
    private readonly dir = mkdtempSync(join(tmpdir(), "bench-pymilvus-"));
    private readonly queryFiles = new WeakMap<number[][], string>();
    private pending: ((reply: Reply) => void)[] = [];
    private stderr = "";

    private constructor(
        private readonly child: ChildProcessWithoutNullStreams,
        lines: Interface,
    ) {
        lines.on("line", (line) => this.pending.shift()?.(JSON.parse(line) as Reply));
        child.stderr.on("data", (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
        child.on("exit", (code) => {
            for (const p of this.pending.splice(0)) p({ ok: false, error: `pymilvus process exited (${code}): ${this.stderr.trim().split("\n").pop() ?? ""}` });
        });
    }

    static async start(options: ConnectionOptions & { python?: string }): Promise<PymilvusComparison> {
        const python = options.python ?? process.env.BENCH_PYTHON ?? DEFAULT_PYTHON;
        if (!existsSync(python)) throw new Error(`no Python at ${python}: the pymilvus side-by-side runs from the project venv (npm run milvus:install), or pass --no-pymilvus`);
        const child = spawn(python, ["-u", SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
        const me = new PymilvusComparison(child, createInterface({ input: child.stdout }));
        // pymilvus reads the CA from a file; it goes in the comparison's own temp dir, removed on close.
        const caFile = options.tlsCaPem !== undefined ? join(me.dir, "ca.pem") : undefined;
        if (caFile) writeFileSync(caFile, options.tlsCaPem!, { mode: 0o600 });
        const reply = await me.request({
            op: "connect",
            address: options.address,
            token: options.token ?? "",
            tls: usesTls(options),
            caFile: caFile ?? "",
            serverName: options.tlsServerName ?? "",
        });
        me.name = `pymilvus ${reply.version}`;
        return me;
    }

    private request(message: Record<string, unknown>): Promise<Reply> {
        return new Promise((res, rej) => {
            this.pending.push((reply) => (reply.ok ? res(reply) : rej(new Error(reply.error ?? "pymilvus request failed"))));
            this.child.stdin.write(`${JSON.stringify(message)}\n`);
        });
    }

    private queriesFile(queries: number[][]): string {
        let file = this.queryFiles.get(queries);
        if (!file) {
            file = join(this.dir, `queries-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
            writeFileSync(file, JSON.stringify(queries));
            this.queryFiles.set(queries, file);
        }
        return file;
    }

    async measureLevel(level: ComparisonLevel): Promise<LevelSamples> {
        const reply = await this.request({
            op: "level",
            collection: level.collection,
            field: level.field,
            queriesFile: this.queriesFile(level.queries),
            topK: level.topK,
            metric: level.index.metric,
            searchParams: level.index.searchParams,
            concurrency: level.concurrency,
            durationSeconds: level.durationSeconds,
            warmupPerWorker: level.warmupPerWorker,
            queriesPerRequest: level.queriesPerRequest,
        });
        return { result: reply.result!, latenciesMs: reply.latenciesMs ?? [] };
    }

    async peakRssMiB(): Promise<number | undefined> {
        const reply = await this.request({ op: "stats" });
        return reply.peakRssKiB ? Math.round((reply.peakRssKiB / 1024) * 10) / 10 : undefined;
    }

    async close(): Promise<void> {
        if (this.child.exitCode === null) {
            await this.request({ op: "close" }).catch(() => undefined);
            this.child.kill();
        }
        rmSync(this.dir, { recursive: true, force: true });
    }
}
