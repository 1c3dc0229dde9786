import { createServer as createTcpServer, Server } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessDiagnosis, MilvusAccessError, speaksTls } from "../../../../components/schema/server/diagnosis";
import { HealthProbe, waitForHealthy } from "../../../../components/schema/server/connection";
import { makeTestCertificates, TestCertificates } from "../../../helpers/tlsCertificates";

const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${code === 16 ? "UNAUTHENTICATED" : "UNAVAILABLE"}: ${details}`), { code });

function listen(server: Server): Promise<string> {
    return new Promise((res) => server.listen(0, "127.0.0.1", () => res(`127.0.0.1:${(server.address() as { port: number }).port}`)));
}

describe("accessDiagnosis: failures waiting cannot fix", () => {
    let certs: TestCertificates;
    let tlsServer: Server;
    let plainServer: Server;
    let tlsAddress: string;
    let plainAddress: string;

    beforeAll(async () => {
        certs = makeTestCertificates();
        tlsServer = createTlsServer({ key: readFileSync(certs.keyPath), cert: readFileSync(certs.certPath) }, (s) => s.end());
        plainServer = createTcpServer((s) => s.end());
        tlsAddress = await listen(tlsServer);
        plainAddress = await listen(plainServer);
    });
    afterAll(() => {
        tlsServer?.close();
        plainServer?.close();
        certs?.remove();
    });

    it("tells a missing token from a wrong one, never showing the token", async () => {
        const none = await accessDiagnosis({ address: "m:1" })(grpcError(16, "missing authorization in header"));
        expect(none).toBeInstanceOf(MilvusAccessError);
        expect(none!.problem).toBe("no-token");
        const wrong = await accessDiagnosis({ address: "m:1", token: "root:s3cret" })(grpcError(16, "auth check failure, please check username and password are correct"));
        expect(wrong!.problem).toBe("bad-token");
        expect(wrong!.message).toContain("Milvus at m:1 rejected the token");
        expect(wrong!.message).not.toContain("s3cret");
    });

    it("over TLS: a plain-text server and a refused certificate are both final", async () => {
        const viaTls = accessDiagnosis({ address: "m:1", tls: true });
        const plain = await viaTls(grpcError(14, "No connection established. Last error: Error: 40:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number. Resolution note: "));
        expect(plain!.problem).toBe("server-without-tls");
        const cert = await viaTls(grpcError(14, "No connection established. Last error: Error: self-signed certificate in certificate chain. Resolution note: "));
        expect(cert!.problem).toBe("certificate");
        expect(cert!.message).toContain("certificate was not accepted: self-signed certificate in certificate chain");
    });

    it("in plain text: asks the port for a TLS handshake once, and only when something answered", async () => {
        const failed = grpcError(14, "No connection established. Last error: Failed to connect (2026-12-01T21:55:40.549Z). Resolution note: ");
        const toTls = await accessDiagnosis({ address: tlsAddress })(failed);
        expect(toTls!.problem).toBe("server-uses-tls");
        expect(toTls!.message).toContain(`Milvus at ${tlsAddress} speaks TLS`);
        expect(await accessDiagnosis({ address: plainAddress })(failed)).toBeUndefined();
        // Nothing listening yet (Milvus still starting): not final, the wait goes on.
        expect(await accessDiagnosis({ address: tlsAddress })(grpcError(14, "No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: "))).toBeUndefined();
    });

    it("speaksTls sees a TLS listener and not a plain one", async () => {
        expect(await speaksTls(tlsAddress)).toBe(true);
        expect(await speaksTls(plainAddress)).toBe(false);
    });

    it("ends the health wait at the first final failure instead of waiting out the timeout", async () => {
        let calls = 0;
        const probe: HealthProbe = {
            async checkHealth() {
                calls++;
                throw grpcError(16, "missing authorization in header");
            },
        };
        const started = Date.now();
        const err = await waitForHealthy(probe, "m:1", { timeoutSeconds: 30, classify: accessDiagnosis({ address: "m:1" }) }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(MilvusAccessError);
        expect(calls).toBe(1);
        expect(Date.now() - started).toBeLessThan(1000);
    });
});
