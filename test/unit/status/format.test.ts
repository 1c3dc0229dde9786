import { describe, expect, it } from "vitest";
import { formatDuration, formatStatus } from "../../../scripts/status/format";
import { StatusReport } from "../../../scripts/status/report";
import { targetOfStack } from "../../../scripts/status/stackOutputs";

const NOW = new Date("2026-12-05T12:00:00Z");
const GiB = 1024 ** 3;

const full: StatusReport = {
    gatheredAt: NOW.toISOString(),
    milvus: {
        address: "gpu1.example.com:19530",
        version: "v2.3.5",
        healthy: true,
        healthReasons: [],
        collections: [
            {
                name: "documents",
                rows: 500,
                indexes: [
                    { field: "embedding", name: "embedding", type: "HNSW", state: "Finished", indexedRows: 500, totalRows: 500, pendingRows: 0 },
                    { field: "year", name: "year", type: "STL_SORT", state: "InProgress", indexedRows: 200, totalRows: 500 },
                ],
                load: "loaded",
                partitions: ["_default", "2024_docs"],
                aliases: ["docs"],
                problems: [],
            },
            { name: "empty", rows: 0, indexes: [], load: "not loaded", partitions: ["_default"], aliases: [], problems: ["getCollectionStatistics: collection not found"] },
        ],
    },
    containers: [
        { name: "milvus-standalone", role: "milvus", image: "milvusdb/milvus:v2.3.5", state: "running", health: "healthy", memoryUsedBytes: 3.5 * GiB, memoryLimitBytes: 8 * GiB, restarts: 0 },
        { name: "milvus-etcd", role: "etcd", image: "quay.io/coreos/etcd:v3.5.18", state: "exited", restarts: 2 },
    ],
    disk: { path: "/var/lib/milvus-gpu", usedBytes: 2 * GiB, filesystemSizeBytes: 100 * GiB, filesystemUsedBytes: 40 * GiB, filesystemAvailableBytes: 50 * GiB },
    gpu: [{ index: 0, name: "NVIDIA GeForce RTX 4090", memoryUsedMiB: 6144, memoryTotalMiB: 24564 }],
    backup: {
        container: "milvus-backup",
        schedule: "0 3 * * *",
        runs: 2,
        last: { name: "milvus_20261205_030000", trigger: "schedule", startedAt: "2026-12-05T03:00:00Z", seconds: 0, ok: false, error: "NoSuchBucket" },
        lastSuccessful: { name: "milvus_20261204_030000", trigger: "schedule", startedAt: "2026-12-04T03:00:00Z", seconds: 41, ok: true, sizeBytes: 84333, collections: 1 },
    },
    rental: { orderId: "4242", expiresAt: "2026-12-06T06:30:00Z", bidState: "on-demand" },
};

describe("status screen", () => {
    it("one screen: version and health, each collection, containers against limits, disk, GPU, backups, rental", () => {
        expect(formatStatus(full, NOW)).toBe(
            [
                "Milvus v2.3.5 at gpu1.example.com:19530: healthy",
                "",
                "Collections (2):",
                "  documents",
                "    rows        500",
                "    indexes     embedding HNSW Finished, year STL_SORT InProgress 200/500",
                "    load        loaded",
                "    partitions  _default, 2024_docs",
                "    aliases     docs",
                "  empty",
                "    rows        0",
                "    indexes     no index",
                "    load        not loaded",
                "    partitions  _default",
                "    aliases     -",
                "    ! getCollectionStatistics: collection not found",
                "",
                "Containers:",
                "  milvus-standalone            milvus     running, healthy   memory 3.5 GiB of 8.0 GiB (44%)",
                "  milvus-etcd                  etcd       exited             -, 2 restarts",
                "Disk: /var/lib/milvus-gpu holds 2.0 GiB; its filesystem is 44% full (50.0 GiB free of 100 GiB)",
                "GPU 0 NVIDIA GeForce RTX 4090: 6144 of 24564 MiB (25%)",
                "Backup (milvus-backup, schedule 0 3 * * *, 2 runs recorded):",
                "  last        milvus_20261205_030000 (schedule) 2026-12-05T03:00:00Z, 9 h 0 min ago, 0 s: FAILED: NoSuchBucket",
                "  last good   milvus_20261204_030000 (schedule) 2026-12-04T03:00:00Z, 1 d 9 h ago, 41 s: ok, 1 collections, 82.4 KiB",
                "Rental (Clore order 4242, on-demand): 18 h 30 min left (ends 2026-12-06T06:30:00Z) -- take a backup and plan the move",
                "",
            ].join("\n"),
        );
    });

    it("an --address only report: what was not gathered says why", () => {
        const text = formatStatus(
            {
                gatheredAt: NOW.toISOString(),
                milvus: { address: "127.0.0.1:19530", version: "v2.3.5-lite", healthy: false, healthReasons: ["querynode down"], collections: { unavailable: "showCollections: permission denied" } },
                gpu: { unavailable: "no GPU reserved for milvus-standalone" },
            },
            NOW,
        );
        expect(text.split("\n")).toEqual([
            "Milvus v2.3.5-lite at 127.0.0.1:19530: NOT healthy: querynode down",
            "",
            "Collections: unavailable (showCollections: permission denied)",
            "",
            "Containers: no Docker host known (--stack or --docker-host)",
            "Disk: no Docker host known",
            "GPU: unavailable (no GPU reserved for milvus-standalone)",
            "Backup: not configured",
            "Rental: none (not a Clore.ai rental)",
            "",
        ]);
    });

    it("a rental that has ended, and one with days left", () => {
        const ended = formatStatus({ ...full, rental: { expiresAt: "2026-12-05T11:00:00Z" } }, NOW);
        expect(ended).toContain("Rental: ENDED at 2026-12-05T11:00:00Z\n");
        expect(formatStatus({ ...full, rental: { expiresAt: "2026-12-09T14:00:00Z" } }, NOW)).toContain("Rental: 4 d 2 h left (ends 2026-12-09T14:00:00Z)\n");
        expect(formatDuration(59)).toBe("0 min");
    });
});

describe("status from a stack's outputs", () => {
    it("endpoint, root token, TLS, Docker host and prefix (from the backup container), backup schedule, rental", () => {
        const t = targetOfStack("staging", {
            endpoint: "203.0.113.7:40123",
            username: "root",
            rootPassword: "pw",
            tlsCertificate: "-----BEGIN CERTIFICATE-----",
            tlsServerName: "localhost",
            backup: { container: "milvus-backup", dockerHost: "ssh://root@203.0.113.7:40022", schedule: "0 3 * * *" },
            rental: { orderId: 4242, expiresAt: "2026-12-06T06:30:00.000Z", bidState: "on-demand" },
        });
        expect(t).toEqual({
            address: "203.0.113.7:40123",
            token: "root:pw",
            tls: { caPem: "-----BEGIN CERTIFICATE-----", serverName: "localhost" },
            dockerHost: "ssh://root@203.0.113.7:40022",
            prefix: "milvus",
            backup: { container: "milvus-backup", schedule: "0 3 * * *" },
            rental: { expiresAt: "2026-12-06T06:30:00.000Z", orderId: "4242", bidState: "on-demand" },
        });
    });

    it("a stack without an endpoint says so", () => {
        expect(() => targetOfStack("dev", {})).toThrow("stack dev has no endpoint output: has `pulumi up` run on it?");
    });
});
