import { describe, expect, it } from "vitest";
import { bidState, ceilPrice, highestCompetingBid, planSpotBid, SpotMarket } from "../../../components/clore/spotBid";

const market = (offers: SpotMarket["offers"], min = 20): SpotMarket => ({
    offers,
    currency_rates_in_usd: { "CLORE-Blockchain": 0.02, "USD-Blockchain": 1 },
    server: { min_pricing: { "CLORE-Blockchain": min } },
});
const terms = { currency: "CLORE-Blockchain", listedPrice: 20, ceiling: 50, ceilingField: "host.maxSpotPrice" } as const;

describe("spot bid planning (pure)", () => {
    it("counts only others' active bids, converting other coins by the USD rates", () => {
        const m = market([
            { offer_id: 1, bid: 45, active: false, my: false },
            { offer_id: 2, bid: 48, active: true, my: true },
            { offer_id: 3, bid: 0.6, active: true, my: false, currency: "USD-Blockchain" },
        ]);
        expect(highestCompetingBid(m, "CLORE-Blockchain")).toBe(30);
        expect(highestCompetingBid(market([]), "CLORE-Blockchain")).toBeUndefined();
    });

    it("bids the minimum without competition, 1% above the highest active bid otherwise, within the ceiling", () => {
        expect(planSpotBid(market([]), terms)).toEqual({ ok: true, bid: 20 });
        expect(planSpotBid(market([{ offer_id: 1, bid: 30, active: true, my: false }]), terms)).toEqual({ ok: true, bid: 30.3, highestCompeting: 30 });
        expect(planSpotBid(market([{ offer_id: 1, bid: 50, active: true, my: false }]), terms)).toEqual({
            ok: false,
            reason: "someone else's active bid of 50 CLORE-Blockchain/day holds it; winning it takes 50.5, above your ceiling of 50 (host.maxSpotPrice)",
        });
        expect(planSpotBid(market([], 60), terms)).toEqual({ ok: false, reason: "its minimum spot price is 60 CLORE-Blockchain/day; winning it takes 60, above your ceiling of 50 (host.maxSpotPrice)" });
    });

    it("a fixed bid must beat the active bid and meet the minimum", () => {
        const fixed = { ...terms, fixed: 30, ceiling: 30, ceilingField: "host.spotPrice" };
        expect(planSpotBid(market([{ offer_id: 1, bid: 30, active: true, my: false }]), fixed)).toEqual({
            ok: false,
            reason: "someone else's active bid of 30 CLORE-Blockchain/day holds it; your bid of 30 (host.spotPrice) would not run",
        });
        expect(planSpotBid(market([], 35), fixed).ok).toBe(false);
        expect(planSpotBid(market([{ offer_id: 1, bid: 29, active: true, my: false }]), fixed)).toEqual({ ok: true, bid: 30, highestCompeting: 29 });
    });

    it("rounds bids up to 8 decimals and reads the state of our bid", () => {
        expect(ceilPrice(0.000012345678901)).toBe(0.00001235);
        expect(ceilPrice(30.3)).toBe(30.3);
        expect(bidState(market([{ offer_id: 7, bid: 30, active: true, my: true }]), 7, 30, "CLORE-Blockchain")).toBe("active");
        expect(bidState(market([{ offer_id: 7, bid: 30, active: false, my: true }, { offer_id: 8, bid: 40, active: true, my: false }]), 7, 30, "CLORE-Blockchain")).toBe("outbid");
        expect(bidState(market([{ offer_id: 7, bid: 30, active: false, my: true }]), 7, 30, "CLORE-Blockchain")).toBe("not active");
        expect(bidState(undefined, 7, 30, "CLORE-Blockchain")).toBe("unknown");
    });
});
