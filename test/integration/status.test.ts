import { execFile } from "node:child_process";
import * as path from "node:path";
import { DataType, MilvusClient } from "@zilliz/milvus2-sdk-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatherStatus } from "../../scripts/status/gather";
import { formatStatus } from "../../scripts/status/format";
import { CollectionStatus, isUnavailable, StatusReport } from "../../scripts/status/report";
import { MilvusTarget, startTarget, uniqueName } from "./milvusTarget";

/*
 * `npm run status` against the target itself: a collection this file makes (rows, an index, a
 * partition, an alias, loaded) and one it leaves unindexed and unloaded must read back as they
 * are. Only this file's names are looked at: the shared server holds other tests' collections.
 */
const ROOT = path.resolve(__dirname, "../..");
let target: MilvusTarget;
let client: MilvusClient;
const loaded = uniqueName("status_loaded");
const bare = uniqueName("status_bare");
const alias = uniqueName("status_alias");

function mine(report: StatusReport, name: string): CollectionStatus {
    if (isUnavailable(report.milvus.collections)) throw new Error(report.milvus.collections.unavailable);
    const c = report.milvus.collections.find((x) => x.name === name);
    if (!c) throw new Error(`${name} not in the report`);
    return c;
}

beforeAll(async () => {
    target = await startTarget();
    client = target.client();
    const fields = [
        { name: "id", data_type: DataType.Int64, is_primary_key: true, autoID: false },
        { name: "v", data_type: DataType.FloatVector, dim: 4 },
    ];
    for (const name of [loaded, bare]) await client.createCollection({ collection_name: name, fields });
    await client.insert({ collection_name: loaded, data: Array.from({ length: 120 }, (_, i) => ({ id: i, v: [i, 1, 2, 3] })) });
    await client.flush({ collection_names: [loaded] });
    await client.createIndex({ collection_name: loaded, field_name: "v", index_type: "HNSW", metric_type: "L2", params: { M: 8, efConstruction: 64 } });
    await client.createPartition({ collection_name: loaded, partition_name: "p2024" });
    await client.createAlias({ collection_name: loaded, alias });
    await client.loadCollectionSync({ collection_name: loaded });
}, 120_000);

afterAll(async () => {
    await client?.dropAlias({ alias }).catch(() => undefined);
    for (const name of [loaded, bare]) await client?.dropCollection({ collection_name: name }).catch(() => undefined);
    await target?.stop();
});

describe("status against the target", () => {
    it("version, health, and each collection's rows, index and build state, load state, partitions and aliases", async () => {
        const steps: string[] = [];
        const report = await gatherStatus({ address: target.address, ...(target.token ? { token: target.token } : {}) }, { progress: (s) => steps.push(s) });
        expect(report.milvus.version).toBe(target.version);
        expect(report.milvus.healthy).toBe(true);
        expect(mine(report, loaded)).toEqual({
            name: loaded,
            rows: 120,
            indexes: [expect.objectContaining({ field: "v", type: "HNSW", state: "Finished" })],
            load: "loaded",
            partitions: ["_default", "p2024"],
            aliases: [alias],
            problems: [],
        });
        // Milvus Lite has no loading step: it reports every collection loaded, indexed or not.
        const bareLoad = target.kind === "milvus-lite" ? "loaded" : "not loaded";
        expect(mine(report, bare)).toEqual({ name: bare, rows: 0, indexes: [], load: bareLoad, partitions: ["_default"], aliases: [], problems: [] });
        expect(steps.slice(0, 3)).toEqual(["Milvus version", "Milvus health", "collections"]);
        expect(steps).toContain(`collection ${loaded}`);
        // Without a Docker host nothing about containers is claimed.
        expect(report.containers).toBeUndefined();
        const screen = formatStatus(report, new Date());
        expect(screen).toContain(`  ${loaded}\n    rows        120\n    indexes     v HNSW Finished\n    load        loaded\n    partitions  _default, p2024\n    aliases     ${alias}\n`);
    });

    it("the CLI: --json on stdout, progress on stderr; an unreachable address fails naming it", async () => {
        const run = (args: string[]) =>
            new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
                execFile(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/status.ts"), ...args], { cwd: ROOT, env: { ...process.env, MILVUS_TOKEN: target.token ?? "" } }, (err, stdout, stderr) =>
                    resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
                );
            });
        const ok = await run(["--address", target.address, "--json"]);
        expect(ok.code, ok.stderr).toBe(0);
        expect(ok.stderr).toContain("status: Milvus version...");
        expect(mine(JSON.parse(ok.stdout) as StatusReport, loaded).rows).toBe(120);
        const down = await run(["--address", "127.0.0.1:1"]);
        expect(down.code).toBe(1);
        expect(down.stderr).toMatch(/status: Milvus at 127\.0\.0\.1:1 does not answer: getVersion: /);
    }, 60_000);
});
