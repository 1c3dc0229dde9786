import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { CollectionStatus, Gathered, IndexStatus, MilvusStatus } from "./report";

type Status = { error_code?: string | number; code?: number; reason?: string } | undefined;

/** Milvus answers many failures with a status rather than an exception. */
function failure(status: Status): string | undefined {
    if (!status) return undefined;
    const ok = status.error_code === "Success" || status.error_code === 0 || (status.error_code === undefined && (status.code ?? 0) === 0);
    return ok ? undefined : status.reason || String(status.error_code ?? status.code);
}

async function ask<T extends object>(what: string, problems: string[], rpc: () => Promise<T>): Promise<T | undefined> {
    try {
        const res = await rpc();
        const bad = failure((res as { status?: Status }).status);
        if (bad === undefined) return res;
        problems.push(`${what}: ${bad}`);
    } catch (e) {
        problems.push(`${what}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
    }
    return undefined;
}

const LOAD_STATES: Record<string, string> = {
    LoadStateLoaded: "loaded",
    LoadStateLoading: "loading",
    LoadStateNotLoad: "not loaded",
    LoadStateNotExist: "not loaded",
};

function indexStatus(d: { field_name: string; index_name: string; params: { key: string; value: unknown }[]; state?: string; indexed_rows?: unknown; total_rows?: unknown; pending_index_rows?: unknown; index_state_fail_reason?: string }): IndexStatus {
    const num = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : Number(v));
    const type = String(d.params.find((p) => p.key === "index_type")?.value ?? "");
    const indexed = num(d.indexed_rows);
    const total = num(d.total_rows);
    const pending = num(d.pending_index_rows);
    return {
        field: d.field_name,
        name: d.index_name,
        type,
        state: d.state || "unknown",
        ...(indexed !== undefined ? { indexedRows: indexed } : {}),
        ...(total !== undefined ? { totalRows: total } : {}),
        ...(pending !== undefined ? { pendingRows: pending } : {}),
        ...(d.index_state_fail_reason ? { failReason: d.index_state_fail_reason } : {}),
    };
}

export async function collectionStatus(client: MilvusClient, name: string): Promise<CollectionStatus> {
    const problems: string[] = [];
    const desc = await ask("describeCollection", problems, () => client.describeCollection({ collection_name: name, cache: false }));
    const stats = await ask("getCollectionStatistics", problems, () => client.getCollectionStatistics({ collection_name: name }));
    // A collection without an index answers "index not found": that is a state, not a problem.
    const idx = await client.describeIndex({ collection_name: name }).catch((e: Error) => ({ status: { error_code: "Error", reason: e.message }, index_descriptions: [] }));
    const idxFailure = failure(idx.status as Status);
    if (idxFailure && !/index not (found|exist)|no index on/i.test(idxFailure)) problems.push(`describeIndex: ${idxFailure}`);
    const load = await ask("getLoadState", problems, () => client.getLoadState({ collection_name: name }));
    const parts = await ask("showPartitions", problems, () => client.showPartitions({ collection_name: name }));
    // Milvus Lite leaves describeCollection's aliases empty; ListAliases (2.4+, Lite) has them.
    let aliases = desc?.aliases ?? [];
    if (aliases.length === 0) {
        const listed = await client.listAliases({ collection_name: name }).catch(() => undefined);
        if (listed && failure(listed.status as Status) === undefined) aliases = listed.aliases ?? [];
    }
    const rowCount = stats?.data?.row_count ?? stats?.stats?.find((s) => s.key === "row_count")?.value;
    return {
        name,
        ...(rowCount !== undefined ? { rows: Number(rowCount) } : {}),
        indexes: idxFailure ? [] : (idx.index_descriptions ?? []).map(indexStatus),
        load: load ? (LOAD_STATES[String(load.state)] ?? String(load.state)) : "unknown",
        partitions: parts?.partition_names ?? [],
        aliases,
        problems,
    };
}

/** Version, health and every collection of the default database, one call at a time (progress names each). */
export async function gatherMilvus(client: MilvusClient, address: string, progress: (what: string) => void): Promise<MilvusStatus> {
    const problems: string[] = [];
    progress("Milvus version");
    const version = await ask("getVersion", problems, () => client.getVersion());
    if (!version) throw new Error(`Milvus at ${address} does not answer: ${problems.join("; ")}`);
    progress("Milvus health");
    const health = await ask("checkHealth", problems, () => client.checkHealth());
    progress("collections");
    const shown = await ask("showCollections", problems, () => client.showCollections());
    let collections: Gathered<CollectionStatus[]>;
    if (!shown) collections = { unavailable: problems.join("; ") };
    else {
        const names = shown.data.map((c) => c.name).sort();
        collections = [];
        for (const name of names) {
            progress(`collection ${name}`);
            collections.push(await collectionStatus(client, name));
        }
    }
    return {
        address,
        version: version.version,
        ...(health ? { healthy: health.isHealthy } : {}),
        healthReasons: health && !health.isHealthy ? (health.reasons ?? []) : problems.filter((p) => p.startsWith("checkHealth")),
        collections,
    };
}
