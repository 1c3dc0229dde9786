import type { CloreClient } from "./client";
import { CloreOtherError } from "./errors";
import { normalizeErrorText } from "./refusals";
import { ceilPrice } from "./spotBid";

/**
 * Changing a running spot order's bid. Raising is free; lowering is limited by the API: a
 * change larger than `max_step` is refused with `exceeded_max_step`, and a second lowering
 * within 600 s with `can_lower_every_600_seconds` and `time_to_lowering`
 * (vladpuz/cloreai src/resources/setSpotPrice.ts). Units are not documented: `max_step` is
 * read as an amount per day in the order's currency and `time_to_lowering` as seconds.
 */

export const LOWERING_INTERVAL_SECONDS = 600;

export class SpotLoweringError extends Error {
    /** The bid the order has now. */
    readonly current: number;
    /** When (Unix seconds) the next lowering is allowed, when the API said. */
    readonly nextAt?: number;

    constructor(message: string, current: number, nextAt?: number) {
        super(message);
        this.name = "SpotLoweringError";
        this.current = current;
        if (nextAt !== undefined) this.nextAt = nextAt;
    }
}

const isText = (e: unknown, text: string): e is CloreOtherError => e instanceof CloreOtherError && normalizeErrorText(e.detail) === normalizeErrorText(text);

const at = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

function waitMessage(orderId: number, current: number, desired: number, seconds: number, now: number): SpotLoweringError {
    const nextAt = Math.ceil(now / 1000 + seconds);
    return new SpotLoweringError(
        `Clore.ai lowers a spot bid at most once every ${LOWERING_INTERVAL_SECONDS} s: order ${orderId}'s bid stays at ${current}/day for now; ` +
            `it may be lowered again in ${Math.ceil(seconds)} s (at ${at(nextAt)}); run \`pulumi up\` then to continue towards ${desired}/day`,
        current,
        nextAt,
    );
}

/**
 * Sets the bid to `desired`, or as close as the API allows now. Returns the bid set when it
 * reached `desired`; throws SpotLoweringError saying what was set and when to go on otherwise.
 */
export async function changeSpotBid(client: CloreClient, orderId: number, current: number, desired: number, now: () => number = Date.now): Promise<number> {
    try {
        await client.setSpotPrice({ order_id: orderId, desired_price: desired });
        return desired;
    } catch (e) {
        if (desired >= current) throw e;
        if (isText(e, "can_lower_every_600_seconds")) {
            throw waitMessage(orderId, current, desired, e.numbers.time_to_lowering ?? LOWERING_INTERVAL_SECONDS, now());
        }
        const step = isText(e, "exceeded_max_step") ? e.numbers.max_step : undefined;
        if (step === undefined || !(step > 0)) throw e;
        // One allowed step now; the rest after the interval.
        const allowed = Math.max(desired, ceilPrice(current - step));
        try {
            await client.setSpotPrice({ order_id: orderId, desired_price: allowed });
        } catch (second) {
            if (isText(second, "can_lower_every_600_seconds")) {
                throw waitMessage(orderId, current, desired, second.numbers.time_to_lowering ?? LOWERING_INTERVAL_SECONDS, now());
            }
            throw second;
        }
        if (allowed === desired) return desired;
        const nextAt = Math.ceil(now() / 1000 + LOWERING_INTERVAL_SECONDS);
        throw new SpotLoweringError(
            `Clore.ai lowers a spot bid by at most ${step}/day per change (exceeded_max_step): order ${orderId}'s bid went from ${current} to ${allowed}/day, not to ${desired}; ` +
                `it may be lowered again in ${LOWERING_INTERVAL_SECONDS} s (at ${at(nextAt)}); run \`pulumi up\` then to continue`,
            allowed,
            nextAt,
        );
    }
}
