import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grafanaStartScript } from "../../../components/monitoring/grafana";

/*
 * Grafana's start script really runs (sh, with this machine's wget or curl and sha256sum) against
 * a dashboard served on loopback; a stand-in for Grafana's /run.sh records that it was started.
 */
const DASHBOARD = JSON.stringify({ title: "Milvus", panels: [] });
const SHA = createHash("sha256").update(DASHBOARD).digest("hex");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grafana-start-"));
let server: http.Server;
let base: string;
let hits = 0;

beforeAll(async () => {
    server = http.createServer((req, res) => {
        hits++;
        if (req.url === "/milvus-dashboard.json") res.end(DASHBOARD);
        else res.writeHead(404).end("not found");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fs.writeFileSync(path.join(dir, "run.sh"), '#!/bin/sh\necho "grafana started with $*"\n', { mode: 0o755 });
});
afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
});

function start(url: string, sha256: string | undefined, file: string): Promise<{ code: number; out: string }> {
    const script = path.join(dir, `start-${Math.random().toString(36).slice(2)}.sh`);
    // The config refuses http URLs; the script itself takes any URL, so loopback http serves the test.
    fs.writeFileSync(script, grafanaStartScript({ url, ...(sha256 ? { sha256 } : {}) }));
    return new Promise((resolve) =>
        execFile("/bin/sh", [script, "--homepath=/usr/share/grafana"], { env: { ...process.env, DASHBOARD_FILE: file, GRAFANA_RUN: path.join(dir, "run.sh") } }, (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
        ),
    );
}

describe("Grafana start script", () => {
    it("fetches the dashboard once, checks its sha256, records it, then starts Grafana with its arguments", async () => {
        const file = path.join(dir, "ok", "milvus.json");
        const first = await start(`${base}/milvus-dashboard.json`, SHA, file);
        expect(first.code, first.out).toBe(0);
        expect(JSON.parse(fs.readFileSync(file, "utf8")).title).toBe("Milvus");
        expect(fs.readFileSync(`${file}.sha256`, "utf8")).toBe(`${SHA}  ${base}/milvus-dashboard.json\n`);
        expect(first.out).toContain("grafana started with --homepath=/usr/share/grafana");
        const before = hits;
        const again = await start(`${base}/milvus-dashboard.json`, SHA, file);
        expect(again.code).toBe(0);
        expect(hits).toBe(before);
    });

    it("without a configured checksum: keeps the file and logs the checksum it saw", async () => {
        const file = path.join(dir, "tofu", "milvus.json");
        const r = await start(`${base}/milvus-dashboard.json`, undefined, file);
        expect(r.code).toBe(0);
        expect(r.out).toContain(`milvus-gpu: Milvus dashboard sha256 ${SHA}`);
    });

    it("a wrong checksum stops the container (exit 42) naming both sums, and leaves no file", async () => {
        const file = path.join(dir, "bad", "milvus.json");
        const r = await start(`${base}/milvus-dashboard.json`, "0".repeat(64), file);
        expect(r.code).toBe(42);
        expect(r.out).toContain(`has sha256 ${SHA}, not the configured ${"0".repeat(64)}`);
        expect(fs.existsSync(file)).toBe(false);
        expect(r.out).not.toContain("grafana started");
    });

    it("a failed download stops it (exit 41) pointing at dashboard: false for offline hosts", async () => {
        const r = await start(`${base}/missing.json`, SHA, path.join(dir, "gone", "milvus.json"));
        expect(r.code).toBe(41);
        expect(r.out).toContain("set monitoring.grafana.dashboard: false on a host without internet access");
    });
});
