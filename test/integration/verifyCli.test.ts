import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verify } from "../helpers/verifyCommand";
import { freePort } from "../../scripts/milvus-lite";
import { devSpec } from "./devSpec";
import { MilvusTarget, startTarget, targetKind, uniqueName } from "./milvusTarget";

function specFile(doc: unknown): string {
    const file = join(mkdtempSync(join(tmpdir(), "verify-spec-")), "spec.json");
    writeFileSync(file, JSON.stringify(doc));
    return file;
}

const fastVerify = { canaryRows: 1000, queries: 10, topK: 10, recallThreshold: 0.9, seed: 42 };

describe("npm run verify", () => {
    // On milvus-lite the CLI starts Milvus Lite itself (--embedded, the README's first command);
    // on a server target it is pointed at that server with --address and --token.
    let target: MilvusTarget | undefined;
    const embedded = targetKind() === "milvus-lite";
    const reach = (): string[] => (embedded ? ["--embedded"] : ["--address", target!.address, ...(target!.token ? ["--token", target!.token] : [])]);
    const documents = uniqueName("documents");
    // The dev spec as a user of this server's release would write it (Trie/STL_SORT before Milvus 2.4).
    const spec = () => (embedded ? [] : ["--spec", specFile({ schema: devSpec(documents, uniqueName("docs"), target), verify: fastVerify })]);

    beforeAll(async () => {
        if (!embedded) target = await startTarget();
    });
    afterAll(async () => {
        await target?.stop();
    });

    it("runs the whole step on the dev spec, prints the report and exits 0", () => {
        const r = verify(...reach(), ...spec());
        if (embedded) expect(r.stderr).toMatch(/Milvus Lite listening on 127\.0\.0\.1:\d+/);
        expect(r.code, r.stderr).toBe(0);
        const name = embedded ? "documents" : documents;
        expect(r.stdout).toContain("Result: PASSED");
        expect(r.stdout).toMatch(/Capabilities: the declared schema is within what Milvus (Lite )?\d+\.\d+\.\d+ supports/);
        expect(r.stdout).toContain(`${name}: created, loaded`);
        expect(r.stdout).toContain(`+ create HNSW index on ${name}.embedding`);
        expect(r.stdout).toContain(`+ create partition 2024_docs in ${name}`);
        expect(r.stdout).toMatch(/HNSW\/COSINE \{M: 16, efConstruction: 200\} search \{ef: 64\}, dim 384, 1000 rows/);
        expect(r.stdout).toMatch(/recall@10 (0\.9\d\d|1\.000)/);
        expect(r.stdout).toMatch(/timings ms: create \d+, insert \d+, flush \d+, index \d+, load \d+, search \d+/);
    });

    it("--json prints the report as JSON", () => {
        const r = verify(...reach(), "--json", ...(embedded ? [] : ["--spec", specFile({ schema: devSpec(uniqueName("documents"), uniqueName("docs"), target), verify: fastVerify })]));
        expect(r.code, r.stderr).toBe(0);
        const report = JSON.parse(r.stdout) as { passed: boolean; canaries: { recall: number }[]; capabilities: { checked: boolean } };
        expect(report.passed).toBe(true);
        expect(report.capabilities.checked).toBe(true);
        expect(report.canaries[0].recall).toBeGreaterThanOrEqual(0.9);
    });

    it("exits 1 with a clear message when the address does not answer in time", async () => {
        const port = await freePort();
        const r = verify("--address", `127.0.0.1:${port}`, "--health-timeout", "2");
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`Milvus at 127.0.0.1:${port} did not become healthy within 2s`);
    });

    it("exits 2 on an unknown flag, naming it, without a stack trace", () => {
        const r = verify("--adress", "127.0.0.1:1");
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("--adress");
        expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it("exits 2 (bad input) naming the bad field of an invalid spec file", () => {
        const dir = mkdtempSync(join(tmpdir(), "verify-spec-"));
        const file = join(dir, "spec.yaml");
        writeFileSync(file, "collections:\n  - name: d\n    fields:\n      - { name: id, type: INT64, primary: true }\n      - { name: v, type: FLOAT_VECTOR, dim: 0 }\n    indexes:\n      - { field: v, type: HNSW, metric: L2, params: { M: 0 } }\n");
        const r = verify("--address", "127.0.0.1:1", "--spec", file);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("schema.collections[0].fields[1].dim: invalid value 0");
    });

    it("reads a stack file the way render and policy do: the whole stack is validated, with line numbers", () => {
        const dir = mkdtempSync(join(tmpdir(), "verify-stack-"));
        const file = join(dir, "Pulumi.bad.yaml");
        writeFileSync(file, "config:\n  milvus-gpu:milvus:\n    memory: 16\n  milvus-gpu:schema:\n    collections: []\n");
        const r = verify("--address", "127.0.0.1:1", "--spec", file);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("Pulumi.bad.yaml:3:13: milvus.memory: invalid value 16");
        writeFileSync(file, "config:\n  milvus-gpu:mode: standalone\n  milvus-gpu:mode: cluster\n");
        const dup = verify("--address", "127.0.0.1:1", "--spec", file);
        expect(dup.code).toBe(2);
        expect(dup.stderr).toMatch(/Pulumi\.bad\.yaml:3:3: Map keys must be unique/);
        expect(dup.stderr).not.toMatch(/\n\s+at /);
    });

    it("rejects --tls-ca with --embedded, and a CA file that is not a certificate, before connecting", () => {
        const notPem = specFile({ not: "a certificate" });
        const withEmbedded = verify("--embedded", "--tls-ca", notPem);
        expect(withEmbedded.code).toBe(2);
        expect(withEmbedded.stderr).toContain("--embedded runs Milvus Lite, which has no TLS");
        const bad = verify("--address", "127.0.0.1:1", "--tls-ca", notPem, "--tls-server-name", "bad name!");
        expect(bad.code).toBe(2);
        expect(bad.stderr).toMatch(/tlsCaPem: invalid value "\(PEM text of \d+ characters\)"; expected one or more PEM certificates/);
        expect(bad.stderr).toContain('tlsServerName: invalid value "bad name!"; expected a DNS host name');
        expect(bad.stderr).not.toContain("did not become healthy");
        const missing = verify("--address", "127.0.0.1:1", "--tls-ca", "/nonexistent/ca.pem");
        expect(missing.code).toBe(2);
        expect(missing.stderr).toContain('--tls-ca: invalid value "/nonexistent/ca.pem"; expected a readable PEM file of the CA certificate (ENOENT)');
    });
});
