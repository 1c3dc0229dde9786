import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { beforeReplaceScript, restoreScript, targetCheckScript } from "../../../components/backup/hostSteps";

/**
 * The host steps run against a stand-in `docker` on PATH that answers `inspect` as told and
 * records every `exec` (with the ops program's answer and exit code as told).
 */
function fakeDocker(opts: { running?: "true" | "false"; execOut?: string; execCode?: number }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "host-steps-"));
    const calls = path.join(dir, "calls");
    const script = [
        "#!/bin/sh",
        `echo "$*" >> ${calls}`,
        'case "$1" in',
        `  inspect) ${opts.running === undefined ? 'echo "Error: No such object: $3" >&2; exit 1' : `echo ${opts.running}`} ;;`,
        `  exec) printf '%b\\n' ${JSON.stringify(opts.execOut ?? "")}; exit ${opts.execCode ?? 0} ;;`,
        "esac",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "docker"), script, { mode: 0o755 });
    return {
        dir,
        run: (stdin: string) => spawnSync("/bin/sh", ["-s"], { input: stdin, encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } }),
        calls: () => (fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n") : []),
    };
}

const dirs: string[] = [];
afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const docker = (opts: Parameters<typeof fakeDocker>[0]) => {
    const d = fakeDocker(opts);
    dirs.push(d.dir);
    return d;
};
const names = { milvusContainer: "m-standalone", backupContainer: "m-backup" };

describe("backup before Milvus is replaced", () => {
    it("does nothing on a first deployment (no Milvus container yet)", () => {
        const d = docker({});
        const r = d.run(beforeReplaceScript(names));
        expect(r.status).toBe(0);
        expect(r.stdout).toContain("nothing to back up");
        expect(d.calls().filter((c) => c.startsWith("exec"))).toEqual([]);
    });

    it("backs up through the backup container while the old Milvus runs", () => {
        const d = docker({ running: "true", execOut: "backup-ops: done m_20261205_030000: 1 collections, 1 bytes, 2s" });
        const r = d.run(beforeReplaceScript(names));
        expect(r.status).toBe(0);
        expect(d.calls()).toContain("exec m-backup /bin/sh /milvus-backup/bin/milvus-backup-ops run before-replace");
    });

    it("refuses to let a stopped Milvus be replaced unbacked, naming the way out", () => {
        const d = docker({ running: "false" });
        const r = d.run(beforeReplaceScript(names));
        expect(r.status).toBe(31);
        expect(r.stderr).toMatch(/m-standalone is about to be replaced but is not running.*backup\.beforeReplace: false/);
    });

    it("fails, replacing nothing, when the backup fails", () => {
        const d = docker({ running: "true", execOut: "backup-ops: FAILED m_1: bucket gone", execCode: 1 });
        const r = d.run(beforeReplaceScript(names));
        expect(r.status).toBe(32);
        expect(r.stderr).toMatch(/the backup before replacing m-standalone failed.*nothing was replaced/);
    });
});

describe("restore and target check", () => {
    it("passes the name to the ops program and succeeds with it", () => {
        const d = docker({ execOut: "backup-ops: restored m_20261205_030000 in 6s" });
        const r = d.run(restoreScript({ backupContainer: "m-backup", restoreFrom: "latest" }));
        expect(r.status).toBe(0);
        expect(r.stdout).toContain("restored m_20261205_030000");
        expect(d.calls()).toContain("exec m-backup /bin/sh /milvus-backup/bin/milvus-backup-ops restore latest");
    });

    it("names restoreFrom and the ops program's reason when the restore is refused", () => {
        const d = docker({ execOut: "backup-ops: restoring x\nbackup-ops: FAILED restore of x: The collection to restore already exists, backupCollectName: default.documents", execCode: 1 });
        const r = d.run(restoreScript({ backupContainer: "m-backup", restoreFrom: "x" }));
        expect(r.status).toBe(33);
        expect(r.stderr).toContain("milvus-gpu: backup.restoreFrom x: restore of x: The collection to restore already exists");
    });

    it("quotes a name so the shell cannot read it as code", () => {
        const d = docker({ execOut: "backup-ops: restored" });
        d.run(restoreScript({ backupContainer: "m-backup", restoreFrom: "a;touch pwned" }));
        expect(d.calls()).toContain("exec m-backup /bin/sh /milvus-backup/bin/milvus-backup-ops restore a;touch pwned");
        expect(fs.existsSync("pwned")).toBe(false);
    });

    it("fails up with the target's problem", () => {
        const d = docker({ execOut: "backup-ops: FAILED: bucket nope does not exist at http://t:9000: create it, or fix backup.target.bucket", execCode: 1 });
        const r = d.run(targetCheckScript({ backupContainer: "m-backup" }));
        expect(r.status).toBe(34);
        expect(r.stderr).toContain("milvus-gpu: backup.target: bucket nope does not exist at http://t:9000");
    });
});
