import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseStandaloneSettings } from "../../../components/standalone/settings";
import { milvusContainerSpec } from "../../../components/standalone/specs";
import {
    checkConfiguredCertificate,
    configuredCertificateRequest,
    configuredCertificateScript,
    generatedCertificateNames,
    generatedCertificateScript,
    tlsHostDir,
} from "../../../components/standalone/tlsCertificate";
import { placeholderTlsPair } from "../../../policies/offline/placeholderTls";
import { configErrorsOf } from "../../helpers/configErrors";

const temp = fs.mkdtempSync(path.join(os.tmpdir(), "milvus-tls-"));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/**
 * Runs a TLS script with a stand-in `docker` first on PATH that logs its calls and says whether
 * the Milvus container exists. `tools` limits PATH to a directory of chosen tools.
 */
function runScript(script: string, opts: { stdin?: string; containerExists?: boolean; tools?: string[] } = {}) {
    const bin = fs.mkdtempSync(path.join(temp, "bin-"));
    const log = path.join(bin, "docker.log");
    fs.writeFileSync(path.join(bin, "docker"), `#!/bin/sh\necho "$@" >> ${log}\n[ "$1" = inspect ] && exit ${opts.containerExists ? 0 : 1}\nexit 0\n`, { mode: 0o755 });
    let PATH = `${bin}:${process.env.PATH}`;
    if (opts.tools) {
        for (const t of opts.tools) fs.symlinkSync(spawnSync("sh", ["-c", `command -v ${t}`], { encoding: "utf8" }).stdout.trim(), path.join(bin, t));
        PATH = bin;
    }
    const r = spawnSync("/bin/sh", ["-c", script], { input: opts.stdin ?? "", encoding: "utf8", env: { PATH } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, docker: fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [] };
}

describe("the Milvus container with milvus.tls", () => {
    it("turns one-way TLS on through env overrides and mounts the host's files read-only", () => {
        const spec = milvusContainerSpec(parseStandaloneSettings({ dataDir: "/srv/m", milvus: { tls: { mode: "one-way" } } }));
        expect(spec.env).toMatchObject({
            COMMON_SECURITY_TLSMODE: "1",
            TLS_SERVERPEMPATH: "/milvus/tls/server.pem",
            TLS_SERVERKEYPATH: "/milvus/tls/server.key",
            TLS_CAPEMPATH: "/milvus/tls/server.pem",
        });
        expect(spec.volumes).toContainEqual({ hostPath: "/srv/m/.milvus-gpu/tls", containerPath: "/milvus/tls", readOnly: true });
    });

    it("has neither without it", () => {
        const spec = milvusContainerSpec(parseStandaloneSettings({}));
        expect(Object.keys(spec.env).filter((k) => k.includes("TLS"))).toEqual([]);
        expect(spec.volumes.map((v) => v.containerPath)).toEqual(["/var/lib/milvus"]);
    });
});

describe("generated certificate: made on the Docker host, once, the key never printed", () => {
    const dataDir = path.join(temp, "gen");
    const names = generatedCertificateNames("0.0.0.0");
    const script = generatedCertificateScript(dataDir, "m-standalone", names);

    it("first run: a self-signed certificate for localhost, standalone and loopback; key 0600 on the host, certificate on stdout", () => {
        const r = runScript(script);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/^-----BEGIN CERTIFICATE-----/);
        expect(r.stdout).not.toMatch(/PRIVATE KEY/);
        expect(script).not.toMatch(/PRIVATE KEY|-----BEGIN/);
        const cert = new X509Certificate(r.stdout);
        expect(cert.subjectAltName).toBe("DNS:localhost, DNS:standalone, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
        expect(cert.checkIssued(cert)).toBe(true);
        const dir = tlsHostDir(dataDir);
        expect(fs.statSync(path.join(dir, "server.key")).mode & 0o777).toBe(0o600);
        expect(fs.readFileSync(path.join(dir, "server.pem"), "utf8")).toBe(r.stdout);
        // No container yet: nothing to restart.
        expect(r.docker.filter((c) => c.startsWith("restart"))).toEqual([]);
    });

    it("later runs (destroy + up of the same data) reuse it; a running Milvus is left alone", () => {
        const first = fs.readFileSync(path.join(tlsHostDir(dataDir), "server.pem"), "utf8");
        const r = runScript(script, { containerExists: true });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toBe(first);
        expect(r.docker.filter((c) => c.startsWith("restart"))).toEqual([]);
    });

    it("new names (Milvus bound to one address) make a new certificate, and Milvus is restarted to load it", () => {
        const bound = generatedCertificateScript(dataDir, "m-standalone", generatedCertificateNames("10.0.0.5"));
        const r = runScript(bound, { containerExists: true });
        expect(r.status, r.stderr).toBe(0);
        expect(new X509Certificate(r.stdout).subjectAltName).toContain("IP Address:10.0.0.5");
        expect(r.docker).toContain("restart m-standalone");
    });

    it("without openssl on the host it fails saying what to install or configure instead", () => {
        const r = runScript(generatedCertificateScript(path.join(temp, "no-openssl"), "m-standalone", names), { tools: ["mkdir", "cat", "chmod", "mv", "rm"] });
        expect(r.status).toBe(41);
        expect(r.stderr).toContain("openssl is not installed on the Docker host");
        expect(r.stderr).toContain("milvus.tls.certificate: config");
    });
});

describe("certificate from config: written from stdin, never on a command line", () => {
    const dataDir = path.join(temp, "cfg");
    const script = configuredCertificateScript(dataDir, "c-standalone");
    const pair = placeholderTlsPair("milvus.example.com");

    it("writes the pair (key 0600), prints the certificate, restarts Milvus only when it changed", () => {
        const r = runScript(script, { stdin: configuredCertificateRequest(pair.cert, pair.key), containerExists: true });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toBe(pair.cert);
        const dir = tlsHostDir(dataDir);
        expect(fs.readFileSync(path.join(dir, "server.key"), "utf8")).toBe(pair.key);
        expect(fs.statSync(path.join(dir, "server.key")).mode & 0o777).toBe(0o600);
        expect(r.docker).toContain("restart c-standalone");
        const again = runScript(script, { stdin: configuredCertificateRequest(pair.cert, pair.key), containerExists: true });
        expect(again.docker.filter((c) => c.startsWith("restart"))).toEqual([]);
        const next = placeholderTlsPair("milvus.example.com");
        const rotated = runScript(script, { stdin: configuredCertificateRequest(next.cert, next.key), containerExists: true });
        expect(rotated.stdout).toBe(next.cert);
        expect(rotated.docker).toContain("restart c-standalone");
        expect(script).not.toContain(pair.key.slice(40, 80));
    });

    it("a bad certificate, a bad key or a key of another certificate is a config error naming the secret key, not its value", () => {
        const other = placeholderTlsPair();
        expect(() => checkConfiguredCertificate(pair.cert, pair.key)).not.toThrow();
        const [cert] = configErrorsOf(() => checkConfiguredCertificate("not a certificate", pair.key));
        expect(cert.field).toBe("milvusTlsCert");
        const [key] = configErrorsOf(() => checkConfiguredCertificate(pair.cert, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
        expect(key.field).toBe("milvusTlsKey");
        const [mismatch] = configErrorsOf(() => checkConfiguredCertificate(pair.cert, other.key));
        expect(mismatch.field).toBe("milvusTlsKey");
        expect(mismatch.message).toContain("another certificate");
        expect(mismatch.message).not.toContain(other.key.slice(30, 60));
    });
});
