import { describe, expect, it } from "vitest";
import type { MilvusEndpoint } from "../../../components/endpoint";
import { ofType, recordResources, settle, valueOf } from "../../helpers/pulumiMocks";
import { engineConfigFor } from "../../helpers/stackConfig";

const SCHEMA_STEP = "pulumi-nodejs:dynamic/milvus-gpu:SchemaDeployment";

async function contract(e: MilvusEndpoint) {
    return {
        address: await valueOf(e.address),
        healthUrl: await valueOf(e.healthUrl),
        username: await valueOf(e.username),
        hasPassword: typeof (await valueOf(e.rootPassword)) === "string",
        token: await valueOf(e.token),
        tls: await valueOf(e.tls),
    };
}

describe("one endpoint contract for the three Milvus components (mocked engine)", () => {
    it("MilvusStandalone: address and tls, with endpoint/tlsCertificate/tlsServerName kept as deprecated aliases", async () => {
        recordResources();
        const { MilvusStandalone } = await import("../../../components/standalone/milvusStandalone");
        const m = new MilvusStandalone("contract", { namePrefix: "contract", milvus: { host: "127.0.0.1" } });
        const c = await contract(m);
        expect(c).toMatchObject({ address: "localhost:19530", healthUrl: "http://localhost:9091/healthz", username: "root", hasPassword: true, tls: { enabled: false } });
        expect(c.token).toMatch(/^root:/);
        expect(await valueOf(m.endpoint)).toBe(c.address);
        expect(await valueOf(m.tlsCertificate)).toBeUndefined();
        expect(await valueOf(m.tlsServerName)).toBeUndefined();
        await settle();
    });

    it("MilvusCluster: the token and tls it lacked before", async () => {
        recordResources();
        const { MilvusCluster } = await import("../../../components/cluster/milvusCluster");
        const m = new MilvusCluster("contract", { config: { namespace: "vectors" } });
        const c = await contract(m);
        expect(c).toMatchObject({ address: "milvus.vectors.svc.cluster.local:19530", username: "root", hasPassword: true, tls: { enabled: false } });
        expect(c.token).toBe(`root:${await valueOf(m.rootPassword)}`);
        const { isSecret } = await import("@pulumi/pulumi");
        expect(await isSecret(m.token)).toBe(true);
        await settle();
    });

    it("the stack program hands the schema step no TLS inputs when Milvus has no TLS (as before the contract)", async () => {
        const recorded = recordResources({ stack: "dev", config: engineConfigFor("dev") });
        const { runStack } = await import("../../../stacks");
        const outputs = runStack() as Record<string, any>;
        // Output names are what users and the e2e read.
        expect(Object.keys(outputs)).toEqual(expect.arrayContaining(["endpoint", "healthUrl", "username", "rootPassword", "schemaReport"]));
        expect(await valueOf(outputs.endpoint)).toBe("localhost:19530");
        await settle();
        const [schema] = ofType(recorded, SCHEMA_STEP);
        expect(schema.inputs.address).toBe("localhost:19530");
        for (const key of ["tls", "tlsCaPem", "tlsServerName"]) expect(Object.keys(schema.inputs)).not.toContain(key);
    });
});
