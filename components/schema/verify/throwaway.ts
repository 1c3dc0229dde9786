import { DataType, FieldType, MilvusClient } from "@zilliz/milvus2-sdk-node";
import { randomBytes } from "node:crypto";
import { call } from "../server/rpc";

/**
 * The collections the step and the bench make for themselves (canary, SLO gate, bench run):
 * a fresh random name that must be free, synthetic rows of the same shape (id, category,
 * year, vectors), and always dropped after, never touching a collection someone else owns.
 */

/** A fresh, unused collection name: a throwaway collection must never land on an existing one. */
export function throwawayName(): string {
    return `milvus_gpu_canary_${randomBytes(6).toString("hex")}`;
}

export type ThrowawayVector = { name: string; kind: "dense"; dim: number } | { name: string; kind: "sparse" };

/** Columns of synthetic rows: the scalar fields the canary filter reads, then the vectors. */
export function throwawayFields(vectors: readonly ThrowawayVector[]): FieldType[] {
    return [
        { name: "id", data_type: DataType.Int64, is_primary_key: true, autoID: false },
        { name: "category", data_type: DataType.VarChar, max_length: 16 },
        { name: "year", data_type: DataType.Int32 },
        ...vectors.map((v): FieldType => (v.kind === "dense" ? { name: v.name, data_type: DataType.FloatVector, dim: v.dim } : { name: v.name, data_type: DataType.SparseFloatVector })),
    ];
}

export interface ThrowawayOptions {
    /** How messages name it: `canary`, `bench collection`. */
    role: string;
    /** The collection's description, saying it is safe to drop. */
    description: string;
    vectors: readonly ThrowawayVector[];
    /** Strong makes every search see every inserted row (the canary measures recall on all of them). */
    strong?: boolean;
}

/** One throwaway collection: `create` it under its fresh name, and `drop` it in a `finally`. */
export class ThrowawayCollection {
    readonly name = throwawayName();
    private created = false;

    constructor(
        private readonly client: MilvusClient,
        private readonly options: ThrowawayOptions,
    ) {}

    async create(): Promise<void> {
        const { client, name, options } = this;
        const exists = await call(`hasCollection ${name}`, () => client.hasCollection({ collection_name: name }));
        if (exists.value) throw new Error(`${options.role} name ${name} is already taken; not touching it`);
        await call(`create ${options.role === "canary" ? "canary " : ""}${name}`, () =>
            client.createCollection({
                collection_name: name,
                description: options.description,
                ...(options.strong ? { consistency_level: "Strong" as const } : {}),
                fields: throwawayFields(options.vectors),
            }),
        );
        this.created = true;
    }

    /** Drops it if it exists; `wrap` lets a caller time or log the drop. Never throws. */
    drop(wrap?: (drop: () => Promise<unknown>) => Promise<unknown>): Promise<{ removed: boolean; error?: string }> {
        return dropOwnCollection(this.client, this.name, this.created, wrap);
    }
}

/**
 * Drops a collection the step made under a fresh random name, also one whose create timed out
 * after succeeding (the name was free before, so whatever holds it now is ours). `wrap` lets a
 * caller time the drop.
 */
export async function dropOwnCollection(
    client: MilvusClient,
    name: string,
    created: boolean,
    wrap: (drop: () => Promise<unknown>) => Promise<unknown> = (drop) => drop(),
): Promise<{ removed: boolean; error?: string }> {
    const exists =
        created ||
        (await client
            .hasCollection({ collection_name: name })
            .then((r) => r.value === true)
            .catch(() => false));
    if (!exists) return { removed: false };
    try {
        await wrap(() => call(`drop ${name}`, () => client.dropCollection({ collection_name: name })));
        return { removed: true };
    } catch (e) {
        return { removed: false, error: (e as Error).message };
    }
}

/** Search answers come back flat for one query and nested for several: the ids, per query. */
export function idsPerQuery(results: unknown, nq: number): number[][] {
    const list = results as unknown[];
    const nested = nq === 1 && !Array.isArray(list[0]) ? [list] : (list as unknown[][]);
    return nested.map((hits) => (hits as { id: string | number }[]).map((h) => Number(h.id)));
}
