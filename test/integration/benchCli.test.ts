import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BenchReport } from "../../components/bench/report";
import { LatencySummary, LevelResult } from "../../components/bench/measure";
import { MilvusTarget, startTarget, targetKind } from "./milvusTarget";
import { stillOnServer, throwawayNames } from "./throwaway";

const root = resolve(__dirname, "../..");

// As `npm run bench` runs it: one Node process with tsx's loader (no tsx CLI parent in between,
// which would SIGKILL a child that takes more than 30 ms to acknowledge a Ctrl-C).
const BENCH = ["--import", "tsx", join(root, "scripts/bench.ts")];

function bench(...args: string[]) {
    const res = spawnSync(process.execPath, [...BENCH, ...args], {
        cwd: root,
        encoding: "utf8",
        timeout: 170_000,
        env: { ...process.env, MILVUS_TOKEN: "" },
    });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function expectSaneLevel(r: LevelResult, concurrency: number) {
    expect(r.concurrency).toBe(concurrency);
    expect(r.qps).toBeGreaterThan(0);
    expect(r.requests).toBeGreaterThan(0);
    expect(r.errors).toBe(0);
    expect(r.seconds).toBeGreaterThan(0);
    const l: LatencySummary = r.latencyMs;
    expect(l.p50).toBeGreaterThan(0);
    expect(l.p50).toBeLessThanOrEqual(l.p95);
    expect(l.p95).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.max);
}

describe("npm run bench", () => {
    // On milvus-lite the bench starts Milvus Lite itself (--embedded, its default); on a server
    // target it is pointed at that server with --address and --token.
    let target: MilvusTarget | undefined;
    const embedded = targetKind() === "milvus-lite";
    const reach = (): string[] => (embedded ? ["--embedded"] : ["--address", target!.address, ...(target!.token ? ["--token", target!.token] : [])]);
    beforeAll(async () => {
        if (!embedded) target = await startTarget();
    });
    afterAll(async () => {
        await target?.stop();
    });

    it("--json: every figure, sane, the bench collection dropped, JSON and SVG written", () => {
        const out = mkdtempSync(join(tmpdir(), "bench-out-"));
        const r = bench(...reach(), "--rows", "3000", "--dim", "64", "--duration", "1", "--concurrency", "1,3", "--index", "HNSW", "--index", "FLAT", "--json", "--out", out);
        expect(r.code, r.stderr).toBe(0);
        // Progress lines, one per phase, on stderr.
        for (const phase of ["create collection", "insert 3,000 rows", "flush", "exact search", "build HNSW/COSINE", "build FLAT/COSINE", "search c=1", "filtered c=3", "drop collection"]) {
            expect(r.stderr).toContain(phase);
        }
        const report = JSON.parse(r.stdout) as BenchReport;
        expect(report).toMatchObject({ kind: "milvus-gpu-bench", passed: true, removed: true, failures: [], target: { embedded } });
        expect(report.comparisonClient).toMatch(/^pymilvus \d+\.\d+/);
        expect(report.ingest).toMatchObject({ rows: 3000, batches: 3 });
        expect(report.ingest.rowsPerSecond).toBeGreaterThan(0);
        expect(report.ingest.insertMs).toBeGreaterThanOrEqual(report.ingest.generateMs);
        expect(report.rowsPassingFilter).toBeGreaterThan(0);
        expect(report.rowsPassingFilter).toBeLessThan(3000);
        expect(report.memory.benchPeakRssMiB).toBeGreaterThan(0);
        if (embedded) expect(report.memory.serverPeakRssMiB).toBeGreaterThan(0);
        expect(report.indexes.map((i) => i.index.type)).toEqual(["HNSW", "FLAT"]);
        for (const ix of report.indexes) {
            expect(ix.buildMs).toBeGreaterThanOrEqual(0);
            expect(ix.levels.map((l) => l.concurrency)).toEqual([1, 3]);
            for (const l of ix.levels) {
                expectSaneLevel(l.node, l.concurrency);
                expectSaneLevel(l.comparison!, l.concurrency);
                expect(l.ratio).toBeCloseTo(l.node.qps / l.comparison!.qps, 2);
            }
            ix.filtered.forEach((f, i) => expectSaneLevel(f, [1, 3][i]));
            for (const recall of [ix.recall!, ix.filteredRecall!]) {
                expect(recall).toBeGreaterThanOrEqual(0);
                expect(recall).toBeLessThanOrEqual(1);
            }
        }
        // FLAT is exact search: the server must agree with the in-process ground truth.
        expect(report.indexes[1].recall).toBe(1);
        expect(report.indexes[1].filteredRecall).toBe(1);
        const files = readdirSync(out);
        expect(files.filter((f) => f.endsWith(".json"))).toHaveLength(1);
        const svg = files.find((f) => f.endsWith(".svg"))!;
        expect(readFileSync(join(out, svg), "utf8")).toContain("QPS vs p99 latency");
    });

    it("--nq sends batched requests on both clients and counts queries in QPS", () => {
        const r = bench(...reach(), "--rows", "500", "--dim", "8", "--duration", "1", "--concurrency", "2", "--nq", "4", "--index", "FLAT", "--filter", "", "--json", "--out", mkdtempSync(join(tmpdir(), "bench-nq-")));
        expect(r.code, r.stderr).toBe(0);
        const report = JSON.parse(r.stdout) as BenchReport;
        const [level] = report.indexes[0].levels;
        for (const side of [level.node, level.comparison!]) {
            expect(side.queriesPerRequest).toBe(4);
            expect(Math.abs(side.qps - (4 * side.requests) / side.seconds) / side.qps).toBeLessThan(0.01);
        }
        expect(report.indexes[0].filtered).toEqual([]);
        expect(report.indexes[0].recall).toBe(1);
    });

    it("Ctrl-C stops the run, still drops the bench collection (and stops the Milvus Lite it started), and exits 130", async () => {
        const child = spawn(process.execPath, [...BENCH, ...reach(), "--rows", "2000000", "--no-pymilvus", "--out", mkdtempSync(join(tmpdir(), "bench-int-"))], {
            cwd: root,
            env: { ...process.env, MILVUS_TOKEN: "" },
        });
        let stderr = "";
        const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
        await new Promise<void>((res) => {
            child.stderr.on("data", (d: Buffer) => {
                stderr += d.toString();
                // Interrupt once rows are going in: the collection exists by then.
                if (/insert 2,000,000 rows/.test(stderr)) res();
            });
        });
        child.kill("SIGINT");
        expect(await exited).toBe(130);
        expect(stderr).toContain("interrupted: stopping, then dropping the bench collection");
        expect(stderr).toMatch(/drop collection milvus_gpu_canary_[0-9a-f]+/);
        // The bench names its collection before creating it; that one (and any other it named) is gone.
        const made = throwawayNames(stderr);
        expect(made).toHaveLength(1);
        if (embedded) {
            const pid = Number(/Milvus Lite listening on \S+ \(pid (\d+)/.exec(stderr)![1]);
            expect(() => process.kill(pid, 0)).toThrow();
        } else {
            expect(await stillOnServer(target!.client(), made)).toEqual([]);
        }
    });

    it("exits 2 before creating anything when the server cannot build an index asked for", () => {
        const r = bench(...reach(), "--rows", "500", "--dim", "8", "--index", "GPU_CAGRA", "--metric", "L2", "--no-pymilvus", "--out", mkdtempSync(join(tmpdir(), "bench-cap-")));
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/cannot build what was asked; nothing was created/);
        expect(r.stderr).toMatch(/--index GPU_CAGRA \(index 1 of 1\): expected .*index type GPU_CAGRA (needs Milvus 2\.4\.0 or later|needs a GPU build of Milvus)/);
        expect(r.stderr).not.toContain("create collection");
    });

    it("exits 2 on an unknown flag, naming it, without a stack trace", () => {
        const r = bench("--rowz", "100");
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("--rowz");
        expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it("exits 2 naming every bad option before starting anything", () => {
        const r = bench("--rows", "5", "--index", "GPU_CAGRA", "--metric", "COSINE", "--concurrency", "0");
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("rows: invalid value \"5\"");
        expect(r.stderr).toContain("indexes[0].metric: invalid value \"COSINE\"; expected one of L2, IP for GPU_CAGRA");
        expect(r.stderr).toContain("concurrency[0]: invalid value \"0\"");
        expect(r.stderr).not.toContain("starting Milvus Lite");
    });

    it("--stack without an address in the stack file says how to give one", () => {
        const r = bench("--stack", "staging");
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("--stack staging: no address in the stack file");
        expect(r.stderr).toContain("pass --address host:port");
        expect(existsSync(join(root, "Pulumi.staging.yaml"))).toBe(true);
    });
});
