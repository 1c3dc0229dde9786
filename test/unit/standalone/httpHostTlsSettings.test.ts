import { describe, expect, it } from "vitest";
import { configErrorsOf } from "../../helpers/configErrors";
import { parseStandaloneSettings } from "../../../components/standalone/settings";
import { parseStackConfig, SECRET_KEYS } from "../../../stacks/config";

describe("milvus.httpHost: 9091 (health, metrics, pprof, WebUI) has its own bind address", () => {
    it("is loopback by default, whatever milvus.host says", () => {
        const s = parseStandaloneSettings({ milvus: { host: "0.0.0.0" } });
        expect(s.milvus.grpc).toEqual({ host: "0.0.0.0", port: 19530 });
        expect(s.milvus.http).toEqual({ host: "127.0.0.1", port: 9091 });
    });

    it("can be published elsewhere deliberately, with its own port", () => {
        const s = parseStandaloneSettings({ milvus: { host: "127.0.0.1", httpHost: "10.0.0.5", httpPort: 19091 } });
        expect(s.milvus.http).toEqual({ host: "10.0.0.5", port: 19091 });
    });

    it("rejects an empty address, naming the key", () => {
        const [e] = configErrorsOf(() => parseStandaloneSettings({ milvus: { httpHost: " " } }));
        expect(e.field).toBe("milvus.httpHost");
    });
});

describe("milvus.tls: Milvus's own TLS", () => {
    it("is off by default, and off when the mode says so", () => {
        expect(parseStandaloneSettings({}).milvus.tls).toBeUndefined();
        expect(parseStandaloneSettings({ milvus: { tls: { mode: "off" } } }).milvus.tls).toBeUndefined();
    });

    it("one-way with a generated certificate unless the certificate comes from config", () => {
        expect(parseStandaloneSettings({ milvus: { tls: { mode: "one-way" } } }).milvus.tls).toEqual({ mode: "one-way", certificate: "generated" });
        expect(parseStandaloneSettings({ milvus: { tls: { mode: "one-way", certificate: "config" } } }).milvus.tls).toEqual({ mode: "one-way", certificate: "config" });
    });

    it("rejects unknown modes, certificate sources and keys, naming each", () => {
        expect(configErrorsOf(() => parseStandaloneSettings({ milvus: { tls: { mode: "mutual" } } }))[0].field).toBe("milvus.tls.mode");
        expect(configErrorsOf(() => parseStandaloneSettings({ milvus: { tls: { mode: "one-way", certificate: "letsencrypt" } } }))[0].field).toBe("milvus.tls.certificate");
        expect(configErrorsOf(() => parseStandaloneSettings({ milvus: { tls: { mode: "one-way", cert: "x" } } }))[0].field).toBe("milvus.tls.cert");
        expect(configErrorsOf(() => parseStandaloneSettings({ milvus: { tls: true } }))[0].field).toBe("milvus.tls");
    });

    it("the configured certificate and key are secret stack keys", () => {
        expect(SECRET_KEYS).toEqual(expect.arrayContaining(["milvusTlsCert", "milvusTlsKey"]));
        // Known keys, so a stack file may hold them (encrypted).
        expect(() => parseStackConfig({ milvusTlsCert: "x", milvusTlsKey: "y" }, "t")).not.toThrow();
    });
});
