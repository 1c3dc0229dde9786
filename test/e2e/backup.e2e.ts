import { OutputMap, Stack } from "@pulumi/pulumi/automation";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../components/schema/server/connection";
import type { SchemaReport } from "../../components/schema/verify/report";
import { FakeCloreApi } from "../fakes/cloreApi";
import { BackupTarget, startBackupTarget } from "./harness/backupTarget";
import { docker, inspectContainer } from "./harness/docker";
import { connect, expectDevSchemaObjects, insertDocuments, rowCount, rowsTagged } from "./harness/milvusData";
import { e2eImages, ROOT } from "./harness/prerequisites";
import { committedStackConfig, e2eStack, StackFileConfig, writeStackConfig } from "./harness/project";
import { closeScenario, openScenario, Scenario } from "./harness/scenario";
import { LoopbackSshd, startLoopbackSshd } from "./harness/sshd";
import { devLikeConfig, forMilvus23 } from "./harness/stacks";

interface RunRecord {
    name: string;
    trigger: string;
    startedAt: string;
    ok: boolean;
    collections: number | null;
    sizeBytes: number | null;
    error: string;
}

const runsOf = (dataDir: string): RunRecord[] => {
    const file = path.join(dataDir, "backup", "runs.jsonl");
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as RunRecord);
};

const bytesUnder = (dir: string): number =>
    fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? bytesUnder(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0) : 0;

const tsx = (script: string, args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, script), ...args], { cwd: ROOT, encoding: "utf8", timeout: 600_000 });

/**
 * The data of a Clore.ai rental outlives it: the rental (the fake API, this machine over a
 * loopback sshd) backs up to a second real MinIO, on schedule, on demand and before its Milvus
 * is upgraded; then the order is cancelled and its disk wiped, and a new deployment elsewhere
 * (this machine's Docker) starts from `restoreFrom: latest` and serves the same rows.
 */
describe("backups on the real engine: a rental's data moves to a new deployment", () => {
    const images = e2eImages();
    let sshd: LoopbackSshd;
    let fake: FakeCloreApi;
    let target: BackupTarget;
    let rental: Scenario;
    let moved: Scenario;
    let rentalStack: Stack;
    let movedStack: Stack;
    const token = (o: OutputMap) => `root:${o.rootPassword.value as string}`;
    const backupBlock = (extra: Record<string, unknown> = {}) => ({
        image: images.backup,
        target: { endpoint: target.endpoint, bucket: target.bucket, prefix: "e2e", tls: false },
        ...extra,
    });
    const keys = () => ({ backupAccessKey: target.accessKey, backupSecretKey: target.secretKey });

    const rentalConfig = (milvusImage: string): StackFileConfig => {
        const staging = committedStackConfig("staging");
        const { gpu: _noGpuHere, ...milvus } = staging.milvus as Record<string, unknown>;
        return {
            ...staging,
            host: { ...(staging.host as object), apiUrl: fake.url, sshPublicKey: sshd.publicKey, sshOpts: sshd.sshOpts, pollIntervalSeconds: 5 },
            namePrefix: rental.place.namePrefix,
            dataDir: rental.place.dataDir,
            etcd: { image: images.etcd, memory: "512m" },
            minio: { image: images.minio, memory: "1g" },
            milvus: { ...milvus, memory: "4g", image: milvusImage, grpcPort: rental.place.grpcPort, httpPort: rental.place.httpPort },
            schema: forMilvus23(committedStackConfig("dev").schema),
            // Every minute, so the scenario sees a scheduled run.
            backup: backupBlock({ schedule: "* * * * *", retain: 10 }),
        };
    };
    const rentalClient = (o: OutputMap) =>
        createClient({ address: o.endpoint.value as string, token: token(o), tlsCaPem: o.tlsCertificate.value as string, tlsServerName: o.tlsServerName.value as string, rpcTimeoutMs: 60_000 });

    beforeAll(async () => {
        sshd = await startLoopbackSshd();
        rental = await openScenario("bk-rental");
        moved = await openScenario("bk-moved");
        target = await startBackupTarget("bk");
        fake = await new FakeCloreApi({
            publicHost: "127.0.0.1",
            portForwards: { "22": sshd.port, [rental.place.grpcPort]: rental.place.grpcPort, [rental.place.httpPort]: rental.place.httpPort },
        }).start();
        rentalStack = await e2eStack(rental.project, "rental", rentalConfig(images.milvus[0]), { cloreApiKey: fake.apiKey, sshPrivateKey: sshd.privateKey, ...keys() });
    });

    afterAll(async () => {
        await closeScenario(rental, rentalStack);
        await closeScenario(moved, movedStack);
        for (const s of [rental, moved]) if (s) for (const n of [`${s.place.namePrefix}-backup`]) spawnSync("docker", ["rm", "-f", n]);
        target?.stop();
        await fake?.stop();
        await sshd?.stop();
    });

    it("m1. the rental backs up 500 rows on schedule and on demand, and before its Milvus is upgraded", async () => {
        const up = await rentalStack.up({ color: "never" });
        expect(up.summary.result).toBe("succeeded");
        const o = up.outputs;
        const backupOut = o.backup.value as { container: string; schedule: string; target: string };
        expect(backupOut.container).toBe(`${rental.place.namePrefix}-backup`);
        expect(backupOut.schedule).toBe("* * * * *");
        const container = inspectContainer(backupOut.container)!;
        expect(container.health).toBe("healthy");
        // The target's keys reach the container only as env, and the state keeps them encrypted.
        expect(container.env).toContain(`MINIO_BACKUP_SECRET_KEY=${target.secretKey}`);

        const client = rentalClient(o);
        try {
            await insertDocuments(client, "documents", 500, 384, "moved");
            expect(await rowsTagged(client, "documents", "moved")).toBe(500);
        } finally {
            await client.closeConnection();
        }

        // On demand, through the CLI as a user runs it.
        const manual = tsx("scripts/backup.ts", ["--container", backupOut.container]);
        expect(manual.status, manual.stdout + manual.stderr).toBe(0);
        expect(manual.stdout).toMatch(/backup done in \d+s: done \S+_\d{8}_\d{6}: 1 collections, \d+ bytes/);

        // A scheduled run after the rows were written (every minute).
        const writtenAt = Date.now();
        const deadline = Date.now() + 150_000;
        let scheduled: RunRecord | undefined;
        while (!scheduled && Date.now() < deadline) {
            scheduled = runsOf(rental.place.dataDir).find((r) => r.trigger === "scheduled" && r.ok && Date.parse(r.startedAt) >= writtenAt - 1000);
            if (!scheduled) await new Promise((r) => setTimeout(r, 5000));
        }
        expect(scheduled, JSON.stringify(runsOf(rental.place.dataDir))).toBeDefined();
        expect(scheduled!.collections).toBe(1);
        // milvus-backup's size is that of the segments it copied (Milvus's own figure, within a few
        // per cent of the binlog bytes now in the target bucket: 84,333 against 80,437 seen).
        const copied = bytesUnder(path.join(target.dir, target.bucket, "e2e", scheduled!.name, "binlogs"));
        expect(copied).toBeGreaterThan(0);
        expect(Math.abs(scheduled!.sizeBytes! - copied) / copied).toBeLessThan(0.1);

        const status = tsx("scripts/backup.ts", ["--container", backupOut.container, "--status"]);
        expect(status.status, status.stderr).toBe(0);
        expect(status.stdout).toContain(scheduled!.name);
        expect(status.stdout).toMatch(/last good backup: /);

        // Upgrade 2.3.4 -> 2.3.5: the old Milvus is backed up before its container goes.
        const oldMilvus = inspectContainer(`${rental.place.namePrefix}-standalone`)!;
        await writeStackConfig(rental.project, rentalStack, rentalConfig(images.milvus[1]));
        const upgraded = await rentalStack.up({ color: "never" });
        expect(upgraded.summary.result).toBe("succeeded");
        const newMilvus = inspectContainer(`${rental.place.namePrefix}-standalone`)!;
        expect(newMilvus.id).not.toBe(oldMilvus.id);
        expect(newMilvus.imageId).toBe(docker("image", "inspect", "--format", "{{.Id}}", images.milvus[1]));
        const before = runsOf(rental.place.dataDir).filter((r) => r.trigger === "before-replace");
        expect(before.map((r) => [r.ok, r.collections])).toEqual([[true, 1]]);
        const created = Date.parse(docker("container", "inspect", "--format", "{{.Created}}", newMilvus.id));
        expect(Date.parse(before[0].startedAt)).toBeLessThan(created);
        const after = rentalClient(upgraded.outputs);
        try {
            expect(await rowsTagged(after, "documents", "moved")).toBe(500);
        } finally {
            await after.closeConnection();
        }
    });

    it("m2. the order is cancelled and its disk gone; a new deployment restores latest before the schema step and serves the rows", async () => {
        const [order] = fake.activeOrders();
        await rentalStack.destroy({ color: "never" });
        expect(fake.activeOrders()).toEqual([]);
        expect(fake.requests.filter((r) => r.path.endsWith("/cancel_order")).map((r) => (r.body as { id: number }).id)).toEqual([order.id]);
        const lastGood = runsOf(rental.place.dataDir).filter((r) => r.ok).pop()!;
        // The rental's disk ends with it.
        fs.rmSync(rental.place.dataDir, { recursive: true, force: true });

        movedStack = await e2eStack(moved.project, "moved", devLikeConfig(moved.place, { milvus: { ...(devLikeConfig(moved.place).milvus as object), image: images.milvus[1] }, backup: backupBlock({ restoreFrom: "latest" }) }), keys());
        const up = await movedStack.up({ color: "never" });
        expect(up.summary.result).toBe("succeeded");
        // The restore step ran, on the latest good backup, before the schema step.
        const deployment = await movedStack.exportStack();
        const restore = (deployment.deployment.resources as { urn: string; outputs?: { stdout?: string } }[]).find((r) => r.urn.endsWith("::milvus-backup-restore"));
        expect(restore?.outputs?.stdout).toContain(`restored ${lastGood.name}`);
        const report = up.outputs.schemaReport.value as SchemaReport;
        expect(report.passed).toBe(true);
        // The collection came from the backup: the schema step found it and only reconciled.
        expect(report.collections.map((c) => c.name)).toEqual(["documents"]);
        expect(report.collections[0].status).not.toBe("created");
        const client = connect(up.outputs.endpoint.value as string, token(up.outputs));
        try {
            expect(await rowCount(client, "documents")).toBe(500);
            expect(await rowsTagged(client, "documents", "moved")).toBe(500);
            await expectDevSchemaObjects(client);
        } finally {
            await client.closeConnection();
        }
        const again = await movedStack.up({ color: "never" });
        expect(Object.entries(again.summary.resourceChanges ?? {}).filter(([op]) => op !== "same")).toEqual([]);
    });

    it("m3. bad input fails before anything changes: unknown backup, collections already there, wrong key, missing bucket", async () => {
        const rows = async () => {
            const o = await movedStack.outputs();
            const c = connect(o.endpoint.value as string, token(o));
            try {
                return await rowsTagged(c, "documents", "moved");
            } finally {
                await c.closeConnection();
            }
        };
        const base = devLikeConfig(moved.place, { milvus: { ...(devLikeConfig(moved.place).milvus as object), image: images.milvus[1] } });
        const failing = async (config: StackFileConfig, message: RegExp) => {
            await writeStackConfig(moved.project, movedStack, config);
            const err = await movedStack.up({ color: "never" }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(err, "up should have failed").toBeDefined();
            expect(String(err!.message)).toMatch(message);
            expect(await rows()).toBe(500);
        };
        await failing({ ...base, backup: backupBlock({ restoreFrom: "no_such_backup_20200101_000000" }) }, /backup\.restoreFrom no_such_backup_20200101_000000: restore: backup no_such_backup_20200101_000000 does not exist/);
        // The newest backup by its time stamp: the one already restored, so its collection is here.
        const latest = execFileSync("docker", ["exec", `${moved.place.namePrefix}-backup`, "/bin/sh", "/milvus-backup/bin/milvus-backup-ops", "list"], { encoding: "utf8" })
            .trim()
            .split("\n")
            .sort((a, b) => a.slice(-15).localeCompare(b.slice(-15)))
            .pop();
        await failing({ ...base, backup: backupBlock({ restoreFrom: latest }) }, /The collection to restore already exists/);
        await failing({ ...base, backup: backupBlock({ target: { endpoint: target.endpoint, bucket: "no-such-bucket", prefix: "e2e", tls: false } }) }, /bucket no-such-bucket does not exist/);
        await movedStack.setConfig("milvus-gpu:backupSecretKey", { value: "not-the-secret-key", secret: true });
        await failing({ ...base, backup: backupBlock() }, /the secret key \(backupSecretKey\) does not match the access key/);
        // Milvus itself was never touched by these failures.
        expect(inspectContainer(`${moved.place.namePrefix}-standalone`)!.health).toBe("healthy");
    });
});
