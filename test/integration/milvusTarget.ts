import { randomBytes } from "node:crypto";
import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { startMilvusLite } from "../../scripts/milvus-lite";

/**
 * The Milvus the integration tests run against: `MILVUS_ADDRESS` (+ `MILVUS_TOKEN`) when
 * set, otherwise a Milvus Lite started for this test file on a free loopback port.
 */
export interface MilvusTarget {
    address: string;
    token?: string;
    kind: "external" | "milvus-lite";
    client(): MilvusClient;
    stop(): Promise<void>;
}

export async function startTarget(): Promise<MilvusTarget> {
    const external = process.env.MILVUS_ADDRESS;
    const token = process.env.MILVUS_TOKEN || undefined;
    const clients: MilvusClient[] = [];
    const client = (address: string) => () => {
        const c = new MilvusClient({ address, ...(token ? { token } : {}), logLevel: "error" });
        c.connectPromise.catch(() => undefined);
        clients.push(c);
        return c;
    };
    const closeClients = async () => {
        await Promise.all(clients.map((c) => c.closeConnection().catch(() => undefined)));
    };
    if (external) {
        return { address: external, ...(token ? { token } : {}), kind: "external", client: client(external), stop: closeClients };
    }
    const lite = await startMilvusLite();
    return {
        address: lite.address,
        kind: "milvus-lite",
        client: client(lite.address),
        stop: async () => {
            await closeClients();
            await lite.stop();
        },
    };
}

/** A collection name no earlier run can have used, so tests never collide on a shared server. */
export function uniqueName(base: string): string {
    return `${base}_${randomBytes(4).toString("hex")}`;
}
