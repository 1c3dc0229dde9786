import type { TestProject } from "vitest/node";
import { createClient } from "../../components/schema/server/connection";
import { startMilvusServer } from "../../scripts/milvus-server";

/**
 * Once per target project: starts the shared real Milvus server (authentication on) for the
 * milvus-server target and tells its test files where it is, or asks an external server its
 * version. Milvus Lite needs nothing here: each test file starts its own.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
    const target = project.getProvidedContext().milvusTarget;
    if (target.name === "milvus-lite") return;
    if (target.name === "external") {
        const client = createClient({ address: target.address!, ...(target.token ? { token: target.token } : {}) });
        const version = await client.getVersion().then((v) => v.version, () => undefined);
        await client.closeConnection().catch(() => undefined);
        project.provide("milvusTarget", { ...target, ...(version ? { version } : {}), authentication: target.token !== undefined });
        console.log(`[${target.name}] ${target.address}, reporting ${version ?? "no version"}`);
        return;
    }
    const server = await startMilvusServer({ authorization: true });
    const client = createClient({ address: server.address, token: server.token });
    const version = (await client.getVersion()).version;
    await client.closeConnection().catch(() => undefined);
    project.provide("milvusTarget", { ...target, address: server.address, token: server.token, version, authentication: true });
    console.log(`[${target.name}] Milvus ${version} with authentication on at ${server.address} (pid ${server.pid}), healthy ${(server.startMs / 1000).toFixed(1)} s after start`);
    return async () => {
        await server.stop();
    };
}
