/**
 * Read-only probes of what no public source confirms about the Clore.ai API (docs/clore.md,
 * "What the public sources say, and what is not confirmed"). Each looks at answers the check script already has,
 * or sends one call with a made-up key (never the user's), and says what it saw.
 */
import type { CloreMarketServer, SpotMarketAnswer } from "../components/clore/api";

export interface ProbeResult {
    name: string;
    seen: string;
}

/** allowed_coins: present on listings, and does any list a price in a coin it does not take? */
export function probeAllowedCoins(servers: readonly CloreMarketServer[]): ProbeResult {
    const listed = servers.filter((s) => Array.isArray(s.allowed_coins));
    const priceButRefused = listed.filter((s) => {
        const coins = new Set([...Object.keys(s.price?.on_demand ?? {}), ...Object.keys(s.price?.spot ?? {})]);
        return [...coins].some((c) => c !== "usd" && !s.allowed_coins!.includes(c));
    });
    return {
        name: "allowed_coins on marketplace servers",
        seen: `${listed.length} of ${servers.length} list it; ${priceButRefused.length} list a price in a coin they do not take`,
    };
}

/** mrl: present, and its range (hours). */
export function probeMrl(servers: readonly CloreMarketServer[]): ProbeResult {
    const values = servers.map((s) => s.mrl).filter((m): m is number => typeof m === "number");
    const range = values.length ? `${Math.min(...values)}..${Math.max(...values)} h` : "none";
    return { name: "mrl (maximum rental length) on marketplace servers", seen: `${values.length} of ${servers.length} list it; range ${range}` };
}

/** Spot: does a server listed free hold an active bid (can a spot-held server be outbid)? */
export function probeSpotMarket(serverId: number, listedRented: boolean, answer: SpotMarketAnswer): ProbeResult {
    const offers = answer.market?.offers ?? [];
    const active = offers.filter((o) => o.active);
    const rates = answer.market?.currency_rates_in_usd ? "with" : "without";
    return {
        name: `spot market of server ${serverId} (listed ${listedRented ? "rented" : "free"})`,
        seen: `${offers.length} bid(s), ${active.length} active${active.length ? ` (highest ${Math.max(...active.map((o) => o.bid))})` : ""}; min_pricing ${JSON.stringify(answer.market?.server?.min_pricing ?? {})}; ${rates} currency_rates_in_usd`,
    };
}

/** How the API answers a wrong key on an endpoint: HTTP status, content type, body start. */
export async function probeBadKey(baseUrl: string, path: string, fetchImpl: typeof fetch = fetch): Promise<ProbeResult> {
    const name = `a wrong key on ${path}`;
    try {
        const response = await fetchImpl(`${baseUrl.replace(/\/+$/, "")}${path}`, { headers: { auth: "clore-check-not-a-key" }, signal: AbortSignal.timeout(15000) });
        const text = (await response.text()).replace(/\s+/g, " ").trim().slice(0, 60);
        return { name, seen: `HTTP ${response.status}, ${response.headers.get("content-type") ?? "no content type"}, body ${JSON.stringify(text)}` };
    } catch (e) {
        return { name, seen: `no answer (${e instanceof Error ? e.message : String(e)})` };
    }
}

/** What the script cannot see without renting (or at all): listed so the output is complete. */
export const UNCHECKED_READ_ONLY: readonly string[] = [
    "create_order: which fields are mandatory and their limits (only a real order shows; --rent uses the package's own body)",
    "required_price: exact match or a ceiling (needs an order placed while the price moves)",
    "code 1 on create_order: database error or low balance / server just taken",
    "command: how the order's command runs (entrypoint or shell) - --rent with usage native shows whether Milvus starts",
    "ssh_key: whether it reaches images other than Clore's own - --rent with usage docker shows whether SSH logs in",
    "Docker inside a rental: depends on the image - --rent with usage docker shows whether the Docker host answers",
    "set_spot_price: the unit of max_step and time_to_lowering (needs a running spot order)",
];
