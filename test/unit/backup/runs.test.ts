import { describe, expect, it } from "vitest";
import { formatBytes, formatStatus, parseRuns } from "../../../scripts/backup/runs";

const ok = '{"name":"m_20261205_030000","trigger":"scheduled","startedAt":"2026-12-05T03:00:00Z","seconds":4,"ok":true,"sizeBytes":2411724,"collections":3,"error":""}';
const failed = '{"name":"m_20261205_040000","trigger":"manual","startedAt":"2026-12-05T04:00:00Z","seconds":0,"ok":false,"sizeBytes":null,"collections":null,"error":"bucket b does not exist"}';

describe("backup run records", () => {
    it("reads records and skips a line cut off mid-write", () => {
        const runs = parseRuns(`${ok}\n${failed}\n{"name":"m_2026`);
        expect(runs.map((r) => [r.name, r.ok])).toEqual([
            ["m_20261205_030000", true],
            ["m_20261205_040000", false],
        ]);
    });

    it("successes, failures with their error, a cut-off line skipped", () => {
        const text = [
            '{"name":"a_1","trigger":"schedule","startedAt":"2026-12-04T03:00:00Z","seconds":40,"ok":true,"sizeBytes":84333,"collections":1,"error":""}',
            '{"name":"a_2","trigger":"manual","startedAt":"2026-12-05T03:00:00Z","seconds":0,"ok":false,"sizeBytes":null,"collections":null,"error":"NoSuchBucket"}',
            '{"name":"a_3","trig',
            "",
        ].join("\n");
        expect(parseRuns(text)).toEqual([
            { name: "a_1", trigger: "schedule", startedAt: "2026-12-04T03:00:00Z", seconds: 40, ok: true, sizeBytes: 84333, collections: 1 },
            { name: "a_2", trigger: "manual", startedAt: "2026-12-05T03:00:00Z", seconds: 0, ok: false, error: "NoSuchBucket" },
        ]);
    });

    it("shows each run, the target's backups and the last good one", () => {
        const text = formatStatus(parseRuns(`${ok}\n${failed}`), ["m_20261205_030000"]);
        expect(text).toContain("m_20261205_030000  4s  ok, 3 collections, 2.3 MiB");
        expect(text).toContain("FAILED: bucket b does not exist");
        expect(text).toContain("backups in the target (1):");
        expect(text.split("\n").pop()).toBe("last good backup: m_20261205_030000 (2026-12-05T03:00:00Z)");
        expect(formatStatus([], []).split("\n").pop()).toBe("last good backup: none");
    });

    it("sizes in binary units", () => {
        expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(3.5 * 1024 ** 3), formatBytes(150 * 1024 ** 3), formatBytes(undefined)]).toEqual(["0 B", "1023 B", "1.5 KiB", "3.5 GiB", "150 GiB", "?"]);
    });
});
