import type { CloreCurrency, CloreMarketServer, CreateOrderRequest } from "./api";
import type { CloreClient } from "./client";
import { CloreHttpError, CloreNetworkError } from "./errors";
import { classifyRefusal } from "./refusals";
import { NoMatchingServerError, PriceTerms, rankServers, Selection, serverPrice, ServerFilters } from "./selection";
import { planSpotBid } from "./spotBid";

/** What placing an order needs besides the client (a subset of the order's inputs). */
export interface PlacementInputs {
    filters: ServerFilters;
    terms: PriceTerms;
    /** A fixed spot bid (host.spotPrice). */
    spotPrice?: number;
    /** The most a spot bid may be (host.maxSpotPrice, else filters.maxPricePerDay). */
    maxSpotPrice?: number;
    /** The create_order body for a chosen server and bid. */
    request: (serverId: number, spotPrice: number | undefined) => CreateOrderRequest;
}

export interface Placement {
    chosen: Selection;
    /** The bid placed, spot orders only. */
    spotPrice?: number;
    /** Set when create_order's answer was lost or unreadable: the order may or may not exist. */
    unsure?: CloreNetworkError | CloreHttpError;
    /** Servers refused before this one, with why. */
    refusals: string[];
}

/** How many servers one `pulumi up` tries before giving up (each try is a create_order or a spot-market read). */
export const MAX_CANDIDATES = 5;

/** The field that holds the spot ceiling, for messages; undefined when there is none. */
export function spotCeiling(inputs: Pick<PlacementInputs, "spotPrice" | "maxSpotPrice" | "filters">): { value: number; field: string } | undefined {
    if (inputs.spotPrice !== undefined) return { value: inputs.spotPrice, field: "host.spotPrice" };
    if (inputs.maxSpotPrice !== undefined) return { value: inputs.maxSpotPrice, field: "host.maxSpotPrice" };
    if (inputs.filters.maxPricePerDay !== undefined) return { value: inputs.filters.maxPricePerDay, field: "host.filters.maxPricePerDay" };
    return undefined;
}

async function balanceOf(client: CloreClient, currency: CloreCurrency): Promise<number | undefined> {
    try {
        const wallet = (await client.wallets()).wallets?.find((w) => w.name === currency);
        return typeof wallet?.balance === "number" ? wallet.balance : undefined;
    } catch {
        return undefined;
    }
}

const describe = (s: CloreMarketServer) => `server ${s.id} (${s.specs?.gpu ?? "no GPU listed"})`;
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function withRefusals(message: string, refusals: string[]): string {
    return refusals.length === 0 ? message : `${message}\nRefused before: ${refusals.map((r) => `\n  ${r}`).join("")}`;
}

/**
 * Chooses a server and places the order. A refusal that leaves the server free for others
 * (rented meanwhile, offline, refuses the coin, bid too low) moves on to the next match;
 * one that no server would accept (no balance, a bad request, a bad key) stops at once with
 * what was refused before. The answer carries no order id: the caller finds the order.
 */
export async function placeOrder(client: CloreClient, inputs: PlacementInputs): Promise<Placement> {
    const { terms } = inputs;
    const refusals: string[] = [];
    const tried = new Set<number>();
    let listing = (await client.marketplace()).servers ?? [];
    for (let attempt = 1; attempt <= MAX_CANDIDATES; attempt++) {
        let ranked: Selection[];
        try {
            ranked = rankServers(
                listing.filter((s) => !tried.has(s.id)),
                inputs.filters,
                terms,
            );
        } catch (e) {
            if (e instanceof NoMatchingServerError && refusals.length > 0) {
                throw new Error(withRefusals(`no other Clore.ai server matches the filters; nothing was rented`, refusals), { cause: e });
            }
            throw e;
        }
        const chosen = ranked[0];
        const server = chosen.server;
        tried.add(server.id);

        let spotPrice: number | undefined;
        if (terms.type === "spot") {
            const ceiling = spotCeiling(inputs);
            if (!ceiling) throw new Error("a spot order needs a ceiling for its bid: set host.maxSpotPrice (or host.spotPrice for a fixed bid)");
            const market = (await client.spotMarket(server.id)).market;
            const decision = planSpotBid(market, { currency: terms.currency, listedPrice: chosen.price, fixed: inputs.spotPrice, ceiling: ceiling.value, ceilingField: ceiling.field });
            if (!decision.ok) {
                refusals.push(`${describe(server)}: ${decision.reason}`);
                continue;
            }
            spotPrice = decision.bid;
        }

        const request = inputs.request(server.id, spotPrice);
        if (terms.type === "on-demand") request.required_price = chosen.price;
        try {
            await client.createOrder(request);
            return { chosen, refusals, ...(spotPrice !== undefined ? { spotPrice } : {}) };
        } catch (e) {
            if (e instanceof CloreNetworkError && e.maybeDelivered) return { chosen, refusals, unsure: e, ...(spotPrice !== undefined ? { spotPrice } : {}) };
            // A gateway's error page may stand in front of an order that went through.
            if (e instanceof CloreHttpError && e.status >= 500) return { chosen, refusals, unsure: e, ...(spotPrice !== undefined ? { spotPrice } : {}) };
            const price = spotPrice ?? chosen.price;
            const failure = (extra = "") => new Error(withRefusals(`renting Clore.ai ${describe(server)} failed: ${messageOf(e)}${extra}`, refusals), { cause: e });
            const kind = classifyRefusal(e);
            if (kind === "fatal") throw failure();
            if (kind === "balance" || kind === "maybe-balance") {
                const balance = await balanceOf(client, terms.currency);
                const short = balance !== undefined && balance < price;
                const balanceText = balance === undefined ? `your ${terms.currency} balance could not be read` : `your ${terms.currency} balance is ${balance}`;
                if (kind === "balance" || short) {
                    throw failure(`; ${balanceText}${short ? `, below the ${price} ${terms.currency}/day this server costs` : ""}: top up the ${terms.currency} wallet at clore.ai, or choose another currency (host.currency)`);
                }
                refusals.push(`${describe(server)}: ${messageOf(e)} (${balanceText}, enough for ${price}/day: taken as the server being rented meanwhile)`);
            } else if (kind === "invalid") {
                listing = (await client.marketplace()).servers ?? [];
                const now = listing.find((s) => s.id === server.id);
                const moved = !now || now.rented || (terms.type === "on-demand" && serverPrice(now, terms) !== chosen.price);
                // Unchanged listing: the request itself is wrong and every server would refuse it.
                if (!moved) throw failure("; check the order settings (image, ports, env, price)");
                refusals.push(`${describe(server)}: ${messageOf(e)} (its listing changed meanwhile)`);
                continue;
            } else {
                refusals.push(`${describe(server)}: ${messageOf(e)}`);
            }
            listing = (await client.marketplace()).servers ?? [];
        }
    }
    throw new Error(withRefusals(`Clore.ai refused the order on ${MAX_CANDIDATES} server(s) in a row; nothing was rented. Try again later, or widen the filters`, refusals));
}
