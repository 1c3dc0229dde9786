import { describe, expect, it } from "vitest";
import { opsSandbox } from "../../helpers/opsScript";

/*
 * The ops program's run, retention, records and restore choice, with sh and fakes of
 * milvus-backup and curl (test/helpers/opsScript.ts): what it decides, not milvus-backup itself.
 */

const OWN_OLD = ["milvus_20250103_000000", "milvus_20250101_000000", "milvus_20250102_120000"];
// Another deployment's, one with a longer prefix, one made by hand: never this deployment's to prune.
const FOREIGN = ["other_20200101_000000", "milvus_x_20200101_000000", "milvus_manual"];

describe("backup-ops run", () => {
    it("creates a timestamped backup, records it, and deletes only this deployment's oldest beyond retain", () => {
        const ops = opsSandbox([...OWN_OLD, ...FOREIGN]);
        const r = ops.run(["run", "manual"], { MB_RETAIN: "2" });
        expect(r.status, r.stdout + r.stderr).toBe(0);
        const created = ops.calls().find((c) => c.startsWith("create "))!.slice("create ".length);
        expect(created).toMatch(/^milvus_\d{8}_\d{6}$/);
        // Four own backups with the new one, two kept: the two oldest by their time stamp (not by list order) go.
        expect(ops.calls().filter((c) => c.startsWith("delete ")).sort()).toEqual(["delete milvus_20250101_000000", "delete milvus_20250102_120000"]);
        const [record] = ops.runs();
        expect(record).toMatchObject({ name: created, trigger: "manual", ok: true, sizeBytes: 4096, collections: 2, error: "" });
        expect(record.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        expect(r.stdout).toMatch(new RegExp(`backup-ops: done ${created}: 2 collections, 4096 bytes`));
        expect(r.stdout).toContain("backup-ops: deleted milvus_20250101_000000 (retain 2)");
    });

    it("keeps everything while this deployment has no more than retain", () => {
        const ops = opsSandbox(["milvus_20250101_000000", ...FOREIGN]);
        expect(ops.run(["run", "scheduled"], { MB_RETAIN: "2" }).status).toBe(0);
        expect(ops.calls().filter((c) => c.startsWith("delete "))).toEqual([]);
        expect(ops.runs()[0]).toMatchObject({ trigger: "scheduled", ok: true });
    });

    it("records a failed create with milvus-backup's error, exits non-zero and deletes nothing", () => {
        const ops = opsSandbox([...OWN_OLD]);
        const r = ops.run(["run", "manual"], { MB_RETAIN: "1", FAKE_CREATE_ERROR: "error: connect to milvus failed" });
        expect(r.status).not.toBe(0);
        expect(ops.calls().filter((c) => c.startsWith("delete "))).toEqual([]);
        const [record] = ops.runs();
        expect(record).toMatchObject({ ok: false, sizeBytes: null, collections: null, error: "error: connect to milvus failed" });
        expect(r.stdout).toMatch(/backup-ops: FAILED milvus_\d{8}_\d{6} after \d+s: error: connect to milvus failed/);
    });

    it("records a target that fails its check without calling milvus-backup create (it would make the bucket)", () => {
        const ops = opsSandbox([]);
        const r = ops.run(["run", "manual"], { FAKE_HTTP: "404", FAKE_S3_CODE: "NoSuchBucket" });
        expect(r.status).not.toBe(0);
        expect(ops.calls().some((c) => c.startsWith("create "))).toBe(false);
        expect(ops.runs()[0]).toMatchObject({ ok: false, error: "bucket backups does not exist at http://target.invalid:9000: create it, or fix backup.target.bucket" });
    });

    it("names each target problem by its S3 answer", () => {
        const ops = opsSandbox([]);
        const check = (env: Record<string, string>) => ops.run(["check"], env).stdout.trim();
        expect(check({})).toBe("backup-ops: target http://target.invalid:9000/backups reachable, bucket present, keys accepted");
        expect(check({ FAKE_HTTP: "403", FAKE_S3_CODE: "InvalidAccessKeyId" })).toMatch(/FAILED: the target does not know the access key \(backupAccessKey\)/);
        expect(check({ FAKE_HTTP: "403", FAKE_S3_CODE: "SignatureDoesNotMatch" })).toMatch(/FAILED: the secret key \(backupSecretKey\) does not match/);
        expect(check({ FAKE_HTTP: "000" })).toMatch(/FAILED: target http:\/\/target.invalid:9000 unreachable/);
    });

    it("refuses a second operation while one holds the lock, once its wait is over", () => {
        const ops = opsSandbox([]);
        require("node:fs").mkdirSync(`${ops.home}/state/.lock`, { recursive: true });
        const r = ops.run(["run", "manual"], { MB_LOCK_WAIT: "0" });
        expect(r.status).toBe(3);
        expect(r.stdout).toContain("backup-ops: FAILED: another backup operation is running");
        // A scheduled run gives way at once, whatever the wait.
        expect(ops.run(["run", "scheduled"], { MB_LOCK_WAIT: "600" }).status).toBe(3);
    });

    it("keeps every record valid JSON, even when the error is cut at an escaped quote", () => {
        const ops = opsSandbox([]);
        ops.run(["run", "manual"], { FAKE_CREATE_ERROR: `${"x".repeat(299)}"quoted" and a \\ backslash` });
        const [record] = ops.runs();
        expect(record.ok).toBe(false);
        expect(String(record.error).startsWith("x".repeat(299))).toBe(true);
    });

    it("waits for a running operation before a backup that must happen (before replacement)", () => {
        const ops = opsSandbox([]);
        const lock = `${ops.home}/state/.lock`;
        require("node:fs").mkdirSync(lock, { recursive: true });
        // The running operation ends 2 s from now.
        require("node:child_process").spawn("/bin/sh", ["-c", `sleep 2; rmdir ${lock}`], { detached: true, stdio: "ignore" }).unref();
        const r = ops.run(["run", "before-replace"], { MB_LOCK_WAIT: "30" });
        expect(r.status, r.stdout).toBe(0);
        expect(ops.runs().map((x) => [x.trigger, x.ok])).toEqual([["before-replace", true]]);
    });
});

describe("backup-ops restore", () => {
    it("takes the newest timestamped backup as latest", () => {
        const ops = opsSandbox([...OWN_OLD, "other_20260101_000000", "milvus_manual"]);
        const r = ops.run(["restore", "latest"]);
        expect(r.status, r.stdout).toBe(0);
        // Newest by time stamp across the prefix: a moved deployment restores what its predecessor made.
        expect(ops.calls().filter((c) => c.startsWith("restore "))).toEqual(["restore other_20260101_000000"]);
    });

    it("refuses a name that is not there, listing the ones that are, and latest when there is none", () => {
        const ops = opsSandbox(["milvus_20250101_000000", "milvus_manual"]);
        const missing = ops.run(["restore", "nope"]);
        expect(missing.status).toBe(2);
        expect(missing.stdout).toMatch(/FAILED restore: backup nope does not exist under http:\/\/target.invalid:9000\/backups\/milvus-backup; there are: milvus_20250101_000000 milvus_manual/);
        const empty = opsSandbox(["milvus_manual"]).run(["restore", "latest"]);
        expect(empty.status).toBe(2);
        expect(empty.stdout).toMatch(/FAILED restore: no backup under .* to take as latest/);
    });
});
