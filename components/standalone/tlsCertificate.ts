import * as pulumi from "@pulumi/pulumi";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { ConfigError } from "../errors";
import type { HostShell } from "../host/hostShell";
import { isLoopback, MilvusTls } from "./settings";

/*
 * Milvus's server certificate and key, kept on the Docker host beside the data (like the
 * credential record) and mounted read-only into the Milvus container. A generated one is made
 * there, once, by openssl: its private key never leaves the host and is never on a command line;
 * only the certificate (public) is read back, for clients to trust.
 */

/** Where the container reads them (common.security.tlsMode / tls.* through env overrides). */
export const TLS_CONTAINER_DIR = "/milvus/tls";
export const TLS_CERT_FILE = "server.pem";
export const TLS_KEY_FILE = "server.key";

export function tlsHostDir(dataDir: string): string {
    return `${dataDir}/.milvus-gpu/tls`;
}

/** The env that turns one-way TLS on, with the certificate as its own CA (self-signed, or a chain the client is given). */
export function tlsEnv(): Record<string, string> {
    return {
        COMMON_SECURITY_TLSMODE: "1",
        TLS_SERVERPEMPATH: `${TLS_CONTAINER_DIR}/${TLS_CERT_FILE}`,
        TLS_SERVERKEYPATH: `${TLS_CONTAINER_DIR}/${TLS_KEY_FILE}`,
        TLS_CAPEMPATH: `${TLS_CONTAINER_DIR}/${TLS_CERT_FILE}`,
    };
}

/**
 * The name a client checks a generated certificate against. Clients trust exactly that
 * certificate (as their CA), so the name can be fixed: a deployment reached through a public
 * address, an SSH tunnel or the Docker network verifies the same way.
 */
export const GENERATED_SERVER_NAME = "localhost";

/** Subject alternative names of a generated certificate. */
export function generatedCertificateNames(grpcHost: string): { dns: string[]; ip: string[] } {
    const dns = [GENERATED_SERVER_NAME, "standalone"];
    const ip = ["127.0.0.1", "::1"];
    // A deployment bound to one address also answers to it.
    if (grpcHost !== "0.0.0.0" && grpcHost !== "::" && !isLoopback(grpcHost)) {
        (/^[\d.]+$|:/.test(grpcHost) ? ip : dns).push(grpcHost);
    }
    return { dns, ip };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Restarts Milvus when its certificate changed under a running container (it reads the files at start). */
function restartIfRunning(containerName: string): string[] {
    return [
        `if [ "$changed" = 1 ] && docker inspect ${quote(containerName)} >/dev/null 2>&1; then`,
        `  docker restart ${quote(containerName)} >/dev/null && echo "milvus-gpu: restarted ${containerName} to load the new certificate" >&2`,
        "fi",
    ];
}

/**
 * Generates a self-signed certificate under <dataDir>/.milvus-gpu/tls unless one generated for
 * the same names is there (so destroy + up reuses it), and prints the certificate.
 */
export function generatedCertificateScript(dataDir: string, containerName: string, names: { dns: string[]; ip: string[] }): string {
    const san = [...names.dns.map((n) => `DNS:${n}`), ...names.ip.map((n) => `IP:${n}`)].join(",");
    return [
        "set -eu",
        "umask 077",
        `dir=${quote(tlsHostDir(dataDir))}`,
        `names=${quote(san)}`,
        'mkdir -p "$dir"',
        "changed=0",
        `if [ ! -s "$dir/${TLS_CERT_FILE}" ] || [ ! -s "$dir/${TLS_KEY_FILE}" ] || [ "$(cat "$dir/origin" 2>/dev/null)" != "generated $names" ]; then`,
        '  if ! command -v openssl >/dev/null 2>&1; then echo "milvus-gpu: milvus.tls.certificate is generated, but openssl is not installed on the Docker host: install it (apt-get install openssl), or set milvus.tls.certificate: config with the milvusTlsCert/milvusTlsKey secrets" >&2; exit 41; fi',
        `  if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -subj "/CN=${GENERATED_SERVER_NAME}" -addext "subjectAltName=$names" -keyout "$dir/${TLS_KEY_FILE}.new" -out "$dir/${TLS_CERT_FILE}.new" 2>"$dir/openssl.log"; then`,
        '    echo "milvus-gpu: openssl could not generate the TLS certificate on the Docker host:" >&2; cat "$dir/openssl.log" >&2; exit 42',
        "  fi",
        `  mv "$dir/${TLS_KEY_FILE}.new" "$dir/${TLS_KEY_FILE}"`,
        `  mv "$dir/${TLS_CERT_FILE}.new" "$dir/${TLS_CERT_FILE}"`,
        '  printf "generated %s\\n" "$names" > "$dir/origin"',
        '  rm -f "$dir/openssl.log"',
        "  changed=1",
        '  echo "milvus-gpu: generated a self-signed certificate for $names in $dir" >&2',
        "fi",
        `chmod 644 "$dir/${TLS_CERT_FILE}"`,
        ...restartIfRunning(containerName),
        `cat "$dir/${TLS_CERT_FILE}"`,
    ].join("\n");
}

/** What the config script reads on stdin: the certificate and key, base64, one per line. */
export function configuredCertificateRequest(cert: string, key: string): string {
    const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
    return `cert=${b64(cert)}\nkey=${b64(key)}\n`;
}

/** Writes the configured certificate and key (given on stdin) under <dataDir>/.milvus-gpu/tls and prints the certificate. */
export function configuredCertificateScript(dataDir: string, containerName: string): string {
    return [
        "set -eu",
        "umask 077",
        `dir=${quote(tlsHostDir(dataDir))}`,
        'mkdir -p "$dir"',
        "request=$(cat)",
        `printf '%s\\n' "$request" | sed -n 's/^cert=//p' | base64 -d > "$dir/${TLS_CERT_FILE}.new"`,
        `printf '%s\\n' "$request" | sed -n 's/^key=//p' | base64 -d > "$dir/${TLS_KEY_FILE}.new"`,
        "changed=0",
        `for f in ${TLS_CERT_FILE} ${TLS_KEY_FILE}; do`,
        '  if cmp -s "$dir/$f.new" "$dir/$f"; then rm -f "$dir/$f.new"; else mv "$dir/$f.new" "$dir/$f"; changed=1; fi',
        "done",
        'echo config > "$dir/origin"',
        `chmod 644 "$dir/${TLS_CERT_FILE}"`,
        ...restartIfRunning(containerName),
        `cat "$dir/${TLS_CERT_FILE}"`,
    ].join("\n");
}

/**
 * Checks a configured certificate and key before anything is deployed: both PEM, and the key
 * the certificate's. Values are secrets, so messages never show them.
 */
export function checkConfiguredCertificate(cert: string, key: string): void {
    let x509: X509Certificate;
    try {
        x509 = new X509Certificate(cert);
    } catch (e) {
        throw new ConfigError("milvusTlsCert", "(secret)", `a PEM certificate (-----BEGIN CERTIFICATE-----), for milvus.tls.certificate: config (${(e as Error).message})`);
    }
    let privateKey: ReturnType<typeof createPrivateKey>;
    try {
        privateKey = createPrivateKey(key);
    } catch (e) {
        throw new ConfigError("milvusTlsKey", "(secret)", `an unencrypted PEM private key, for milvus.tls.certificate: config (${(e as Error).message})`);
    }
    if (!x509.checkPrivateKey(privateKey)) {
        throw new ConfigError("milvusTlsKey", "(secret)", "the private key of milvusTlsCert (this key belongs to another certificate)");
    }
}

/** The command's stdout loses the file's final newline; give it back, so the output is the file. */
const asPemFile = (s: string) => (s === "" || s.endsWith("\n") ? s : `${s}\n`);

export interface MilvusCertificateArgs {
    host: HostShell;
    dataDir: string;
    containerName: string;
    grpcHost: string;
    tls: MilvusTls;
    /** For `certificate: config`: the PEM certificate and key (secrets). */
    configured?: { cert: pulumi.Input<string>; key: pulumi.Input<string> };
}

export interface MilvusCertificate {
    /** The certificate Milvus serves (PEM, public): what clients trust. */
    certificate: pulumi.Output<string>;
    /** The name clients check it against, when it is not the address's host (generated certificates). */
    serverName: string | undefined;
    /** The host step that puts the files in place: Milvus starts after it. */
    step: pulumi.Resource;
}

/** `certificate: config` needs the pair given: checked before the component registers anything. */
export function requireConfiguredPair(tls: MilvusTls, configured: MilvusCertificateArgs["configured"]): void {
    if (tls.certificate === "config" && !configured) {
        throw new ConfigError("milvusTlsCert", undefined, "set (with milvusTlsKey) as secrets for milvus.tls.certificate: config: pulumi config set --secret milvusTlsCert < server.pem");
    }
}

/** Puts Milvus's certificate and key on the Docker host (generated there, or from config) and reads the certificate back. */
export function milvusCertificate(name: string, args: MilvusCertificateArgs, parent: pulumi.Resource): MilvusCertificate {
    requireConfiguredPair(args.tls, args.configured);
    if (args.tls.certificate === "config" && args.configured) {
        const request = pulumi.all([args.configured.cert, args.configured.key]).apply(([cert, key]) => {
            checkConfiguredCertificate(cert, key);
            return configuredCertificateRequest(cert, key);
        });
        const step = args.host.script(
            name,
            // A new certificate in config changes stdin: an update, which runs the script again.
            { create: configuredCertificateScript(args.dataDir, args.containerName), stdin: pulumi.secret(request), logging: "stderr" },
            { parent },
        );
        return { certificate: step.stdout.apply(asPemFile), serverName: undefined, step };
    }
    const step = args.host.script(
        name,
        { create: generatedCertificateScript(args.dataDir, args.containerName, generatedCertificateNames(args.grpcHost)), logging: "stderr" },
        { parent },
    );
    return { certificate: step.stdout.apply(asPemFile), serverName: GENERATED_SERVER_NAME, step };
}
