import { connect as tlsConnect } from "node:tls";
import { ConnectionOptions, usesTls } from "./connection";

/**
 * Failures that waiting cannot fix: the server refused the credentials, or the client and
 * the server disagree about TLS. The health wait stops at the first of these instead of
 * retrying until its timeout, and the message says what to change.
 */
export type AccessProblem = "no-token" | "bad-token" | "server-uses-tls" | "server-without-tls" | "certificate";

export class MilvusAccessError extends Error {
    constructor(
        readonly address: string,
        readonly problem: AccessProblem,
        message: string,
    ) {
        super(message);
        this.name = "MilvusAccessError";
    }
}

function firstLine(e: unknown): string {
    return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

/** The part of a grpc-js UNAVAILABLE message that says what went wrong underneath. */
function lastError(message: string): string {
    const m = /Last error: (?:Error(?: \[[A-Z_]+\])?: )?(.*?)(?:\. Resolution note:.*)?$/.exec(message);
    return (m ? m[1] : message).trim();
}

const CERTIFICATE = /self[- ]signed certificate|unable to verify|unable to get (?:local )?issuer|certificate has expired|certificate is not yet valid|does not match certificate's altnames|ERR_TLS_CERT|CERT_/i;
const PLAIN_SERVER = /wrong version number|packet length too long|unknown protocol|http request|record layer failure/i;
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|Name resolution failed|no answer within/i;

/** True when something on `address` completes a TLS handshake (its certificate is not judged here). */
export function speaksTls(address: string, timeoutMs = 3000): Promise<boolean> {
    const at = address.lastIndexOf(":");
    const host = address.slice(0, at).replace(/^\[|\]$/g, "");
    const port = Number(address.slice(at + 1));
    return new Promise((res) => {
        const socket = tlsConnect({ host, port, rejectUnauthorized: false, ALPNProtocols: ["h2"], ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }) });
        const done = (answer: boolean) => {
            clearTimeout(timer);
            socket.destroy();
            res(answer);
        };
        const timer = setTimeout(() => done(false), timeoutMs);
        socket.once("secureConnect", () => done(true));
        socket.once("error", () => done(false));
    });
}

/**
 * Whether a failed health probe is one of the failures waiting cannot fix, and if so the
 * error to stop with. A plain-text client facing a TLS server only sees "Failed to connect",
 * so in that case the port is asked once for a TLS handshake to tell the two apart.
 */
export function accessDiagnosis(options: Pick<ConnectionOptions, "address" | "token" | "tls" | "tlsCaPem" | "tlsServerName">): (e: unknown) => Promise<MilvusAccessError | undefined> {
    const tls = usesTls(options);
    let probedTls = false;
    return async (e) => {
        const message = firstLine(e);
        const code = (e as { code?: unknown })?.code;
        if (code === 16 || /\bUNAUTHENTICATED\b/.test(message)) {
            if (!options.token || /missing authorization/i.test(message)) {
                return new MilvusAccessError(
                    options.address,
                    "no-token",
                    `Milvus at ${options.address} has authentication on and no token was given (server said: ${message}). ` +
                        "Give `user:password` (or an API key) as the token: MilvusSchema `token`, or `--token` / $MILVUS_TOKEN for verify and bench.",
                );
            }
            return new MilvusAccessError(
                options.address,
                "bad-token",
                `Milvus at ${options.address} rejected the token (server said: ${message}). Check the user name and password ` +
                    "(or the API key); the token itself is not shown here.",
            );
        }
        if (code !== 14 && !/\bUNAVAILABLE\b/.test(message)) return undefined;
        const cause = lastError(message);
        if (tls && PLAIN_SERVER.test(cause)) {
            return new MilvusAccessError(
                options.address,
                "server-without-tls",
                `Milvus at ${options.address} does not speak TLS (the TLS handshake failed: ${cause}). Connect without TLS ` +
                    "(drop `tls` / `tlsCaPem`, or `--tls` / `--tls-ca`), or turn TLS on in Milvus (common.security.tlsMode 1 or 2).",
            );
        }
        if (tls && CERTIFICATE.test(cause)) {
            return new MilvusAccessError(
                options.address,
                "certificate",
                `Milvus at ${options.address} answered with TLS, but its certificate was not accepted: ${cause}. Give the CA that ` +
                    "signed it (`tlsCaPem`, or `--tls-ca <file>`); when the certificate names another host than the address, also set " +
                    `the name to check (\`tlsServerName\`, or \`--tls-server-name <name>\`)${options.tlsServerName ? `; it is set to ${options.tlsServerName}` : ""}.`,
            );
        }
        if (!tls && !probedTls && !UNREACHABLE.test(cause)) {
            probedTls = true;
            if (await speaksTls(options.address)) {
                return new MilvusAccessError(
                    options.address,
                    "server-uses-tls",
                    `Milvus at ${options.address} speaks TLS, and this client connected in plain text (${cause}). Connect with TLS: ` +
                        "`tls: true` with the CA that signed the server's certificate (`tlsCaPem`), or `--tls` / `--tls-ca <file>` for verify and bench.",
                );
            }
        }
        return undefined;
    };
}
