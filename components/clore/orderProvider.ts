import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { CloreCurrency, CloreMarketServer, CloreOrderRecord, CloreOrderType, ClorePortKind, CreateOrderRequest } from "./api";
import { CloreClient, CloreClientSettings } from "./client";
import { CloreApiError, CloreHttpError } from "./errors";
import { placeOrder } from "./placement";
import { ServerFilters, serverFacts, unmetFilters } from "./selection";
import { bidState, highestCompetingBid, outbidNotice, SpotBidState, waitingNotice } from "./spotBid";
import { changeSpotBid } from "./spotUpdate";

/**
 * The Clore.ai order as a Pulumi dynamic provider. Pulumi serializes these functions
 * into the state and runs them in a separate process, so they take everything from their
 * arguments (a client is built per call) and use only code captured from this package.
 */

/** Inputs of a CloreOrder resource, as the provider sees them (secrets already unwrapped). */
export interface CloreOrderInputs {
    /** Secret. Kept only so read/delete can authenticate; marked secret in state. */
    apiKey: string;
    /** Base URL, spacing, retries, timeout (no key). */
    api: CloreClientSettings;
    filters: ServerFilters;
    orderType: CloreOrderType;
    currency: CloreCurrency;
    /** A fixed bid per day for spot orders; otherwise the bid goes just above the highest competing one. */
    spotPrice?: number;
    /** The most a computed spot bid may be (default filters.maxPricePerDay). */
    maxSpotPrice?: number;
    image: string;
    /** Container port -> "tcp" | "http". */
    ports: Record<string, ClorePortKind>;
    env: Record<string, string>;
    command?: string;
    /** Public key put in root's authorized_keys by images that support it. */
    sshPublicKey?: string;
    /** Secret, for images that take a root password instead of a key. */
    sshPassword?: string;
    /** How long create waits for the order and its public endpoint (default 900 s). */
    readyTimeoutSeconds?: number;
    /** Gap between my_orders polls while waiting (default 10 s). */
    pollIntervalSeconds?: number;
}

/** The chosen server as listed when it was rented; diff checks new filters against it. */
export interface RentedServerSnapshot {
    id: number;
    price: CloreMarketServer["price"];
    specs: CloreMarketServer["specs"];
    mrl?: number;
    allowed_coins?: string[];
}

export interface CloreOrderOutputs extends CloreOrderInputs {
    orderId: number;
    serverId: number;
    /** Public host name of the server (first of pub_cluster). */
    publicHost: string;
    /** Container port -> public port, for every requested tcp port. */
    publicPorts: Record<string, number>;
    /** Public port of container port 22, when 22 was requested. */
    sshPort?: number;
    pricePerDay: number;
    gpu: string;
    gpuCount: number;
    gpuMemoryGb: number;
    server: RentedServerSnapshot;
    /** Unix seconds, from my_orders `ct`. */
    createdAt?: number;
    /** Maximum rental length in hours (the order's or the server's `mrl`). */
    rentalHours?: number;
    /** When the rental ends at the latest: createdAt + rentalHours, Unix seconds. */
    expiresAt?: number;
    /** Spot orders: how the bid stands in the server's spot market. */
    bidState?: SpotBidState;
    /** What refresh found wrong with the rental (outbid), and what to do. */
    notice?: string;
    /** Refresh found the rental ended on Clore's side but kept it in state to say why (outbid). */
    ended?: boolean;
}

/** Inputs whose change means a new rental: the running container cannot be changed in place. */
export const REPLACING_INPUTS = ["image", "ports", "env", "command", "orderType", "currency", "sshPublicKey", "sshPassword"] as const;

/** Parses tcp_ports ("22:10001") into container -> public port. */
export function publicPortMap(order: Pick<CloreOrderRecord, "tcp_ports">): Record<string, number> {
    const map: Record<string, number> = {};
    for (const entry of order.tcp_ports ?? []) {
        const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(String(entry));
        if (m) map[m[1]] = Number(m[2]);
    }
    return map;
}

/** The order's public endpoint, or undefined while Clore has not assigned it yet. */
export function orderEndpoint(
    order: CloreOrderRecord,
    ports: Record<string, ClorePortKind>,
): { publicHost: string; publicPorts: Record<string, number> } | undefined {
    const publicHost = order.pub_cluster?.find((h) => typeof h === "string" && h !== "");
    if (!publicHost) return undefined;
    const publicPorts = publicPortMap(order);
    const wanted = Object.entries(ports)
        .filter(([, kind]) => kind === "tcp")
        .map(([port]) => port);
    if (!wanted.every((p) => publicPorts[p] !== undefined)) return undefined;
    const selected: Record<string, number> = {};
    for (const p of wanted) selected[p] = publicPorts[p];
    return { publicHost, publicPorts: selected };
}

export function createOrderRequest(inputs: CloreOrderInputs, serverId: number, spotPrice: number | undefined): CreateOrderRequest {
    const request: CreateOrderRequest = {
        currency: inputs.currency,
        image: inputs.image,
        renting_server: serverId,
        type: inputs.orderType,
        ports: { ...inputs.ports },
        env: { ...inputs.env },
    };
    if (inputs.orderType === "spot") request.spotprice = spotPrice;
    if (inputs.command) request.command = inputs.command;
    if (inputs.sshPublicKey) request.ssh_key = inputs.sshPublicKey;
    if (inputs.sshPassword) request.ssh_password = inputs.sshPassword;
    return request;
}

/** JSON with sorted keys, so {a,b} and {b,a} compare equal. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        return `{${Object.keys(o)
            .filter((k) => o[k] !== undefined)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value) ?? "undefined";
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

function clientFor(inputs: Pick<CloreOrderInputs, "apiKey" | "api">): CloreClient {
    return new CloreClient({ ...(inputs.api ?? {}), apiKey: inputs.apiKey });
}

function findOrder(orders: CloreOrderRecord[], id: number): CloreOrderRecord | undefined {
    return orders.find((o) => o.id === id);
}

/** Places the order and waits (bounded) until it and its endpoint show in my_orders. */
async function createOrder(inputs: CloreOrderInputs): Promise<dynamic.CreateResult<CloreOrderOutputs>> {
    const client = clientFor(inputs);
    const terms = { type: inputs.orderType, currency: inputs.currency };
    const before = new Set((await client.myOrders(true)).orders.map((o) => o.id));
    const placed = await placeOrder(client, {
        filters: inputs.filters ?? {},
        terms,
        ...(inputs.spotPrice !== undefined ? { spotPrice: inputs.spotPrice } : {}),
        ...(inputs.maxSpotPrice !== undefined ? { maxSpotPrice: inputs.maxSpotPrice } : {}),
        request: (serverId, bid) => createOrderRequest(inputs, serverId, bid),
    });
    const chosen = placed.chosen;
    const spotPrice = placed.spotPrice;
    // The answer carries no order id; a lost answer may still have placed the order, so
    // then look for it before giving up. An unreadable answer (an HTTP error page) gets one
    // look only: it is an answer, and waiting the whole readyTimeout on it helps nobody.
    const lostAnswer = placed.unsure instanceof CloreHttpError ? undefined : placed.unsure;
    const unreadable = placed.unsure instanceof CloreHttpError ? placed.unsure : undefined;
    const server = chosen.server;
    const pricePerDay = spotPrice ?? chosen.price;

    const timeoutMs = (inputs.readyTimeoutSeconds ?? 900) * 1000;
    const pollMs = (inputs.pollIntervalSeconds ?? 10) * 1000;
    const deadline = Date.now() + timeoutMs;
    let seen: CloreOrderRecord | undefined;
    let polls = 0;
    for (;;) {
        polls++;
        const orders = (await client.myOrders(false)).orders ?? [];
        // A server is rented by one order at a time, so a new order on it is ours; the image is
        // only a preference because Clore may list it normalized (e.g. with a registry prefix).
        const mine = orders
            .filter((o) => !before.has(o.id) && o.si === server.id && !o.expired)
            .sort((a, b) => Number(b.image === inputs.image) - Number(a.image === inputs.image) || b.id - a.id);
        if (seen && !mine.some((o) => o.id === seen!.id)) {
            // It was there and is gone or expired: the host did not keep it, waiting longer will not help.
            throw new Error(
                `Clore.ai order ${seen.id} on server ${server.id} ended before its public endpoint showed (cancelled or expired on Clore's side); ` +
                    "nothing is left rented. Try again, or pin another server with filters.serverId",
            );
        }
        seen = mine[0] ?? seen;
        if (!seen && unreadable) {
            throw new Error(`${unreadable.message}; no new order on server ${server.id} shows in my_orders, so nothing was rented (check your orders at clore.ai to be sure)`, { cause: unreadable });
        }
        const endpoint = seen ? orderEndpoint(seen, inputs.ports) : undefined;
        if (seen && endpoint) {
            const facts = serverFacts(server.specs);
            const outs: CloreOrderOutputs = {
                ...inputs,
                orderId: seen.id,
                serverId: server.id,
                publicHost: endpoint.publicHost,
                publicPorts: endpoint.publicPorts,
                pricePerDay: typeof seen.price === "number" ? seen.price : pricePerDay,
                gpu: server.specs?.gpu ?? "",
                gpuCount: facts.gpuCount ?? 0,
                gpuMemoryGb: facts.gpuMemoryGb ?? 0,
                server: snapshotOf(server),
            };
            if (endpoint.publicPorts["22"] !== undefined) outs.sshPort = endpoint.publicPorts["22"];
            Object.assign(outs, rentalTerms(seen, server));
            if (spotPrice !== undefined) {
                outs.spotPrice = spotPrice;
                outs.bidState = await spotState(client, server.id, seen.id, spotPrice, inputs.currency);
            }
            return { id: String(seen.id), outs };
        }
        // A spot bid that someone else's outranks will not start: stop waiting for it.
        if (seen && spotPrice !== undefined && polls % 3 === 0) {
            const market = await client.spotMarket(server.id).then((a) => a.market, () => undefined);
            if (market && bidState(market, seen.id, spotPrice, inputs.currency) === "outbid") {
                await client.cancelOrder({ id: seen.id }).catch(() => undefined);
                const theirs = highestCompetingBid(market, inputs.currency);
                throw new Error(
                    `Clore.ai spot order ${seen.id} on server ${server.id} did not start: someone else's bid${theirs !== undefined ? ` of ${theirs} ${inputs.currency}/day` : ""} ` +
                        `holds the server, above yours of ${spotPrice}; the order was cancelled. Try again, or raise host.maxSpotPrice (or host.spotPrice)`,
                );
            }
        }
        if (Date.now() + pollMs > deadline) break;
        await sleep(pollMs);
    }

    const waited = Math.round(timeoutMs / 100) / 10;
    if (!seen) {
        if (lostAnswer) throw lostAnswer;
        throw new Error(
            `Clore.ai accepted the order for server ${server.id} but it did not appear in my_orders within ${waited} s (${polls} polls); ` +
                "check your orders at clore.ai and cancel any stray one",
        );
    }
    // Never leave a paid rental behind a failed create: Pulumi will not track it.
    const orderId = seen.id;
    try {
        await client.cancelOrder({ id: orderId });
    } catch (e) {
        throw new Error(
            `Clore.ai order ${orderId} on server ${server.id} did not show its public endpoint within ${waited} s, and cancelling it failed ` +
                `(${e instanceof Error ? e.message : String(e)}): cancel it at clore.ai`,
        );
    }
    throw new Error(
        `Clore.ai order ${orderId} on server ${server.id} did not show its public endpoint (pub_cluster and the mapped tcp ports ` +
            `${Object.keys(inputs.ports).join(", ")}) within ${waited} s (${polls} polls); the order was cancelled`,
    );
}

/** The server as recorded in state: what diff checks new filters against. */
function snapshotOf(server: CloreMarketServer): RentedServerSnapshot {
    const snap: RentedServerSnapshot = { id: server.id, price: server.price, specs: server.specs };
    if (typeof server.mrl === "number") snap.mrl = server.mrl;
    if (Array.isArray(server.allowed_coins)) snap.allowed_coins = [...server.allowed_coins];
    return snap;
}

/** Creation time, rental length (mrl, hours) and the expiry they give. */
function rentalTerms(order: CloreOrderRecord, server: Pick<CloreMarketServer, "mrl"> | undefined): Pick<CloreOrderOutputs, "createdAt" | "rentalHours" | "expiresAt"> {
    const terms: Pick<CloreOrderOutputs, "createdAt" | "rentalHours" | "expiresAt"> = {};
    if (typeof order.ct === "number") terms.createdAt = order.ct;
    const hours = typeof order.mrl === "number" ? order.mrl : server?.mrl;
    if (typeof hours === "number") terms.rentalHours = hours;
    if (terms.createdAt !== undefined && terms.rentalHours !== undefined) terms.expiresAt = terms.createdAt + terms.rentalHours * 3600;
    return terms;
}

async function spotState(client: CloreClient, serverId: number, orderId: number, bid: number | undefined, currency: CloreCurrency): Promise<SpotBidState> {
    try {
        return bidState((await client.spotMarket(serverId)).market, orderId, bid, currency);
    } catch {
        return "unknown";
    }
}

function highestOf(answer: { market: Parameters<typeof highestCompetingBid>[0] } | undefined, currency: CloreCurrency): number | undefined {
    return answer ? highestCompetingBid(answer.market, currency) : undefined;
}

async function readOrder(id: string, props: CloreOrderOutputs): Promise<dynamic.ReadResult<CloreOrderOutputs>> {
    const client = clientFor(props);
    const order = findOrder((await client.myOrders(false)).orders ?? [], Number(id));
    const spot = props.orderType === "spot";
    const ours = props.spotPrice ?? props.pricePerDay;
    if (!order || order.expired) {
        // A spot order that ended because a higher bid took the server stays in state, marked,
        // so refresh says why and the next `up` replaces it; any other ended order is gone.
        if (spot && props.serverId !== undefined) {
            const market = await client.spotMarket(props.serverId).then((a) => a.market, () => undefined);
            if (market && bidState(market, Number(id), ours, props.currency) === "outbid") {
                const theirs = highestCompetingBid(market, props.currency);
                return { id, props: { ...props, bidState: "outbid", ended: true, notice: outbidNotice(Number(id), props.serverId, ours, theirs, props.currency) } };
            }
        }
        return {};
    }
    const endpoint = orderEndpoint(order, props.ports ?? {});
    const outs: CloreOrderOutputs = { ...props };
    if (endpoint) {
        outs.publicHost = endpoint.publicHost;
        outs.publicPorts = endpoint.publicPorts;
        if (endpoint.publicPorts["22"] !== undefined) outs.sshPort = endpoint.publicPorts["22"];
    }
    if (typeof order.price === "number") outs.pricePerDay = order.price;
    Object.assign(outs, rentalTerms(order, props.server));
    if (spot) {
        outs.bidState = await spotState(client, order.si, order.id, typeof order.price === "number" ? order.price : ours, props.currency);
        // Still listed but no longer holding the server: raising the bid in place may win it back.
        if (outs.bidState === "outbid") outs.notice = waitingNotice(order.id, order.si, typeof order.price === "number" ? order.price : ours, highestOf(await client.spotMarket(order.si).catch(() => undefined), props.currency), props.currency);
        else delete outs.notice;
    }
    return { id, props: outs };
}

function diffOrder(olds: CloreOrderOutputs, news: CloreOrderInputs): dynamic.DiffResult {
    const replaces: string[] = REPLACING_INPUTS.filter((k) => canonical(olds[k]) !== canonical(news[k]));
    // Refresh found the spot order outbid and ended: the rental is gone, rent again.
    if (olds.ended === true) replaces.push("ended");
    // New filters only matter when the rented server no longer meets them.
    if (canonical(olds.filters) !== canonical(news.filters) && olds.server) {
        const listed: CloreMarketServer = { rented: false, ...olds.server };
        const terms = { type: news.orderType, currency: news.currency };
        if (unmetFilters(listed, news.filters ?? {}, terms).length > 0) replaces.push("filters");
    }
    const inPlace = ["apiKey", "api", "filters", "spotPrice", "maxSpotPrice", "readyTimeoutSeconds", "pollIntervalSeconds"] as const;
    const changes = replaces.length > 0 || inPlace.some((k) => canonical(olds[k]) !== canonical(news[k]));
    // A server can be rented once: the old order must go before the new one can take it.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
}

async function updateOrder(id: string, olds: CloreOrderOutputs, news: CloreOrderInputs): Promise<dynamic.UpdateResult<CloreOrderOutputs>> {
    const outs: CloreOrderOutputs = { ...olds, ...news, spotPrice: olds.spotPrice };
    if (news.orderType === "spot" && news.spotPrice !== undefined && news.spotPrice !== olds.spotPrice) {
        const client = clientFor(news);
        const order = findOrder((await client.myOrders(false)).orders ?? [], Number(id));
        // The live bid, not the recorded one: an earlier partial lowering may have moved it.
        const current = typeof order?.price === "number" ? order.price : (olds.spotPrice ?? olds.pricePerDay);
        const set = await changeSpotBid(client, Number(id), current, news.spotPrice);
        outs.spotPrice = set;
        outs.pricePerDay = set;
    }
    return { outs };
}

/** Cancels the order; an order that is already gone counts as deleted. */
async function deleteOrder(id: string, props: CloreOrderOutputs): Promise<void> {
    const client = clientFor(props);
    const orderId = Number(id);
    const live = () => client.myOrders(false).then((a) => findOrder(a.orders ?? [], orderId));
    const order = await live();
    if (!order || order.expired) return;
    try {
        await client.cancelOrder({ id: orderId });
    } catch (e) {
        if (!(e instanceof CloreApiError)) throw e;
        // Cancelled or expired meanwhile: nothing left to release.
        const still = await live();
        if (!still || still.expired) return;
        throw new Error(`cancelling Clore.ai order ${orderId} failed: ${e.message}`, { cause: e });
    }
}

/** The provider object handed to pulumi.dynamic.Resource. */
export const cloreOrderProvider: dynamic.ResourceProvider<CloreOrderInputs, CloreOrderOutputs> = {
    async create(inputs) {
        return createOrder(inputs);
    },
    async read(id, props) {
        return readOrder(id, props as CloreOrderOutputs);
    },
    async diff(_id, olds, news) {
        return diffOrder(olds, news);
    },
    async update(id, olds, news) {
        return updateOrder(id, olds, news);
    },
    async delete(id, props) {
        return deleteOrder(id, props);
    },
};
