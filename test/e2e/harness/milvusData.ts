import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { expect } from "vitest";

/** A client for the deployed Milvus, with the stack's own credentials. */
export function connect(address: string, token?: string): MilvusClient {
    const client = new MilvusClient({ address, ...(token ? { token } : {}), logLevel: "error", timeout: 60_000 });
    client.connectPromise.catch(() => undefined);
    return client;
}

/** Inserts `rows` rows shaped like the seed's documents into `collection` and flushes them. */
export async function insertDocuments(client: MilvusClient, collection: string, rows: number, dim: number, tag: string): Promise<void> {
    const data = Array.from({ length: rows }, (_, i) => ({
        text: `${tag} document ${i}`,
        source: `e2e/${tag}`,
        category: i % 2 ? "database" : "search",
        year: 2020 + (i % 6),
        embedding: Array.from({ length: dim }, (_, j) => Math.sin(i * 31 + j * 7 + tag.length)),
    }));
    const res = await client.insert({ collection_name: collection, data });
    if (res.status.error_code !== "Success" || Number(res.insert_cnt) !== rows) {
        throw new Error(`insert into ${collection} failed: ${res.status.reason || JSON.stringify(res.status)}`);
    }
    const flushed = await client.flushSync({ collection_names: [collection] });
    if (flushed.status.error_code !== "Success") throw new Error(`flush of ${collection} failed: ${flushed.status.reason}`);
}

/** Rows Milvus holds for the collection, counted by the server (persisted segments included). */
export async function rowCount(client: MilvusClient, collection: string): Promise<number> {
    const stats = await client.getCollectionStatistics({ collection_name: collection });
    if (stats.status.error_code !== "Success") throw new Error(`statistics of ${collection}: ${stats.status.reason}`);
    return Number(stats.data.row_count);
}

/** Rows whose `source` is this tag: proves the rows read back are the ones written. */
export async function rowsTagged(client: MilvusClient, collection: string, tag: string): Promise<number> {
    await client.loadCollectionSync({ collection_name: collection });
    const res = await client.query({ collection_name: collection, filter: `source == "e2e/${tag}"`, output_fields: ["id"], limit: 16_384 });
    if (res.status.error_code !== "Success") throw new Error(`query of ${collection}: ${res.status.reason}`);
    return res.data.length;
}

/** The dev schema's objects on `documents`: the alias, the partition and the three indexes. */
export async function expectDevSchemaObjects(client: MilvusClient): Promise<void> {
    const described = await client.describeCollection({ collection_name: "documents" });
    expect(described.aliases).toContain("docs");
    const partitions = await client.showPartitions({ collection_name: "documents" });
    expect(partitions.partition_names).toContain("2024_docs");
    const indexes = await client.describeIndex({ collection_name: "documents" });
    expect(indexes.index_descriptions.map((d) => d.field_name).sort()).toEqual(["category", "embedding", "year"]);
}
