import { ClientConfig, MilvusClient } from "@zilliz/milvus2-sdk-node";

export interface ConnectionOptions {
    /** `host:port` of the Milvus gRPC endpoint. */
    address: string;
    /** `user:password` or an API key; sent as the authorization token. */
    token?: string;
    /** Use TLS to reach Milvus (server certificate checked against the system roots unless tlsCaPem is set). */
    tls?: boolean;
    /**
     * PEM of the CA that signed the server's certificate; implies TLS. Given to the SDK
     * directly because @grpc/grpc-js does not read NODE_EXTRA_CA_CERTS.
     */
    tlsCaPem?: string;
    /** Host name to check the server's certificate against when it differs from the address's host. */
    tlsServerName?: string;
    /** Deadline of each RPC in milliseconds (default 30 s). */
    rpcTimeoutMs?: number;
    /**
     * Less work per call, for the benchmark: no client telemetry heartbeats and no grpc-js
     * transparent retries (the caller counts every failure itself).
     */
    lean?: boolean;
}

/** Whether these options connect with TLS (`tls: true`, or a CA given). */
export function usesTls(options: Pick<ConnectionOptions, "tls" | "tlsCaPem">): boolean {
    return options.tls === true || options.tlsCaPem !== undefined;
}

export function createClient(options: ConnectionOptions): MilvusClient {
    const config: ClientConfig = {
        address: options.address,
        ssl: usesTls(options),
        timeout: options.rpcTimeoutMs ?? 30_000,
        // Our own health wait does the retrying, with a bound the user chose.
        maxRetries: 0,
        logLevel: "error",
    };
    if (options.token) config.token = options.token;
    if (options.tlsCaPem !== undefined || options.tlsServerName !== undefined) {
        config.tls = {
            ...(options.tlsCaPem !== undefined ? { rootCert: Buffer.from(options.tlsCaPem) } : {}),
            ...(options.tlsServerName !== undefined ? { serverName: options.tlsServerName } : {}),
        };
    }
    if (options.lean) {
        config.telemetry = { enabled: false };
        config.channelOptions = { "grpc.enable_retries": 0 };
    }
    const client = new MilvusClient(config);
    // The SDK starts connecting at once; an unreachable address must surface through the
    // health wait's clear error, not as an unhandled rejection that kills the process.
    client.connectPromise.catch(() => undefined);
    return client;
}

export class MilvusUnavailableError extends Error {
    constructor(
        readonly address: string,
        readonly timeoutSeconds: number,
        readonly attempts: number,
        readonly lastError: string,
    ) {
        super(
            `Milvus at ${address} did not become healthy within ${timeoutSeconds}s ` +
                `(${attempts} attempt${attempts === 1 ? "" : "s"}; last error: ${lastError})`,
        );
        this.name = "MilvusUnavailableError";
    }
}

/**
 * Milvus went away in the middle of the step (stopped, restarted, network cut). Says where the
 * step was and that nothing was removed, so a re-run is known to be safe.
 */
export class MilvusConnectionLostError extends Error {
    constructor(
        readonly address: string,
        readonly phase: string,
        readonly cause: string,
    ) {
        super(
            `lost the connection to Milvus at ${address} while ${phase} (${cause}). The schema step only adds, so ` +
                "nothing was dropped or rewritten; what it created before stays. Run `pulumi up` again once Milvus " +
                "is back (`pulumi up --refresh` restarts a container that was stopped): the step picks up from what exists.",
        );
        this.name = "MilvusConnectionLostError";
    }
}

/** gRPC failures that mean the server is gone or unreachable, not that it refused a request. */
export function isConnectionLoss(e: unknown): boolean {
    const err = e as { code?: unknown; message?: unknown };
    if (err?.code === 14 || err?.code === 4) return true; // UNAVAILABLE, DEADLINE_EXCEEDED
    return /\b(14 UNAVAILABLE|4 DEADLINE_EXCEEDED)\b|Connection dropped|No connection established|ECONNREFUSED|ECONNRESET/.test(String(err?.message ?? e));
}

export interface BackoffOptions {
    /** Total time allowed, seconds. */
    timeoutSeconds: number;
    initialDelayMs?: number;
    maxDelayMs?: number;
}

/** Delays of a bounded exponential backoff (doubling, capped) that fit within the timeout. */
export function backoffDelays(options: BackoffOptions): number[] {
    const initial = options.initialDelayMs ?? 250;
    const cap = options.maxDelayMs ?? 5_000;
    const budget = options.timeoutSeconds * 1000;
    const delays: number[] = [];
    let total = 0;
    for (let d = initial; total + d <= budget; d = Math.min(d * 2, cap)) {
        delays.push(d);
        total += d;
    }
    return delays;
}

/** Something that answers the Milvus CheckHealth RPC (the SDK client, or a test double). */
export interface HealthProbe {
    checkHealth(): Promise<{ isHealthy: boolean; reasons?: string[]; status?: { reason?: string } }>;
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Polls CheckHealth until Milvus says it is healthy, backing off exponentially, and gives
 * up with MilvusUnavailableError once `timeoutSeconds` have passed (each probe is cut off
 * at the remaining budget, so an unresponsive address cannot stretch the wait). A failure
 * that `classify` recognizes as permanent ends the wait at once with that error.
 * Returns the milliseconds it took.
 */
export async function waitForHealthy(
    probe: HealthProbe,
    address: string,
    options: BackoffOptions & {
        /** Picks out failures that waiting cannot fix (refused credentials, TLS mismatch): the wait stops with that error. */
        classify?: (e: unknown) => Promise<Error | undefined>;
    },
): Promise<number> {
    const started = Date.now();
    const budgetMs = options.timeoutSeconds * 1000;
    const delays = backoffDelays(options);
    let attempts = 0;
    let lastError = "no attempt made";
    for (let i = 0; ; i++) {
        const remaining = budgetMs - (Date.now() - started);
        if (remaining <= 0) break;
        attempts++;
        try {
            const res = await withDeadline(probe.checkHealth(), remaining);
            if (res.isHealthy) return Date.now() - started;
            lastError = `unhealthy: ${res.reasons?.join("; ") || res.status?.reason || "no reason given"}`;
        } catch (e) {
            const fatal = await options.classify?.(e);
            if (fatal) throw fatal;
            lastError = e instanceof Error ? e.message.split("\n")[0] : String(e);
        }
        const delay = delays[Math.min(i, delays.length - 1)] ?? 0;
        const left = budgetMs - (Date.now() - started);
        if (delay === 0 || left <= 0) break;
        await new Promise((r) => setTimeout(r, Math.min(delay, left)));
    }
    throw new MilvusUnavailableError(address, options.timeoutSeconds, attempts, lastError);
}
