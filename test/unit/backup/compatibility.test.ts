import { describe, expect, it } from "vitest";
import { BACKUP_TOOL_PAIRINGS, defaultBackupImage, judgePairing, milvusLine } from "../../../components/backup/compatibility";
import { parseStackConfig } from "../../../stacks/config";
import { configErrorsIn, configErrorsOf } from "../../helpers/configErrors";

const KEYS = ["backupAccessKey", "backupSecretKey"];
const BACKUP = { target: { endpoint: "backups.example.com:9000", bucket: "milvus-backups" } };

describe("the milvus-backup / Milvus pairing table", () => {
    // One Milvus version per row, the row's inclusive bounds, one release below and (when closed) one above.
    const rows: [string, string, string | undefined, string, string | undefined][] = [
        ["v2.2.16", "v0.3.0", "v0.4.30", "v0.2.9", "v0.5.0"],
        ["v2.3.5", "v0.4.0", "v0.4.30", "v0.3.9", "v0.5.0"],
        ["v2.4.17", "v0.4.0", "v0.5.16", "v0.3.9", "v0.5.17"],
        ["v2.5.10", "v0.5.0", undefined, "v0.4.30", undefined],
        ["v2.6.16", "v0.5.9", undefined, "v0.5.8", undefined],
        ["v3.0.2", "v0.5.17", undefined, "v0.5.16", undefined],
    ];
    for (const [milvus, since, through, below, above] of rows) {
        it(`Milvus ${milvusLine(milvus)}: ${since} to ${through ?? "any later"}, bounds included`, () => {
            expect(judgePairing(milvus, since)).toEqual({ ok: true });
            if (through) expect(judgePairing(milvus, through)).toEqual({ ok: true });
            expect(judgePairing(milvus, below).ok).toBe(false);
            if (above) expect(judgePairing(milvus, above).ok).toBe(false);
            else expect(judgePairing(milvus, "v9.9.9")).toEqual({ ok: true });
        });
    }

    it("covers every line of the table in the cases above", () => {
        expect(BACKUP_TOOL_PAIRINGS.map((p) => p.milvusLine)).toEqual(rows.map(([m]) => milvusLine(m)));
    });

    it("excludes Milvus v3.0.0 (and its GPU build) whatever the tool release", () => {
        const verdict = judgePairing("v3.0.0", "v0.5.17");
        expect(verdict).toEqual({ ok: false, allowed: expect.stringMatching(/^milvus-backup v0.5.17 or later for Milvus 3.0 \(not Milvus v3.0.0\) \(https:\/\/github.com\/zilliztech\/milvus-backup\/pull\/1223/) });
        expect(judgePairing("v3.0.0-gpu", undefined).ok).toBe(false);
        expect(judgePairing("v3.0.1", "v0.5.17")).toEqual({ ok: true });
    });

    it("refuses a Milvus line outside the table, and accepts a tag that is not a release (digest, local build)", () => {
        expect(judgePairing("v2.1.4", "v0.4.30")).toEqual({ ok: false, allowed: "a Milvus line milvus-backup serves (2.2, 2.3, 2.4, 2.5, 2.6, 3.0); Milvus v2.1.4 is not in the table" });
        expect(judgePairing("v2.3.5", "local-build")).toEqual({ ok: true });
        expect(judgePairing("v2.3.5-gpu", "v0.5.16").ok).toBe(false);
    });

    it("defaults to the pinned release per line, and to none for 3.0", () => {
        expect(defaultBackupImage("v2.2.16")).toBe("milvusdb/milvus-backup:v0.4.30");
        expect(defaultBackupImage("v2.3.5")).toBe("milvusdb/milvus-backup:v0.4.30");
        expect(defaultBackupImage("v2.4.17-gpu")).toBe("milvusdb/milvus-backup:v0.5.16");
        expect(defaultBackupImage("v2.5.10")).toBe("milvusdb/milvus-backup:v0.5.16");
        expect(defaultBackupImage("v2.6.16")).toBe("milvusdb/milvus-backup:v0.5.16");
        expect(defaultBackupImage("v3.0.2")).toBeUndefined();
        // Every default is itself a pair the table accepts.
        for (const p of BACKUP_TOOL_PAIRINGS) if (p.defaultTool) expect(judgePairing(`v${p.milvusLine}.5`, p.defaultTool), p.milvusLine).toEqual({ ok: true });
    });
});

describe("the stack config judges the pair and the secrets", () => {
    it("refuses milvus-backup v0.5.16 with Milvus 2.3.5, naming backup.image", () => {
        const errors = configErrorsOf(() => parseStackConfig({ milvus: { version: "v2.3.5" }, backup: { ...BACKUP, image: "milvusdb/milvus-backup:v0.5.16" } }, "t", KEYS));
        expect(errors).toHaveLength(1);
        expect(errors[0].field).toBe("backup.image");
        expect(errors[0].value).toBe("milvusdb/milvus-backup:v0.5.16");
        expect(errors[0].allowed).toMatch(/^milvus-backup v0.4.0 to v0.4.30 for Milvus 2.3 .*\(the deployed Milvus is v2.3.5, from milvus.image\)$/);
    });

    it("accepts the default for Milvus 2.3.5 and requires a pinned image for 3.0", () => {
        expect(configErrorsIn(() => parseStackConfig({ milvus: { version: "v2.3.5" }, backup: BACKUP }, "t", KEYS))).toEqual([]);
        const [e] = configErrorsOf(() => parseStackConfig({ backup: BACKUP }, "t", KEYS));
        expect(e.field).toBe("backup.image");
        expect(e.allowed).toMatch(/^a pinned milvus-backup image, such as milvusdb\/milvus-backup:<tag>: no default is known for Milvus v3.0.2/);
        expect(configErrorsIn(() => parseStackConfig({ backup: { ...BACKUP, image: "milvusdb/milvus-backup:v0.5.17" } }, "t", KEYS))).toEqual([]);
    });

    it("requires the target's keys as secrets", () => {
        const errors = configErrorsOf(() => parseStackConfig({ release: "v2.6.16", backup: BACKUP }, "t", []));
        expect(errors.map((e) => e.field)).toEqual(["milvus-gpu:backupAccessKey", "milvus-gpu:backupSecretKey"]);
        expect(errors[0].allowed).toMatch(/pulumi config set --secret milvus-gpu:backupAccessKey <value>` because backup is configured$/);
        // Without a backup block the keys are not needed.
        expect(configErrorsIn(() => parseStackConfig({ release: "v2.6.16" }, "t", []))).toEqual([]);
    });

    it("refuses backup with a native Clore.ai host (its Milvus keeps segments on the order's own disk)", () => {
        const [e] = configErrorsOf(() => parseStackConfig({ host: { type: "clore", usage: "native" }, backup: BACKUP }, "t", KEYS));
        expect(e.field).toBe("backup");
        expect(e.allowed).toMatch(/^no value with host.usage: native: .*use host.usage: docker for backups$/);
    });

    it("judges a cluster's backup against the chart's Milvus", () => {
        const cluster = { milvusVersion: "v2.6.16" };
        expect(configErrorsIn(() => parseStackConfig({ mode: "cluster", cluster, backup: { ...BACKUP, schedule: "0 3 * * *" } }, "t", KEYS))).toEqual([]);
        const [e] = configErrorsOf(() => parseStackConfig({ mode: "cluster", cluster, backup: { ...BACKUP, schedule: "0 3 * * *", image: "milvusdb/milvus-backup:v0.4.30" } }, "t", KEYS));
        expect(e.field).toBe("backup.image");
        expect(e.allowed).toMatch(/\(the deployed Milvus is v2.6.16, from cluster.milvusVersion\)$/);
    });
});
