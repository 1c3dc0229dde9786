import type { CloreCurrency, CloreSpotOffer, SpotMarketAnswer } from "./api";

/**
 * Spot bidding, pure. A server's spot market (GET /spot_marketplace?market=<id>) lists every
 * bid with `bid`, `active` (it holds the server now), `my` and `currency`, and the server's
 * `min_pricing` per coin (vladpuz/cloreai src/resources/spotMarketplace.ts). A bid below the
 * active one never runs, so the bid goes just above the highest active bid of someone else,
 * within the user's ceiling.
 */

/** How a spot order's bid stands, as reported in the order's outputs. */
export type SpotBidState = "active" | "not active" | "outbid" | "unknown";

export type SpotMarket = SpotMarketAnswer["market"];

/** How far above the highest competing bid to go: 1%, enough to rank first without overpaying. */
export const OUTBID_MARGIN = 0.01;

/** Rounds up to 8 decimals (bitcoin's satoshi), so a raised bid never lands below the target. */
export function ceilPrice(value: number): number {
    return Math.ceil(value * 1e8 - 1e-6) / 1e8;
}

/**
 * A bid expressed in `currency`. Offers in another coin are converted with the market's
 * `currency_rates_in_usd` when it gives both rates; otherwise they cannot be compared and
 * are left out (undefined).
 */
export function bidIn(offer: CloreSpotOffer, currency: CloreCurrency, market: SpotMarket): number | undefined {
    if (offer.currency === undefined || offer.currency === currency) return offer.bid;
    const rates = market.currency_rates_in_usd ?? {};
    const theirs = rates[offer.currency];
    const mine = rates[currency];
    return typeof theirs === "number" && typeof mine === "number" && mine > 0 ? (offer.bid * theirs) / mine : undefined;
}

/** The highest active bid of someone else, in `currency`; undefined when none competes. */
export function highestCompetingBid(market: SpotMarket, currency: CloreCurrency): number | undefined {
    let highest: number | undefined;
    for (const offer of market.offers ?? []) {
        if (offer.my || !offer.active) continue;
        const bid = bidIn(offer, currency, market);
        if (bid !== undefined && (highest === undefined || bid > highest)) highest = bid;
    }
    return highest;
}

export interface BidTerms {
    currency: CloreCurrency;
    /** The server's listed spot price, used when the market gives no minimum. */
    listedPrice: number;
    /** A fixed bid (host.spotPrice); otherwise the bid is computed. */
    fixed?: number;
    /** The most the user will bid per day. */
    ceiling: number;
    /** Config field that holds the ceiling, named in messages. */
    ceilingField: string;
}

export type BidDecision = { ok: true; bid: number; highestCompeting?: number } | { ok: false; reason: string };

/** The bid to place on one server, or why this server cannot be won within the ceiling. */
export function planSpotBid(market: SpotMarket, terms: BidTerms): BidDecision {
    const { currency, ceiling, ceilingField } = terms;
    const minPrice = market.server?.min_pricing?.[currency] ?? terms.listedPrice;
    const highest = highestCompetingBid(market, currency);
    const over = highest === undefined ? undefined : ceilPrice(highest * (1 + OUTBID_MARGIN));
    if (terms.fixed !== undefined) {
        if (terms.fixed < minPrice) return { ok: false, reason: `its minimum spot price is ${minPrice} ${currency}/day, above your bid of ${terms.fixed} (${ceilingField})` };
        if (highest !== undefined && terms.fixed <= highest) {
            return { ok: false, reason: `someone else's active bid of ${highest} ${currency}/day holds it; your bid of ${terms.fixed} (${ceilingField}) would not run` };
        }
        return { ok: true, bid: terms.fixed, ...(highest !== undefined ? { highestCompeting: highest } : {}) };
    }
    const bid = Math.max(minPrice, over ?? minPrice);
    if (bid > ceiling) {
        const why = highest !== undefined ? `someone else's active bid of ${highest} ${currency}/day holds it` : `its minimum spot price is ${minPrice} ${currency}/day`;
        return { ok: false, reason: `${why}; winning it takes ${bid}, above your ceiling of ${ceiling} (${ceilingField})` };
    }
    return { ok: true, bid, ...(highest !== undefined ? { highestCompeting: highest } : {}) };
}

/** The state of our bid in the market: held, waiting, or beaten by someone else's active bid. */
export function bidState(market: SpotMarket | undefined, orderId: number, ourBid: number | undefined, currency: CloreCurrency): SpotBidState {
    if (!market) return "unknown";
    const mine = (market.offers ?? []).find((o) => o.offer_id === orderId) ?? (market.offers ?? []).find((o) => o.my);
    if (mine?.active) return "active";
    const highest = highestCompetingBid(market, currency);
    if (highest !== undefined && (ourBid === undefined || highest >= ourBid)) return "outbid";
    return mine ? "not active" : "unknown";
}

/** The message of an outbid spot order: what happened, what is lost, what to do. */
export function outbidNotice(orderId: number, serverId: number, ours: number | undefined, theirs: number | undefined, currency: string): string {
    return (
        `Clore.ai spot order ${orderId} on server ${serverId} was outbid: someone else's bid${theirs !== undefined ? ` of ${theirs} ${currency}/day` : ""} ` +
        `holds the server now${ours !== undefined ? `, above yours of ${ours}` : ""}. The rental and the data on it are gone; the next \`pulumi up\` rents again. ` +
        "Raise host.maxSpotPrice (or host.spotPrice), or use orderType on-demand, and restore the data from a backup (milvus-gpu:backup, restoreFrom)"
    );
}

/** The message of a spot order that is still listed but no longer holds its server. */
export function waitingNotice(orderId: number, serverId: number, ours: number | undefined, theirs: number | undefined, currency: string): string {
    return (
        `Clore.ai spot order ${orderId} on server ${serverId} is outbid: someone else's bid${theirs !== undefined ? ` of ${theirs} ${currency}/day` : ""} holds the server` +
        `${ours !== undefined ? `, above yours of ${ours}` : ""}. Raise host.spotPrice to win it back; if the order ends, the data on it goes with it: keep a backup (milvus-gpu:backup)`
    );
}
