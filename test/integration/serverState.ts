import { MilvusClient } from "@zilliz/milvus2-sdk-node";

/** Everything a schema step could change on one collection, read back from the server: its fields, indexes, partitions, aliases and load state. */
export interface CollectionState {
    fields: string[];
    indexes: Record<string, string>;
    partitions: string[];
    aliases: string[];
    loaded: string;
}

/** What the server holds under the names a test declared: each collection's state, or that it is absent; each alias's collection, or that it is absent. */
export interface NamedState {
    collections: Record<string, CollectionState | "absent">;
    aliases: Record<string, string | "absent">;
}

/**
 * The server's state under `names` only (collection and alias names a test declared). Other test
 * files create and drop collections on the same server at the same time, so a before/after
 * comparison looks at the names the step was asked about, never at the whole server.
 */
export async function serverState(client: MilvusClient, names: { collections: readonly string[]; aliases: readonly string[] }): Promise<NamedState> {
    const state: NamedState = { collections: {}, aliases: {} };
    for (const name of [...names.collections].sort()) {
        state.collections[name] = (await client.hasCollection({ collection_name: name })).value === true ? await collectionState(client, name) : "absent";
    }
    for (const alias of [...names.aliases].sort()) {
        // Asked by alias alone (an alias can only point at a collection, possibly one not named here).
        const described = await client.describeAlias({ alias, collection_name: "" }).catch(() => undefined);
        state.aliases[alias] = described?.status?.error_code === "Success" && described.collection ? described.collection : "absent";
    }
    return state;
}

async function collectionState(client: MilvusClient, name: string): Promise<CollectionState> {
    const d = await client.describeCollection({ collection_name: name, cache: false });
    const idx = await client.describeIndex({ collection_name: name });
    const indexes = Object.fromEntries(
        (idx.index_descriptions ?? []).map((i) => [i.field_name, String(i.params.find((p) => p.key === "index_type")?.value ?? "?")]),
    );
    return {
        fields: d.schema.fields.map((f) => `${f.name}:${f.data_type}${f.nullable ? "?" : ""}`).sort(),
        indexes,
        partitions: (await client.listPartitions({ collection_name: name })).partition_names.slice().sort(),
        aliases: (d.aliases ?? []).slice().sort(),
        loaded: String((await client.getLoadState({ collection_name: name })).state),
    };
}
