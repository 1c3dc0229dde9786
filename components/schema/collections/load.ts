import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { call } from "../server/rpc";

/**
 * Loads a collection and waits, within a bound, until Milvus reports it loaded. (The SDK's
 * own synchronous load polls without any limit, which could hang a deploy forever.)
 */
export async function loadAndWait(client: MilvusClient, collection: string, timeoutSeconds: number): Promise<void> {
    await call(`load collection ${collection}`, () => client.loadCollectionAsync({ collection_name: collection }));
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (let delay = 50; ; delay = Math.min(delay * 2, 2000)) {
        const res = await call(`getLoadState ${collection}`, () => client.getLoadState({ collection_name: collection }));
        const state = String(res.state);
        if (state === "LoadStateLoaded") return;
        if (state === "LoadStateNotExist") throw new Error(`collection ${collection} disappeared while loading`);
        if (Date.now() > deadline) throw new Error(`collection ${collection} not loaded within ${timeoutSeconds}s (state ${state})`);
        await new Promise((r) => setTimeout(r, delay));
    }
}

/** Waits, within a bound, until the index on `collection.field` is built; the rows it indexed when the server says. */
export async function waitIndexBuilt(client: MilvusClient, collection: string, field: string, timeoutSeconds: number): Promise<number | undefined> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
        const res = await call(`describeIndex ${collection}.${field}`, () => client.describeIndex({ collection_name: collection, field_name: field }));
        const d = res.index_descriptions[0];
        if (d?.state === "Failed") throw new Error(`index build on ${collection}.${field} failed: ${d.index_state_fail_reason}`);
        const pending = Number(d?.pending_index_rows ?? 0);
        if (d?.state === "Finished" && !(pending > 0)) return d.indexed_rows === undefined ? undefined : Number(d.indexed_rows);
        if (Date.now() > deadline) throw new Error(`index on ${collection}.${field} not built within ${timeoutSeconds}s (state ${d?.state ?? "unknown"})`);
        await new Promise((r) => setTimeout(r, delay));
    }
}
