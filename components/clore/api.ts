/**
 * Wire types of the Clore.ai REST API (https://api.clore.ai/v1). Only fields this
 * package reads or sends are typed; the API returns more. Every JSON answer carries `code`
 * (0 = ok) and, for code 6, a text in `error` (https://docs.clore.ai/for-hosts/api). The
 * HTTP status matters too: code 5 has been seen with HTTP 429 and a bad key with a plain-text
 * 401 (see client.ts), so the client reads the status before the body.
 */

/** The answer codes the API documents. */
export const CLORE_CODES = {
    ok: 0,
    databaseError: 1,
    invalidInput: 2,
    invalidToken: 3,
    invalidEndpoint: 4,
    tooFast: 5,
    other: 6,
} as const;

export interface CloreAnswer {
    code: number;
    error?: string;
}

/**
 * Currencies an order can be paid in, spelled as the API spells them: create_order takes
 * "CLORE-Blockchain", "bitcoin" or "USD-Blockchain" (https://dev.clore.ai/reference/api-reference;
 * vladpuz/cloreai src/types.ts `Currency`).
 */
export type CloreCurrency = "CLORE-Blockchain" | "bitcoin" | "USD-Blockchain";
export const CLORE_CURRENCIES: readonly CloreCurrency[] = ["CLORE-Blockchain", "bitcoin", "USD-Blockchain"];

export type CloreOrderType = "on-demand" | "spot";
export const CLORE_ORDER_TYPES: readonly CloreOrderType[] = ["on-demand", "spot"];

/** How a port is exposed: a raw TCP mapping or Clore's HTTP proxy. */
export type ClorePortKind = "tcp" | "http";

/** Prices per currency, e.g. `{ "CLORE-Blockchain": 12.5, bitcoin: 0.00001 }` (per day). */
export type ClorePriceTable = Partial<Record<string, number>>;

export interface CloreServerSpecs {
    /** CPU model, e.g. "AMD Ryzen 9 7950X 16-Core Processor". */
    cpu?: string;
    /** Cores/threads, e.g. "16/32" (a number on some servers). */
    cpus?: string | number;
    /** RAM in GB (fractional). */
    ram?: number | string;
    /** Disk description with its size, e.g. "Samsung SSD 980 1TB" or "NVMe 512GB". */
    disk?: string | number;
    disk_speed?: number;
    /** GPU count and model, e.g. "2x NVIDIA GeForce RTX 4090". */
    gpu?: string;
    /** Memory of one GPU in GB. */
    gpuram?: number | string;
    net?: { cc?: string; down?: number; up?: number };
}

export interface CloreMarketServer {
    id: number;
    owner?: number;
    /** Maximum rental length in hours (docs' example: 73; vladpuz/cloreai src/resources/marketplace.ts). */
    mrl?: number;
    rented: boolean;
    /** Coins the server takes; absent on older listings (vladpuz/cloreai src/resources/marketplace.ts). */
    allowed_coins?: string[];
    price: { on_demand?: ClorePriceTable; spot?: ClorePriceTable };
    specs: CloreServerSpecs;
}

export interface MarketplaceAnswer extends CloreAnswer {
    servers: CloreMarketServer[];
    my_servers?: number[];
}

export interface CreateOrderRequest {
    currency: CloreCurrency;
    image: string;
    renting_server: number;
    type: CloreOrderType;
    /** Bid per day, spot orders only. */
    spotprice?: number;
    /** Container port -> kind, e.g. `{ "22": "tcp" }`. */
    ports: Record<string, ClorePortKind>;
    env: Record<string, string>;
    ssh_key?: string;
    ssh_password?: string;
    jupyter_token?: string;
    command?: string;
    /** Refuse the order if the on-demand price changed from this. */
    required_price?: number;
    autossh_entrypoint?: boolean;
}

export interface CloreOrderRecord {
    id: number;
    /** The rented server's id. */
    si: number;
    image: string;
    currency?: string;
    price?: number;
    spend?: number;
    /** Creation time, Unix seconds. */
    ct?: number;
    spot?: boolean;
    expired?: boolean;
    /** Maximum rental length of the order in hours (vladpuz/cloreai src/resources/myOrders.ts). */
    mrl?: number;
    /** Public host names of the server. */
    pub_cluster?: string[];
    /** "container:public" pairs, e.g. ["22:10001", "19530:10002"]. */
    tcp_ports?: string[];
    http_port?: string | number;
    specs?: CloreServerSpecs;
}

export interface MyOrdersAnswer extends CloreAnswer {
    orders: CloreOrderRecord[];
}

export interface CancelOrderRequest {
    id: number;
    /** Optional text reported to the host owner. */
    issue?: string;
}

export interface CloreWallet {
    name: string;
    balance?: number;
    deposit?: string;
    withdrawal_fee?: number;
}

export interface WalletsAnswer extends CloreAnswer {
    wallets: CloreWallet[];
}

/** One bid on a server's spot market (vladpuz/cloreai src/resources/spotMarketplace.ts). */
export interface CloreSpotOffer {
    offer_id: number;
    /** Bid per day. */
    bid: number;
    /** The bid currently holds the server. */
    active?: boolean;
    /** True for your own bid. */
    my?: boolean;
    currency?: string;
}

export interface SpotMarketAnswer extends CloreAnswer {
    market: {
        offers: CloreSpotOffer[];
        /** USD value of one unit of each coin, to compare bids in different coins. */
        currency_rates_in_usd?: ClorePriceTable;
        server?: { min_pricing?: ClorePriceTable; mrl?: number; visibility?: string; online?: boolean };
    };
    exists?: boolean;
}

export interface SetSpotPriceRequest {
    order_id: number;
    desired_price: number;
}

/**
 * Refusals of set_spot_price carry a number beside the text (vladpuz/cloreai
 * src/resources/setSpotPrice.ts): `exceeded_max_step` with `max_step`, and
 * `can_lower_every_600_seconds` with `time_to_lowering`.
 */
export interface SetSpotPriceRefusal extends CloreAnswer {
    max_step?: number;
    time_to_lowering?: number;
}
