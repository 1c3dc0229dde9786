import { CloreDatabaseError, CloreInvalidInputError, CloreOtherError } from "./errors";

/**
 * What a refused create_order means for choosing a server, read from the answer's code and
 * error text. Clore's own reference lists the texts a renter meets (https://dev.clore.ai/reference/api-reference,
 * "Common Errors"): `not_enough_balance`, `server-already-rented`, `too_low_price`,
 * `server-offline`, `currency-not-allowed`, all with code 6 ("error specified in error field",
 * https://docs.clore.ai/for-hosts/api).
 *
 * - "server": this server will not take the order (rented, offline, refuses the coin, bid too
 *   low, or a text we do not know); another server may. Tried next.
 * - "balance": the account cannot pay; no server will take it. Stops, naming the balance.
 * - "maybe-balance": code 1. Documented as a database error, but users report it when the
 *   balance is low or the server was just rented (unconfirmed); the balance decides.
 * - "invalid": code 2. Our request was refused as input; it is the server's fault only if its
 *   listing changed meanwhile (taken, or the price moved away from required_price).
 * - "fatal": anything else (bad key, rate limit after retries, unknown code): stops.
 */
export type RefusalKind = "server" | "balance" | "maybe-balance" | "invalid" | "fatal";

/** `not_enough_balance` and `not-enough-balance` are the same text to us. */
export function normalizeErrorText(text: string): string {
    return text.trim().toLowerCase().replace(/[\s_]+/g, "-");
}

const BALANCE_TEXTS = new Set(["not-enough-balance", "insufficient-balance", "low-balance"]);

export function classifyRefusal(e: unknown): RefusalKind {
    if (e instanceof CloreOtherError) return BALANCE_TEXTS.has(normalizeErrorText(e.detail)) ? "balance" : "server";
    if (e instanceof CloreDatabaseError) return "maybe-balance";
    if (e instanceof CloreInvalidInputError) return "invalid";
    return "fatal";
}
