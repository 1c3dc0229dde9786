import type {
    CancelOrderRequest,
    CloreAnswer,
    CreateOrderRequest,
    MarketplaceAnswer,
    MyOrdersAnswer,
    SetSpotPriceRequest,
    SpotMarketAnswer,
    WalletsAnswer,
} from "./api";
import { CloreApiError, CloreHttpError, CloreInvalidTokenError, CloreNetworkError, errorForCode } from "./errors";

export const DEFAULT_CLORE_API_URL = "https://api.clore.ai/v1";

export interface CloreClientOptions {
    /** The API key; sent only in the `auth` header, never logged or put in errors. */
    apiKey: string;
    /** Default https://api.clore.ai/v1; tests point it at a local fake. */
    baseUrl?: string;
    /** Minimum gap between any two calls with the same key and base URL (default 3000 ms). */
    minSpacingMs?: number;
    /** Minimum gap between two create_order calls (default 5000 ms). */
    createOrderSpacingMs?: number;
    /** Attempts per call, counting the first (default 5). */
    maxAttempts?: number;
    /** First retry delay, doubled each retry (default 2000 ms). */
    backoffMs?: number;
    /** Upper bound of one retry delay (default 30000 ms). */
    maxBackoffMs?: number;
    /** Per-attempt timeout (default 30000 ms). */
    timeoutMs?: number;
    /** Defaults to the platform's fetch. */
    fetch?: typeof fetch;
}

/** Plain settings of a client without the key: what a Pulumi resource stores as inputs. */
export type CloreClientSettings = Omit<CloreClientOptions, "apiKey" | "fetch">;

interface CallSpec {
    method: "GET" | "POST";
    path: string;
    query?: Record<string, string>;
    body?: object;
    /**
     * Whether resending after a lost answer is harmless. create_order is not: a request
     * that reached the API but whose answer was lost may have placed an order.
     */
    idempotent: boolean;
}

interface RateState {
    /** Tail of the queue of calls; each call starts after the previous one settles. */
    tail: Promise<void>;
    lastCallAt: number;
    lastCreateAt: number;
}

// Kept on globalThis so every client (and every serialized dynamic provider) in one
// process shares the spacing for a key: the API counts calls per key, not per object.
const RATE_REGISTRY = "__milvusGpuCloreRateState";

function rateStateFor(key: string): RateState {
    const g = globalThis as unknown as Record<string, Map<string, RateState> | undefined>;
    const registry = (g[RATE_REGISTRY] ??= new Map<string, RateState>());
    let state = registry.get(key);
    if (!state) {
        state = { tail: Promise.resolve(), lastCallAt: 0, lastCreateAt: 0 };
        registry.set(key, state);
    }
    return state;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

type Outcome =
    | { kind: "answer"; answer: CloreAnswer; retryAfterMs?: number }
    /** An answer that ends the call at once (a bad key). */
    | { kind: "refused"; error: CloreApiError }
    /** No usable answer: lost, timed out, or not the API's JSON. */
    | { kind: "failure"; error: CloreNetworkError | CloreHttpError };

/** The API's JSON answer, or undefined when the text is not one. */
function parseAnswer(text: string): CloreAnswer | undefined {
    try {
        const value: unknown = JSON.parse(text);
        if (typeof value === "object" && value !== null && typeof (value as CloreAnswer).code === "number") return value as CloreAnswer;
    } catch {
        // not JSON
    }
    return undefined;
}

/** Numeric fields of a refusal besides `code` (e.g. set_spot_price's max_step). */
function numbersOf(answer: CloreAnswer): Record<string, number> {
    const numbers: Record<string, number> = {};
    for (const [k, v] of Object.entries(answer)) if (k !== "code" && typeof v === "number" && Number.isFinite(v)) numbers[k] = v;
    return numbers;
}

/** Retry-After in seconds (the only form an API like this sends), capped at a minute. */
function retryAfterMs(header: string | null): number | undefined {
    const seconds = header === null ? NaN : Number(header);
    return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : undefined;
}

/**
 * A small typed client for the Clore.ai API. Calls are queued and spaced to the API's
 * rate, retried with exponential backoff on code 5 or HTTP 429 (too fast), on network
 * errors and (reads only) on non-JSON 5xx answers, and each attempt has a timeout. Every
 * non-zero `code` becomes a typed CloreApiError; HTTP 401/403 is a bad key at once.
 */
export class CloreClient {
    readonly baseUrl: string;
    private readonly apiKey: string;
    private readonly options: Required<Omit<CloreClientOptions, "apiKey" | "baseUrl" | "fetch">>;
    private readonly fetchImpl: typeof fetch;
    private readonly rate: RateState;

    constructor(options: CloreClientOptions) {
        if (typeof options.apiKey !== "string" || options.apiKey.trim() === "") {
            throw new Error("CloreClient: an API key is required (milvus-gpu:cloreApiKey)");
        }
        this.apiKey = options.apiKey;
        this.baseUrl = (options.baseUrl ?? DEFAULT_CLORE_API_URL).replace(/\/+$/, "");
        this.options = {
            minSpacingMs: options.minSpacingMs ?? 3000,
            createOrderSpacingMs: options.createOrderSpacingMs ?? 5000,
            maxAttempts: Math.max(1, options.maxAttempts ?? 5),
            backoffMs: options.backoffMs ?? 2000,
            maxBackoffMs: options.maxBackoffMs ?? 30000,
            timeoutMs: options.timeoutMs ?? 30000,
        };
        this.fetchImpl = options.fetch ?? fetch;
        this.rate = rateStateFor(`${this.baseUrl}\n${this.apiKey}`);
    }

    marketplace(): Promise<MarketplaceAnswer> {
        return this.call<MarketplaceAnswer>({ method: "GET", path: "/marketplace", idempotent: true });
    }

    myOrders(returnCompleted = false): Promise<MyOrdersAnswer> {
        return this.call<MyOrdersAnswer>({
            method: "GET",
            path: "/my_orders",
            query: { return_completed: String(returnCompleted) },
            idempotent: true,
        });
    }

    /** Places an order. The answer has no order id: find the order in myOrders(). */
    createOrder(request: CreateOrderRequest): Promise<CloreAnswer> {
        return this.call<CloreAnswer>({ method: "POST", path: "/create_order", body: request, idempotent: false });
    }

    cancelOrder(request: CancelOrderRequest): Promise<CloreAnswer> {
        // Cancelling twice cancels nothing more, so a resend is harmless.
        return this.call<CloreAnswer>({ method: "POST", path: "/cancel_order", body: request, idempotent: true });
    }

    wallets(): Promise<WalletsAnswer> {
        return this.call<WalletsAnswer>({ method: "GET", path: "/wallets", idempotent: true });
    }

    /** The spot market of one server: current bids and the minimum price. */
    spotMarket(serverId: number): Promise<SpotMarketAnswer> {
        return this.call<SpotMarketAnswer>({
            method: "GET",
            path: "/spot_marketplace",
            query: { market: String(serverId) },
            idempotent: true,
        });
    }

    setSpotPrice(request: SetSpotPriceRequest): Promise<CloreAnswer> {
        return this.call<CloreAnswer>({ method: "POST", path: "/set_spot_price", body: request, idempotent: true });
    }

    private async call<T extends CloreAnswer>(spec: CallSpec): Promise<T> {
        const name = `${spec.method} /${spec.path.replace(/^\//, "")}`;
        const o = this.options;
        let delay = o.backoffMs;
        for (let attempt = 1; ; attempt++) {
            const outcome = await this.spaced(spec.path === "/create_order", () => this.attempt(spec, name));
            if (outcome.kind === "answer") {
                const answer = outcome.answer;
                if (answer.code === 0) return answer as T;
                if (answer.code === 5 && attempt < o.maxAttempts) {
                    // Code 5 refused the call, so even create_order is safe to send again.
                    await sleep(Math.max(delay, outcome.retryAfterMs ?? 0));
                    delay = Math.min(delay * 2, o.maxBackoffMs);
                    continue;
                }
                throw errorForCode(name, answer.code, this.redact(answer.error), attempt, numbersOf(answer));
            }
            if (outcome.kind === "refused") throw outcome.error;
            const error = outcome.error;
            const retryable = error instanceof CloreHttpError ? error.status >= 500 && spec.idempotent : spec.idempotent || !error.maybeDelivered;
            if (!retryable || attempt >= o.maxAttempts) throw error;
            await sleep(delay);
            delay = Math.min(delay * 2, o.maxBackoffMs);
        }
    }

    /** Runs `work` after the previous call of this key settled and the spacing passed. */
    private spaced<R>(isCreate: boolean, work: () => Promise<R>): Promise<R> {
        const rate = this.rate;
        const o = this.options;
        const run = rate.tail.then(async () => {
            const now = Date.now();
            let wait = rate.lastCallAt + o.minSpacingMs - now;
            if (isCreate) wait = Math.max(wait, rate.lastCreateAt + o.createOrderSpacingMs - now);
            await sleep(wait);
            try {
                return await work();
            } finally {
                rate.lastCallAt = Date.now();
                if (isCreate) rate.lastCreateAt = rate.lastCallAt;
            }
        });
        rate.tail = run.then(
            () => undefined,
            () => undefined,
        );
        return run;
    }

    private async attempt(spec: CallSpec, name: string): Promise<Outcome> {
        const url = new URL(this.baseUrl + spec.path);
        for (const [k, v] of Object.entries(spec.query ?? {})) url.searchParams.set(k, v);
        const headers: Record<string, string> = { auth: this.apiKey, accept: "application/json" };
        if (spec.body) headers["content-type"] = "application/json";
        let response: Response;
        try {
            response = await this.fetchImpl(url, {
                method: spec.method,
                headers,
                body: spec.body ? JSON.stringify(spec.body) : undefined,
                signal: AbortSignal.timeout(this.options.timeoutMs),
            });
        } catch (e) {
            return { kind: "failure", error: this.networkError(name, e) };
        }
        // The status first: a 401/403 may come as plain text and is a bad key whatever the body
        // says, and a 429 is the rate limit even when the body is not the API's JSON.
        if (response.status === 401 || response.status === 403) {
            await response.body?.cancel().catch(() => undefined);
            return { kind: "refused", error: new CloreInvalidTokenError(name, response.status) };
        }
        let text: string;
        try {
            text = await response.text();
        } catch (e) {
            return { kind: "failure", error: this.networkError(name, e, true) };
        }
        if (response.status === 429) return { kind: "answer", answer: { code: 5 }, retryAfterMs: retryAfterMs(response.headers.get("retry-after")) };
        const answer = parseAnswer(text);
        if (answer) return { kind: "answer", answer };
        const excerpt = this.redact(text.replace(/\s+/g, " ").trim().slice(0, 120));
        return { kind: "failure", error: new CloreHttpError(name, response.status, excerpt) };
    }

    private networkError(name: string, e: unknown, afterResponse = false): CloreNetworkError {
        const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
        if (err?.name === "TimeoutError" || err?.name === "AbortError") {
            return new CloreNetworkError(name, `no answer within ${this.options.timeoutMs} ms (timed out)`, true);
        }
        const code = err?.cause?.code;
        // Refused or unresolvable connections never reached the API.
        const notSent = code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
        const detail = [err?.message, err?.cause?.code ?? err?.cause?.message].filter(Boolean).join(": ");
        return new CloreNetworkError(name, this.redact(detail || String(e)), afterResponse || !notSent);
    }

    /** Removes the key from any text that may end up in an error message. */
    private redact(text: string): string;
    private redact(text: string | undefined): string | undefined;
    private redact(text: string | undefined): string | undefined {
        return text === undefined ? undefined : text.split(this.apiKey).join("***");
    }
}

export function isCloreApiError(e: unknown): e is CloreApiError {
    return e instanceof CloreApiError;
}
