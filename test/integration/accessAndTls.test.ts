import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MilvusAccessError } from "../../components/schema/server/diagnosis";
import { BenchReport } from "../../components/bench/report";
import { createClient } from "../../components/schema/server/connection";
import { PipelineOptions, runSchemaPipeline } from "../../components/schema/step/pipeline";
import { makeSchemaProvider, pipelineModule, SchemaDeploymentInputs } from "../../components/schema/step/provider";
import { parseSchemaSettings } from "../../components/schema/spec/parse";
import { MilvusServer, startMilvusServer } from "../../scripts/milvus-server";
import { makeTestCertificates, TestCertificates } from "../helpers/tlsCertificates";
import { credentials, MilvusTarget, onlyWhere, startTarget, uniqueName } from "./milvusTarget";

const root = resolve(__dirname, "../..");

function cli(script: "verify" | "bench", ...args: string[]) {
    const started = Date.now();
    const res = spawnSync(process.execPath, ["--import", "tsx", join(root, `scripts/${script}.ts`), ...args], {
        cwd: root,
        encoding: "utf8",
        timeout: 150_000,
        env: { ...process.env, MILVUS_TOKEN: "" },
    });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr, ms: Date.now() - started };
}

const small = (name: string) =>
    parseSchemaSettings({
        collections: [
            {
                name,
                fields: [
                    { name: "id", type: "INT64", primary: true, autoId: true },
                    { name: "embedding", type: "FLOAT_VECTOR", dim: 8 },
                ],
                indexes: [{ field: "embedding", type: "FLAT", metric: "L2" }],
            },
        ],
    });

/** Runs the step and returns what it threw (or undefined) and how long it took. */
async function attempt(options: PipelineOptions): Promise<{ error: unknown; ms: number }> {
    const started = Date.now();
    const error = await runSchemaPipeline(options).then(
        () => undefined,
        (e: unknown) => e,
    );
    return { error, ms: Date.now() - started };
}

// The health wait allows 120 s by default; these failures must come well before that.
const FAST_MS = 15_000;

describe("authentication and TLS", () => {
    let target: MilvusTarget;
    let certs: TestCertificates | undefined;
    let tlsServer: MilvusServer | undefined;
    const needsAuth = () => "Milvus Lite has no authentication; these run on the real server (authentication on)";
    const needsTls = () => "starts a Milvus server of its own with --tls-mode 1, which only the milvus-server target does (Milvus Lite has no TLS)";

    beforeAll(async () => {
        target = await startTarget();
        if (target.kind === "milvus-server") {
            certs = makeTestCertificates("milvus.test");
            tlsServer = await startMilvusServer({ authorization: true, tls: { certPemPath: certs.certPath, keyPemPath: certs.keyPath, caPemPath: certs.caPath } });
            console.log(`TLS server (--tls-mode 1, authentication on) healthy ${(tlsServer.startMs / 1000).toFixed(1)} s after start at ${tlsServer.address}`);
        }
    });
    afterAll(async () => {
        await tlsServer?.stop();
        certs?.remove();
        await target?.stop();
    });

    describe("authentication", () => {
        it("a missing token fails at once with what to give, not after the health timeout", async (ctx) => {
            onlyWhere(ctx, target, target.authentication, needsAuth());
            const { error, ms } = await attempt({ address: target.address, spec: small(uniqueName("no_token")), verify: { enabled: false } });
            expect(error).toBeInstanceOf(MilvusAccessError);
            expect((error as MilvusAccessError).problem).toBe("no-token");
            expect((error as Error).message).toContain(`Milvus at ${target.address} has authentication on and no token was given`);
            expect((error as Error).message).toContain("`--token` / $MILVUS_TOKEN");
            expect(ms).toBeLessThan(FAST_MS);
        });

        it("a wrong token fails at once, saying so without showing the token", async (ctx) => {
            onlyWhere(ctx, target, target.authentication, needsAuth());
            const { error, ms } = await attempt({ address: target.address, token: "root:not-the-password-4711", spec: small(uniqueName("bad_token")), verify: { enabled: false } });
            expect(error).toBeInstanceOf(MilvusAccessError);
            expect((error as MilvusAccessError).problem).toBe("bad-token");
            expect((error as Error).message).toMatch(new RegExp(`Milvus at ${target.address.replace(/\./g, "\\.")} rejected the token \\(server said: 16 UNAUTHENTICATED`));
            expect((error as Error).message).not.toContain("not-the-password-4711");
            expect(ms).toBeLessThan(FAST_MS);
        });

        it("verify exits 1 at once on a missing and on a wrong token", (ctx) => {
            onlyWhere(ctx, target, target.authentication, needsAuth());
            const missing = cli("verify", "--address", target.address);
            expect(missing.code).toBe(1);
            expect(missing.stderr).toContain("has authentication on and no token was given");
            expect(missing.ms).toBeLessThan(FAST_MS + 5000);
            const wrong = cli("verify", "--address", target.address, "--token", "root:nope");
            expect(wrong.code).toBe(1);
            expect(wrong.stderr).toContain("rejected the token");
            expect(wrong.stderr).not.toContain("root:nope");
            expect(wrong.ms).toBeLessThan(FAST_MS + 5000);
        });
    });

    describe("TLS (--tls-mode 1, a certificate for milvus.test signed by a CA made for this run)", () => {
        const tls = () => ({ address: tlsServer!.address, token: tlsServer!.token, tlsCaPem: certs!.caPem, tlsServerName: certs!.serverName });

        it("with the CA and the server name, the whole step runs over TLS", async (ctx) => {
            onlyWhere(ctx, target, tlsServer !== undefined, needsTls());
            const name = uniqueName("over_tls");
            const report = await runSchemaPipeline({ ...tls(), spec: small(name), verify: { canaryRows: 200, queries: 5 } });
            expect(report.passed).toBe(true);
            expect(report.collections[0]).toMatchObject({ name, status: "created", loaded: true });
            expect(report.canaries[0].recall).toBe(1);
            // Read back over a connection of its own.
            const client = createClient(tls());
            try {
                expect((await client.hasCollection({ collection_name: name })).value).toBe(true);
            } finally {
                await client.closeConnection();
            }
        });

        it.for([
            ["no CA (system roots only)", { tls: true }, /certificate was not accepted: (unable to verify the first certificate|self[- ]signed)/],
            ["a CA that did not sign it", { otherCa: true }, /certificate was not accepted: (unable to verify the first certificate|self[- ]signed)/],
            ["a server name the certificate does not carry", { serverName: "other.test" }, /certificate was not accepted: .*other\.test.*it is set to other\.test/],
            ["no server name (the address is an IP the certificate does not name)", { serverName: undefined }, /certificate was not accepted: .*127\.0\.0\.1/],
        ] as const)("refuses the certificate at once, saying what to give: %s", async ([, change, message], ctx) => {
            onlyWhere(ctx, target, tlsServer !== undefined, needsTls());
            const base = tls();
            const options: PipelineOptions = {
                address: base.address,
                token: base.token,
                spec: small(uniqueName("bad_cert")),
                verify: { enabled: false },
                ...("tls" in change ? { tls: true } : { tlsCaPem: "otherCa" in change ? certs!.otherCaPem : base.tlsCaPem }),
                ...("serverName" in change ? (change.serverName ? { tlsServerName: change.serverName } : {}) : { tlsServerName: base.tlsServerName }),
            };
            const { error, ms } = await attempt(options);
            expect(error).toBeInstanceOf(MilvusAccessError);
            expect((error as MilvusAccessError).problem).toBe("certificate");
            expect((error as Error).message).toMatch(message);
            expect((error as Error).message).toContain("`--tls-ca <file>`");
            expect(ms).toBeLessThan(FAST_MS);
        });

        it("plain text to the TLS server fails at once, saying the server speaks TLS", async (ctx) => {
            onlyWhere(ctx, target, tlsServer !== undefined, needsTls());
            const { error, ms } = await attempt({ address: tlsServer!.address, token: tlsServer!.token, spec: small(uniqueName("plain")), verify: { enabled: false } });
            expect(error).toBeInstanceOf(MilvusAccessError);
            expect((error as MilvusAccessError).problem).toBe("server-uses-tls");
            expect((error as Error).message).toContain(`Milvus at ${tlsServer!.address} speaks TLS, and this client connected in plain text`);
            expect(ms).toBeLessThan(FAST_MS);
        });

        it("TLS to a plain-text server fails at once, saying it does not speak TLS", async (ctx) => {
            onlyWhere(ctx, target, tlsServer !== undefined, needsTls());
            const { error, ms } = await attempt({ ...credentials(target), tlsCaPem: certs!.caPem, tlsServerName: "milvus.test", spec: small(uniqueName("tls_to_plain")), verify: { enabled: false } });
            expect(error).toBeInstanceOf(MilvusAccessError);
            expect((error as MilvusAccessError).problem).toBe("server-without-tls");
            expect((error as Error).message).toMatch(new RegExp(`Milvus at ${target.address.replace(/\./g, "\\.")} does not speak TLS \\(the TLS handshake failed: .*wrong version number`));
            expect(ms).toBeLessThan(FAST_MS);
        });

        it("verify --tls-ca --tls-server-name runs the dev-sized step over TLS and exits 0", (ctx) => {
            onlyWhere(ctx, target, tlsServer !== undefined, needsTls());
            const spec = join(certs!.dir, "spec.json");
            writeFileSync(spec, JSON.stringify({ schema: small(uniqueName("verify_tls")), verify: { canaryRows: 200, queries: 5 } }));
            const r = cli("verify", "--address", tlsServer!.address, "--token", tlsServer!.token!, "--tls-ca", certs!.caPath, "--tls-server-name", "milvus.test", "--spec", spec);
            expect(r.code, r.stderr).toBe(0);
            expect(r.stdout).toContain("Result: PASSED");
            const plain = cli("verify", "--address", tlsServer!.address, "--token", tlsServer!.token!, "--spec", spec);
            expect(plain.code).toBe(1);
            expect(plain.stderr).toContain("speaks TLS, and this client connected in plain text");
        });

        it("bench --tls-ca --tls-server-name measures over TLS, the pymilvus side too", (ctx) => {
            onlyWhere(ctx, target, tlsServer !== undefined, needsTls());
            const r = cli("bench", "--address", tlsServer!.address, "--token", tlsServer!.token!, "--tls-ca", certs!.caPath, "--tls-server-name", "milvus.test",
                "--rows", "500", "--dim", "8", "--index", "FLAT", "--metric", "L2", "--duration", "1", "--concurrency", "1", "--filter", "", "--json", "--out", certs!.dir);
            expect(r.code, r.stderr).toBe(0);
            const report = JSON.parse(r.stdout) as BenchReport;
            expect(report).toMatchObject({ passed: true, removed: true, target: { embedded: false } });
            expect(report.comparisonClient).toMatch(/^pymilvus \d/);
            const [level] = report.indexes[0].levels;
            expect(level.node.errors).toBe(0);
            expect(level.comparison!.errors).toBe(0);
            expect(report.indexes[0].recall).toBe(1);
        });

        it("the MilvusSchema provider carries tlsCaPem and tlsServerName to the step, and re-runs when they change", async (ctx) => {
            onlyWhere(ctx, target, tlsServer !== undefined, needsTls());
            const provider = makeSchemaProvider(pipelineModule());
            const inputs: SchemaDeploymentInputs = { ...tls(), spec: small(uniqueName("provider_tls")), verify: { enabled: false, canaryRows: 10, queries: 1, topK: 1, recallThreshold: 0.9, seed: 1, stepTimeoutSeconds: 60 } };
            expect((await provider.check!({} as SchemaDeploymentInputs, inputs)).failures ?? []).toEqual([]);
            const created = await provider.create(inputs);
            expect(created.outs!.report.collections[0].status).toBe("created");
            expect((await provider.diff!(created.id, created.outs!, { ...inputs, tlsServerName: "milvus.internal" })).changes).toBe(true);
            const bad = await provider.check!({} as SchemaDeploymentInputs, { ...inputs, tlsCaPem: "not a certificate" });
            expect(bad.failures?.map((f) => f.reason).join("\n")).toMatch(/tlsCaPem: invalid value "\(PEM text of 17 characters\)"/);
        });
    });
});
