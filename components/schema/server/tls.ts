import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { ConfigError } from "../../errors";
import { bool, parseWith, ProblemList, str } from "../../configSchema";

/** The TLS choices of a connection to Milvus, checked. */
export interface TlsChoice {
    tls?: boolean;
    tlsCaPem?: string;
    tlsServerName?: string;
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** How a PEM is named in an error: never its content (it may come from a secret). */
function pemShown(pem: string): string {
    return `(PEM text of ${pem.length} characters)`;
}

/**
 * Checks `tls`, `tlsCaPem` and `tlsServerName` together, recording every problem: the CA must
 * be one or more PEM certificates that parse, the name a DNS host name, and neither may be
 * given with TLS turned off.
 */
export function checkTlsChoice(raw: { tls?: unknown; tlsCaPem?: unknown; tlsServerName?: unknown }, problems: ProblemList, prefix = ""): TlsChoice {
    const tls = problems.read(() => parseWith(bool().optional(), raw.tls, `${prefix}tls`));
    const pem = problems.read(() => parseWith(str().optional(), raw.tlsCaPem, `${prefix}tlsCaPem`));
    const serverName = problems.read(() => parseWith(str().optional(), raw.tlsServerName, `${prefix}tlsServerName`));
    const out: TlsChoice = {};
    if (tls !== undefined) out.tls = tls;
    if (pem !== undefined) {
        const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
        const bad = blocks.length === 0 || blocks.some((b) => !parses(b));
        if (bad) problems.add(`${prefix}tlsCaPem`, pemShown(pem), "one or more PEM certificates (-----BEGIN CERTIFICATE----- ...) of the CA that signed the server's certificate");
        else out.tlsCaPem = pem;
        if (tls === false) problems.add(`${prefix}tls`, false, "true or unset when tlsCaPem is given (a CA certificate means TLS)");
    }
    if (serverName !== undefined) {
        if (!HOST_NAME.test(serverName)) problems.add(`${prefix}tlsServerName`, serverName, "a DNS host name the server's certificate names, such as milvus.internal");
        else out.tlsServerName = serverName;
        if (tls !== true && pem === undefined) problems.add(`${prefix}tlsServerName`, serverName, "unset unless TLS is used (tls: true or tlsCaPem)");
    }
    return out;
}

function parses(block: string): boolean {
    try {
        new X509Certificate(block);
        return true;
    } catch {
        return false;
    }
}

/** Reads a CA certificate file for `--tls-ca`, naming the option and the path when it cannot. */
export function readCaFile(path: string, option = "--tls-ca"): string {
    try {
        return readFileSync(path, "utf8");
    } catch (e) {
        throw new ConfigError(option, path, `a readable PEM file of the CA certificate (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
}
