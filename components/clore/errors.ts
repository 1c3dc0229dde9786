/**
 * Typed errors for Clore.ai answers. The API signals failure in the `code` field of the
 * JSON body, so each code gets its own class and a message that says what to do. No
 * message ever contains the API key.
 */

export class CloreApiError extends Error {
    /** The answer's `code`, or undefined when no answer arrived (network, timeout). */
    readonly code: number | undefined;
    /** e.g. "GET /marketplace". */
    readonly call: string;

    constructor(call: string, code: number | undefined, message: string) {
        super(message);
        this.name = "CloreApiError";
        this.call = call;
        this.code = code;
    }
}

/** Code 1: the API's own database failed. */
export class CloreDatabaseError extends CloreApiError {
    constructor(call: string, detail?: string) {
        super(call, 1, `Clore.ai ${call} failed with code 1 (database error on Clore.ai's side${detail ? `: ${detail}` : ""}); try again later`);
        this.name = "CloreDatabaseError";
    }
}

/** Code 2: the request body or query was rejected. */
export class CloreInvalidInputError extends CloreApiError {
    constructor(call: string, detail?: string) {
        super(call, 2, `Clore.ai ${call} rejected the request with code 2 (invalid input data${detail ? `: ${detail}` : ""}); check the order settings (image, ports, env, server, price)`);
        this.name = "CloreInvalidInputError";
    }
}

const KEY_ADVICE = "create a key at clore.ai (Account -> API) and set it with `pulumi config set --secret milvus-gpu:cloreApiKey <key>`";

/** Code 3, or HTTP 401/403 whatever the body: the API key is wrong, revoked or missing. */
export class CloreInvalidTokenError extends CloreApiError {
    /** Set when the HTTP status said so (the body may be plain text, not the API's JSON). */
    readonly httpStatus?: number;

    constructor(call: string, httpStatus?: number) {
        super(
            call,
            3,
            httpStatus === undefined
                ? `Clore.ai ${call} rejected the API key with code 3 (invalid API token): ${KEY_ADVICE}`
                : `Clore.ai ${call} rejected the API key with HTTP ${httpStatus} (bad API key): ${KEY_ADVICE}`,
        );
        this.name = "CloreInvalidTokenError";
        if (httpStatus !== undefined) this.httpStatus = httpStatus;
    }
}

/** Code 4: the endpoint does not exist (wrong base URL or an API change). */
export class CloreInvalidEndpointError extends CloreApiError {
    constructor(call: string) {
        super(call, 4, `Clore.ai ${call} answered code 4 (invalid endpoint): check the API base URL`);
        this.name = "CloreInvalidEndpointError";
    }
}

/** Code 5: called too fast; raised only after the retries ran out. */
export class CloreRateLimitError extends CloreApiError {
    readonly attempts: number;

    constructor(call: string, attempts: number) {
        super(call, 5, `Clore.ai ${call} answered code 5 (called too fast) ${attempts} time(s) in a row; wait a minute and retry, and do not run other clients with the same key at the same time`);
        this.name = "CloreRateLimitError";
        this.attempts = attempts;
    }
}

/** Code 6: any other failure, with the API's text and the numbers some refusals carry. */
export class CloreOtherError extends CloreApiError {
    readonly detail: string;
    /** Numeric fields beside `error`, e.g. set_spot_price's `max_step` or `time_to_lowering`. */
    readonly numbers: Readonly<Record<string, number>>;

    constructor(call: string, detail: string, numbers: Record<string, number> = {}) {
        super(call, 6, `Clore.ai ${call} failed with code 6: ${detail || "(no error text given)"}`);
        this.name = "CloreOtherError";
        this.detail = detail;
        this.numbers = numbers;
    }
}

/**
 * An HTTP answer that is not the API's JSON (a proxy's error page, a plain-text 5xx):
 * named with its status and a short excerpt. It is an answer, not a lost one.
 */
export class CloreHttpError extends CloreApiError {
    readonly status: number;
    readonly excerpt: string;

    constructor(call: string, status: number, excerpt: string) {
        super(call, undefined, `Clore.ai ${call} answered HTTP ${status} with a body that is not the API's JSON: ${JSON.stringify(excerpt)}`);
        this.name = "CloreHttpError";
        this.status = status;
        this.excerpt = excerpt;
    }
}

/** A code outside 0..6. */
export class CloreUnknownCodeError extends CloreApiError {
    constructor(call: string, code: number, detail?: string) {
        super(call, code, `Clore.ai ${call} answered an undocumented code ${code}${detail ? `: ${detail}` : ""}`);
        this.name = "CloreUnknownCodeError";
    }
}

/** No usable answer: connection failure, timeout, or a body that is not the API's JSON. */
export class CloreNetworkError extends CloreApiError {
    /** True when the request may have reached the API (so a create may have happened). */
    readonly maybeDelivered: boolean;

    constructor(call: string, detail: string, maybeDelivered: boolean) {
        super(call, undefined, `Clore.ai ${call} got no usable answer: ${detail}`);
        this.name = "CloreNetworkError";
        this.maybeDelivered = maybeDelivered;
    }
}

/** The error for an answer's code (0 is not an error and is never passed here). */
export function errorForCode(call: string, code: number, detail: string | undefined, attempts: number, numbers: Record<string, number> = {}): CloreApiError {
    switch (code) {
        case 1:
            return new CloreDatabaseError(call, detail);
        case 2:
            return new CloreInvalidInputError(call, detail);
        case 3:
            return new CloreInvalidTokenError(call);
        case 4:
            return new CloreInvalidEndpointError(call);
        case 5:
            return new CloreRateLimitError(call, attempts);
        case 6:
            return new CloreOtherError(call, detail ?? "", numbers);
        default:
            return new CloreUnknownCodeError(call, code, detail);
    }
}
