import { OutputMap, Stack } from "@pulumi/pulumi/automation";
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../components/schema/server/connection";
import type { SchemaReport } from "../../components/schema/verify/report";
import { containerNames, inspectContainer } from "./harness/docker";
import { connect, insertDocuments, rowCount, rowsTagged } from "./harness/milvusData";
import { E2eProject, e2eStack, stateFileText } from "./harness/project";
import { closeScenario, openScenario, Scenario } from "./harness/scenario";
import { DeploymentPlace, devLikeConfig } from "./harness/stacks";

/** The dev stack with Milvus's own TLS on and a certificate generated on the Docker host. */
function tlsConfig(place: DeploymentPlace) {
    const config = devLikeConfig(place);
    config.milvus = { ...(config.milvus as Record<string, unknown>), tls: { mode: "one-way", certificate: "generated" } };
    return config;
}

describe("Milvus over TLS with a generated certificate, on the real engine and a real Docker daemon", () => {
    let scenario: Scenario;
    let project: E2eProject;
    let place: DeploymentPlace;
    let stack: Stack;
    const tlsDir = () => path.join(place.dataDir, ".milvus-gpu", "tls");
    const token = (o: OutputMap) => `root:${o.rootPassword.value as string}`;
    const tlsClient = (o: OutputMap) =>
        createClient({
            address: o.endpoint.value as string,
            token: token(o),
            tlsCaPem: o.tlsCertificate.value as string,
            tlsServerName: o.tlsServerName.value as string,
            rpcTimeoutMs: 60_000,
        });

    beforeAll(async () => {
        scenario = await openScenario("tls");
        ({ project, place } = scenario);
        stack = await e2eStack(project, "tls", tlsConfig(place));
    });
    afterAll(() => closeScenario(scenario, stack));

    it("t1. up: the certificate is made on the host, Milvus serves TLS only, the schema step passed over TLS", async () => {
        const started = Date.now();
        const result = await stack.up({ color: "never" });
        expect(result.summary.result).toBe("succeeded");
        const o = result.outputs;
        const report = o.schemaReport.value as SchemaReport;
        expect(report.passed).toBe(true);
        expect(report.collections.map((c) => [c.name, c.status])).toEqual([["documents", "created"]]);
        for (const canary of report.canaries) expect(canary.recall ?? 0).toBeGreaterThanOrEqual(report.recallThreshold);

        // The certificate output is the one on the host; the key stays there, readable by root only.
        const pem = o.tlsCertificate.value as string;
        expect(o.tlsCertificate.secret).toBe(false);
        expect(pem.trim()).toBe(fs.readFileSync(path.join(tlsDir(), "server.pem"), "utf8").trim());
        expect(new X509Certificate(pem).subjectAltName).toContain("DNS:localhost");
        expect(o.tlsServerName.value).toBe("localhost");
        const key = fs.readFileSync(path.join(tlsDir(), "server.key"), "utf8");
        expect(fs.statSync(path.join(tlsDir(), "server.key")).mode & 0o777).toBe(0o600);
        const keyBody = key.split("\n").filter((l) => l && !l.startsWith("-----")).join("");
        expect(stateFileText(project, stack.name).includes(keyBody.slice(0, 40))).toBe(false);

        const milvus = inspectContainer(containerNames(place.namePrefix).milvus)!;
        expect(milvus.health).toBe("healthy");
        expect(milvus.env).toContain("COMMON_SECURITY_TLSMODE=1");
        expect(milvus.mounts).toContainEqual({ source: tlsDir(), destination: "/milvus/tls" });

        // A client trusting that certificate writes and counts rows; a plain one is not served.
        const client = tlsClient(o);
        try {
            await insertDocuments(client, "documents", 300, 384, "over-tls");
            expect(await rowCount(client, "documents")).toBe(300);
            expect(await rowsTagged(client, "documents", "over-tls")).toBe(300);
        } finally {
            await client.closeConnection();
        }
        const plain = connect(o.endpoint.value as string, token(o));
        try {
            const res = await plain.listCollections().catch((e: Error) => ({ status: { error_code: "Refused", reason: e.message } }));
            expect(res.status.error_code).not.toBe("Success");
        } finally {
            await plain.closeConnection();
        }
        console.log(`t1: up with TLS in ${((Date.now() - started) / 1000).toFixed(0)} s; 300 rows written and counted over TLS`);
    });

    it("t2. a second up changes nothing; destroy + up reuses the certificate, and the rows are still there", async () => {
        const first = await stack.outputs();
        const again = await stack.up({ color: "never" });
        expect(Object.entries(again.summary.resourceChanges ?? {}).filter(([op]) => op !== "same")).toEqual([]);

        await stack.destroy({ color: "never" });
        expect(inspectContainer(containerNames(place.namePrefix).milvus)).toBeUndefined();
        expect(fs.existsSync(path.join(tlsDir(), "server.key"))).toBe(true);

        const back = await stack.up({ color: "never" });
        expect(back.summary.result).toBe("succeeded");
        expect(back.outputs.tlsCertificate.value).toBe(first.tlsCertificate.value);
        // Found, not recreated (only additive steps can have run: the step never drops).
        const [documents] = (back.outputs.schemaReport.value as SchemaReport).collections;
        expect(documents.status).not.toBe("created");
        expect((back.outputs.schemaReport.value as SchemaReport).passed).toBe(true);
        if (documents.applied.length) console.log(`t2: after destroy + up the step applied: ${documents.applied.join("; ")}`);
        const client = tlsClient(back.outputs);
        try {
            expect(await rowCount(client, "documents")).toBe(300);
        } finally {
            await client.closeConnection();
        }
    });
});
