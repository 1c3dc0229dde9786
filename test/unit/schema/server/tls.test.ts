import { describe, expect, it } from "vitest";
import { ProblemList } from "../../../../components/configSchema";
import { createClient } from "../../../../components/schema/server/connection";
import { checkTlsChoice, readCaFile } from "../../../../components/schema/server/tls";
import { makeTestCertificates } from "../../../helpers/tlsCertificates";

function check(raw: Record<string, unknown>) {
    const problems = new ProblemList();
    const out = checkTlsChoice(raw, problems);
    return { out, problems: problems.errors.map((e) => e.message) };
}

describe("checkTlsChoice", () => {
    const certs = makeTestCertificates();

    it("accepts a CA (one or more certificates) and a host name", () => {
        expect(check({ tlsCaPem: certs.caPem, tlsServerName: "milvus.test" })).toEqual({ out: { tlsCaPem: certs.caPem, tlsServerName: "milvus.test" }, problems: [] });
        expect(check({ tlsCaPem: `${certs.caPem}\n${certs.otherCaPem}` }).problems).toEqual([]);
        expect(check({ tls: true, tlsServerName: "milvus.internal" }).problems).toEqual([]);
        expect(check({})).toEqual({ out: {}, problems: [] });
    });

    it("reports every problem, never printing the PEM", () => {
        const { problems } = check({ tls: false, tlsCaPem: "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----", tlsServerName: "bad name" });
        expect(problems).toEqual([
            'tlsCaPem: invalid value "(PEM text of 64 characters)"; expected one or more PEM certificates (-----BEGIN CERTIFICATE----- ...) of the CA that signed the server\'s certificate',
            "tls: invalid value false; expected true or unset when tlsCaPem is given (a CA certificate means TLS)",
            'tlsServerName: invalid value "bad name"; expected a DNS host name the server\'s certificate names, such as milvus.internal',
        ]);
        expect(check({ tlsServerName: "milvus.test" }).problems).toEqual(['tlsServerName: invalid value "milvus.test"; expected unset unless TLS is used (tls: true or tlsCaPem)']);
    });

    it("readCaFile names the option and path it cannot read", () => {
        expect(readCaFile(certs.caPath)).toBe(certs.caPem);
        expect(() => readCaFile("/nonexistent/ca.pem")).toThrow('--tls-ca: invalid value "/nonexistent/ca.pem"; expected a readable PEM file of the CA certificate (ENOENT)');
        certs.remove();
    });
});

describe("createClient with TLS options", () => {
    it("gives the SDK the CA itself (grpc-js reads no NODE_EXTRA_CA_CERTS) and the name override; a CA implies TLS", async () => {
        const client = createClient({ address: "127.0.0.1:1", tlsCaPem: "PEM", tlsServerName: "milvus.test" });
        try {
            expect(client.config.ssl).toBe(true);
            expect(client.config.tls?.rootCert?.toString()).toBe("PEM");
            expect(client.config.tls?.serverName).toBe("milvus.test");
        } finally {
            await client.closeConnection().catch(() => undefined);
        }
    });
});
