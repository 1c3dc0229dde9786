import { describe, expect, it } from "vitest";
import { backupNamePrefix, nextRuns, parseBackupSettings } from "../../../components/backup/config";
import { configErrorsOf } from "../../helpers/configErrors";

const TARGET = { endpoint: "backups.example.com:9000", bucket: "milvus-backups" };

/** The one error a bad block gives: field, value and what is allowed. */
function errorOf(raw: Record<string, unknown>) {
    const errors = configErrorsOf(() => parseBackupSettings(raw));
    expect(errors).toHaveLength(1);
    return errors[0];
}

describe("milvus-gpu:backup defaults", () => {
    it("fills memory 512m, prefix milvus-backup, TLS on, retain 7, beforeReplace on; no schedule, image or restore", () => {
        expect(parseBackupSettings({ target: TARGET })).toEqual({
            memoryBytes: 512 * 1024 ** 2,
            target: { host: "backups.example.com", port: 9000, bucket: "milvus-backups", prefix: "milvus-backup", tls: true },
            retain: 7,
            beforeReplace: true,
        });
    });

    it("is absent when not given, or enabled: false", () => {
        expect(parseBackupSettings(undefined)).toBeUndefined();
        expect(parseBackupSettings(null)).toBeUndefined();
        expect(parseBackupSettings({ enabled: false, target: TARGET })).toBeUndefined();
    });

    it("keeps what is given, the schedule's spacing normalised", () => {
        const b = parseBackupSettings({
            target: { endpoint: "10.0.0.5:443", bucket: "b.example", prefix: "team/milvus", region: "eu-west-1", tls: false },
            image: "milvusdb/milvus-backup:v0.5.16",
            memory: "1g",
            schedule: " 0  3 * *  * ",
            retain: 30,
            beforeReplace: false,
            restoreFrom: "latest",
        });
        expect(b).toEqual({
            image: "milvusdb/milvus-backup:v0.5.16",
            memoryBytes: 1024 ** 3,
            target: { host: "10.0.0.5", port: 443, bucket: "b.example", prefix: "team/milvus", region: "eu-west-1", tls: false },
            schedule: "0 3 * * *",
            retain: 30,
            beforeReplace: false,
            restoreFrom: "latest",
        });
        expect(parseBackupSettings({ target: TARGET, restoreFrom: "milvus_20260101_030000" })?.restoreFrom).toBe("milvus_20260101_030000");
    });
});

describe("milvus-gpu:backup bad values: field, value and what is allowed", () => {
    const cases: [string, Record<string, unknown>, string, unknown, RegExp][] = [
        ["endpoint with a scheme", { target: { ...TARGET, endpoint: "https://b.example.com:9000" } }, "backup.target.endpoint", "https://b.example.com:9000", /^host:port of an S3-compatible API, without a scheme/],
        ["endpoint without a port", { target: { ...TARGET, endpoint: "b.example.com" } }, "backup.target.endpoint", "b.example.com", /^host:port/],
        ["endpoint port out of range", { target: { ...TARGET, endpoint: "b.example.com:70000" } }, "backup.target.endpoint", "b.example.com:70000", /^host:port/],
        ["bucket with upper case", { target: { ...TARGET, bucket: "Milvus_Backups" } }, "backup.target.bucket", "Milvus_Backups", /^an S3 bucket name: 3 to 63 lower-case letters/],
        ["bucket too short", { target: { ...TARGET, bucket: "ab" } }, "backup.target.bucket", "ab", /^an S3 bucket name/],
        ["bucket like an IP", { target: { ...TARGET, bucket: "192.168.1.1" } }, "backup.target.bucket", "192.168.1.1", /^an S3 bucket name/],
        ["prefix with a leading /", { target: { ...TARGET, prefix: "/milvus" } }, "backup.target.prefix", "/milvus", /^a path inside the bucket: .*no leading or trailing '\/', no '\.\.'/],
        ["prefix with ..", { target: { ...TARGET, prefix: "a/../b" } }, "backup.target.prefix", "a/../b", /^a path inside the bucket/],
        ["schedule not cron", { target: TARGET, schedule: "nightly" }, "backup.schedule", "nightly", /^a five-field cron expression in UTC/],
        ["schedule @daily", { target: TARGET, schedule: "@daily" }, "backup.schedule", "@daily", /^a five-field cron expression in UTC with numbers, "\*", ",", "-" and "\/" only/],
        ["schedule of 6 fields", { target: TARGET, schedule: "0 0 3 * * *" }, "backup.schedule", "0 0 3 * * *", /^a five-field cron expression/],
        ["schedule with names", { target: TARGET, schedule: "0 3 * * MON" }, "backup.schedule", "0 3 * * MON", /^a five-field cron expression/],
        ["schedule minute 61", { target: TARGET, schedule: "61 3 * * *" }, "backup.schedule", "61 3 * * *", /expected range 0-59/],
        ["schedule step 0", { target: TARGET, schedule: "*/0 * * * *" }, "backup.schedule", "*/0 * * * *", /cannot repeat at every 0 time/],
        ["schedule on a day that never comes", { target: TARGET, schedule: "0 0 30 2 *" }, "backup.schedule", "0 0 30 2 *", /Invalid explicit day of month/],
        ["retain 0", { target: TARGET, retain: 0 }, "backup.retain", 0, /^an integer from 1 to 1000$/],
        ["retain 1001", { target: TARGET, retain: 1001 }, "backup.retain", 1001, /^an integer from 1 to 1000$/],
        ["retain 2.5", { target: TARGET, retain: 2.5 }, "backup.retain", 2.5, /^an integer from 1 to 1000$/],
        ["restoreFrom with a hyphen", { target: TARGET, restoreFrom: "my-backup" }, "backup.restoreFrom", "my-backup", /^"latest" or a backup name \(letters, digits and _, starting with a letter or _\)$/],
        ["restoreFrom starting with a digit", { target: TARGET, restoreFrom: "1backup" }, "backup.restoreFrom", "1backup", /^"latest" or a backup name/],
        ["image without a tag", { target: TARGET, image: "milvusdb/milvus-backup" }, "backup.image", "milvusdb/milvus-backup", /^a milvus-backup image pinned to an exact tag or digest/],
        ["image :latest", { target: TARGET, image: "milvusdb/milvus-backup:latest" }, "backup.image", "milvusdb/milvus-backup:latest", /^a milvus-backup image pinned to an exact tag or digest/],
        ["memory without a unit", { target: TARGET, memory: "512" }, "backup.memory", "512", /^a memory size with its unit/],
        ["an unknown key", { target: TARGET, schedul: "0 3 * * *" }, "backup.schedul", "0 3 * * *", /^one of the known keys of backup: enabled, image, memory, target, schedule, retain, beforeReplace, restoreFrom$/],
    ];
    for (const [what, raw, field, value, allowed] of cases) {
        it(what, () => {
            const e = errorOf(raw);
            expect(e.field).toBe(field);
            expect(e.value).toEqual(value);
            expect(e.allowed).toMatch(allowed);
            expect(e.message).toContain(`${field}: invalid value`);
        });
    }

    it("reports a missing target, and every bad field of one block together", () => {
        expect(errorOf({ schedule: "0 3 * * *" }).field).toBe("backup.target");
        const errors = configErrorsOf(() => parseBackupSettings({ target: { endpoint: "x", bucket: "B" }, retain: 0, schedule: "@daily" }));
        expect(errors.map((e) => e.field).sort()).toEqual(["backup.retain", "backup.schedule", "backup.target.bucket", "backup.target.endpoint"]);
    });

    it("validates the block even when it is disabled (a typo is not hidden by enabled: false)", () => {
        expect(errorOf({ enabled: false, target: TARGET, retain: 0 }).field).toBe("backup.retain");
    });
});

describe("schedule helpers and backup names", () => {
    it("computes the next runs in UTC", () => {
        expect(nextRuns("30 2 * * 1", new Date("2026-03-04T00:00:00Z"), 2).map((d) => d.toISOString())).toEqual(["2026-03-09T02:30:00.000Z", "2026-03-16T02:30:00.000Z"]);
    });

    it("makes a name prefix milvus-backup accepts from a deployment's name", () => {
        expect(backupNamePrefix("milvus")).toBe("milvus");
        expect(backupNamePrefix("milvus-dev.eu")).toBe("milvus_dev_eu");
        expect(backupNamePrefix("1st")).toBe("_1st");
    });
});
