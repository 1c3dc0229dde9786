import type { CloreMarketServer, CloreSpotOffer, SpotMarketAnswer } from "../../components/clore/api";

/**
 * The fake's spot market. The answer's shape is the public one: offers with `offer_id`,
 * `bid`, `active`, `my`, `currency`, and the server's `min_pricing`, `mrl`, `online`,
 * `visibility`, plus `currency_rates_in_usd` (vladpuz/cloreai src/resources/spotMarketplace.ts).
 * The rule deciding `active` is our reading, not documented: the highest bid (in USD) holds
 * the server. A server held by a spot bid stays listed as not rented, so others can outbid
 * it (also unconfirmed; scripts/clore-check.ts looks for it).
 */

export interface FakeBid {
    offerId: number;
    serverId: number;
    /** Per day, in `currency`. */
    bid: number;
    currency: string;
    /** Ours: the order id equals the offer id. */
    mine: boolean;
}

/** USD per unit of each coin (made-up rates; only their ratio matters). */
export const FAKE_RATES_USD: Record<string, number> = { "CLORE-Blockchain": 0.02, bitcoin: 60000, "USD-Blockchain": 1 };

const inUsd = (b: FakeBid) => b.bid * (FAKE_RATES_USD[b.currency] ?? 0);

/** The bid holding the server: the highest in USD, the earlier one on a tie. */
export function holder(bids: readonly FakeBid[], serverId: number): FakeBid | undefined {
    let best: FakeBid | undefined;
    for (const b of bids) if (b.serverId === serverId && (!best || inUsd(b) > inUsd(best))) best = b;
    return best;
}

export function spotMarketOf(server: CloreMarketServer, bids: readonly FakeBid[]): SpotMarketAnswer["market"] {
    const top = holder(bids, server.id);
    const offers: CloreSpotOffer[] = bids
        .filter((b) => b.serverId === server.id)
        .map((b) => ({ offer_id: b.offerId, bid: b.bid, active: b === top, my: b.mine, currency: b.currency }));
    return {
        offers,
        currency_rates_in_usd: { ...FAKE_RATES_USD },
        server: { min_pricing: { ...(server.price.spot ?? {}) }, mrl: server.mrl ?? 0, visibility: "public", online: true },
    };
}

/**
 * Lowering a bid (vladpuz/cloreai src/resources/setSpotPrice.ts): more than `max_step` at once
 * is refused with `exceeded_max_step` and `max_step`; a second lowering within 600 s with
 * `can_lower_every_600_seconds` and `time_to_lowering`. The step's size is not published:
 * the fake's is a knob (default a tenth of the current bid), in the order's currency per day;
 * `time_to_lowering` is taken to be seconds.
 */
export function loweringRefusal(
    current: number,
    desired: number,
    lastLoweredAtMs: number | undefined,
    nowMs: number,
    maxStep: number,
): { code: 6; error: string; max_step?: number; time_to_lowering?: number } | undefined {
    if (desired >= current) return undefined;
    if (lastLoweredAtMs !== undefined && nowMs - lastLoweredAtMs < 600_000) {
        return { code: 6, error: "can_lower_every_600_seconds", time_to_lowering: Math.ceil((600_000 - (nowMs - lastLoweredAtMs)) / 1000) };
    }
    if (current - desired > maxStep + 1e-9) return { code: 6, error: "exceeded_max_step", max_step: maxStep };
    return undefined;
}
