import { MilvusClient } from "@zilliz/milvus2-sdk-node";

/** Everything a schema step could change, read back from the server: per collection its fields, indexes, partitions, aliases and load state. */
export interface CollectionState {
    fields: string[];
    indexes: Record<string, string>;
    partitions: string[];
    aliases: string[];
    loaded: string;
}

export async function serverState(client: MilvusClient): Promise<Record<string, CollectionState>> {
    const names = (await client.showCollections()).data.map((c) => c.name).sort();
    const state: Record<string, CollectionState> = {};
    for (const name of names) {
        const d = await client.describeCollection({ collection_name: name, cache: false });
        const idx = await client.describeIndex({ collection_name: name });
        const indexes = Object.fromEntries(
            (idx.index_descriptions ?? []).map((i) => [i.field_name, String(i.params.find((p) => p.key === "index_type")?.value ?? "?")]),
        );
        state[name] = {
            fields: d.schema.fields.map((f) => `${f.name}:${f.data_type}${f.nullable ? "?" : ""}`).sort(),
            indexes,
            partitions: (await client.listPartitions({ collection_name: name })).partition_names.slice().sort(),
            aliases: (d.aliases ?? []).slice().sort(),
            loaded: String((await client.getLoadState({ collection_name: name })).state),
        };
    }
    return state;
}
