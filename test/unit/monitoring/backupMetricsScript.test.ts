import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BACKUP_METRICS_SCRIPT } from "../../../components/monitoring/backupMetricsScript";

/*
 * The script really runs: under dash (/bin/sh here) and busybox sh with busybox date (what the
 * node-exporter image has), on run records in milvus-backup-ops's format.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-metrics-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const script = path.join(dir, "backup-metrics.sh");
fs.writeFileSync(script, BACKUP_METRICS_SCRIPT);

const run = (name: string) =>
    `{"name":"${name}","trigger":"schedule","startedAt":"2026-12-05T03:00:00Z","seconds":42,"ok":true,"sizeBytes":84333,"collections":1,"error":""}`;
const failed = `{"name":"b_20261206_030000","trigger":"schedule","startedAt":"2026-12-06T03:00:00Z","seconds":0,"ok":false,"sizeBytes":null,"collections":null,"error":"target: NoSuchBucket"}`;

const busybox = fs.existsSync("/usr/bin/busybox") ? "/usr/bin/busybox" : undefined;
const shells: [string, string[], Record<string, string>][] = [["dash", ["/bin/sh"], {}]];
if (busybox) {
    // busybox's own date, as in the node-exporter image: a PATH holding only busybox applets.
    const bin = path.join(dir, "busybox-bin");
    fs.mkdirSync(bin);
    for (const applet of ["sh", "date", "sed", "tr", "grep", "tail", "mkdir", "mv", "cat"]) fs.symlinkSync(busybox, path.join(bin, applet));
    shells.push(["busybox", [path.join(bin, "sh")], { PATH: bin }]);
}

function metrics(shell: string[], env: Record<string, string>, lines: string[] | undefined): string {
    const out = fs.mkdtempSync(path.join(dir, "out-"));
    const runs = path.join(out, "runs.jsonl");
    if (lines) fs.writeFileSync(runs, lines.join("\n") + "\n");
    execFileSync(shell[0], [...shell.slice(1), script, "once"], { env: { ...process.env, ...env, RUNS_FILE: runs, TEXTFILE_DIR: out } });
    return fs.readFileSync(path.join(out, "milvus_gpu_backup.prom"), "utf8");
}

describe.each(shells)("backup metrics script under %s", (_name, shell, env) => {
    it("the last successful run's end time (start + seconds) and size; the last run's outcome", () => {
        const end = Date.parse("2026-12-05T03:00:00Z") / 1000 + 42;
        const text = metrics(shell, env, [run("b_20261204_030000").replace("2026-12-05", "2026-12-04"), run("b_20261205_030000"), failed]);
        expect(text).toContain(`milvus_gpu_backup_last_success_timestamp_seconds ${end}\n`);
        expect(text).toContain("milvus_gpu_backup_last_success_size_bytes 84333\n");
        expect(text).toContain("milvus_gpu_backup_last_run_ok 0\n");
        expect(text).toContain("milvus_gpu_backup_records_present 1\n");
    });

    it("no records: says so and has no success time (the absent() rule then counts)", () => {
        const text = metrics(shell, env, undefined);
        expect(text).toBe(
            "# HELP milvus_gpu_backup_records_present 1 when the backup container's run records exist.\n# TYPE milvus_gpu_backup_records_present gauge\nmilvus_gpu_backup_records_present 0\n",
        );
    });

    it("only failures: the last run failed and no success time", () => {
        const text = metrics(shell, env, [failed]);
        expect(text).toContain("milvus_gpu_backup_last_run_ok 0");
        expect(text).not.toContain("last_success_timestamp");
    });
});
