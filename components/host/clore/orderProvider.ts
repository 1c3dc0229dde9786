import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { CloreCurrency, CloreMarketServer, CloreOrderRecord, CloreOrderType, ClorePortKind, CreateOrderRequest } from "./api";
import { CloreClient, CloreClientSettings } from "./client";
import { CloreApiError, CloreInvalidInputError, CloreNetworkError, CloreOtherError } from "./errors";
import { selectServer, Selection, ServerFilters, serverFacts, unmetFilters } from "./selection";

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
    /** Bid per day for spot orders; defaults to the server's listed spot price. */
    spotPrice?: number;
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
    // Someone else may rent the chosen server between the listing and the order: then choose
    // again among the rest, a bounded number of times.
    const maxChoices = 3;
    const taken = new Set<number>();
    let listing = (await client.marketplace()).servers ?? [];
    let chosen: Selection;
    let spotPrice: number | undefined;
    // The answer carries no order id; a lost answer may still have placed the order, so
    // then look for it before giving up.
    let lostAnswer: CloreNetworkError | undefined;
    for (let choice = 1; ; choice++) {
        chosen = selectServer(
            listing.filter((s) => !taken.has(s.id)),
            inputs.filters ?? {},
            terms,
        );
        spotPrice = inputs.orderType === "spot" ? (inputs.spotPrice ?? chosen.price) : undefined;
        const request = createOrderRequest(inputs, chosen.server.id, spotPrice);
        if (inputs.orderType === "on-demand") request.required_price = chosen.price;
        try {
            await client.createOrder(request);
            break;
        } catch (e) {
            if (e instanceof CloreNetworkError && e.maybeDelivered) {
                lostAnswer = e;
                break;
            }
            const failure = new Error(
                `renting Clore.ai server ${chosen.server.id} (${chosen.server.specs?.gpu ?? "no GPU listed"}) failed: ${e instanceof Error ? e.message : String(e)}`,
                { cause: e },
            );
            // Only refusals of the order itself can mean "taken"; a bad key or rate limit cannot.
            const refused = e instanceof CloreOtherError || e instanceof CloreInvalidInputError;
            if (!refused || choice >= maxChoices) throw failure;
            listing = (await client.marketplace()).servers ?? [];
            const now = listing.find((s) => s.id === chosen.server.id);
            if (now && !now.rented) throw failure; // still free: the refusal was about the order, not the server
            taken.add(chosen.server.id);
        }
    }
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
                server: { id: server.id, price: server.price, specs: server.specs },
            };
            if (endpoint.publicPorts["22"] !== undefined) outs.sshPort = endpoint.publicPorts["22"];
            if (seen.ct !== undefined) outs.createdAt = seen.ct;
            if (spotPrice !== undefined) outs.spotPrice = spotPrice;
            return { id: String(seen.id), outs };
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

async function readOrder(id: string, props: CloreOrderOutputs): Promise<dynamic.ReadResult<CloreOrderOutputs>> {
    const client = clientFor(props);
    const order = findOrder((await client.myOrders(false)).orders ?? [], Number(id));
    // Gone or expired (out of balance, host left, cancelled elsewhere): the resource is gone.
    if (!order || order.expired) return {};
    const endpoint = orderEndpoint(order, props.ports ?? {});
    const outs: CloreOrderOutputs = { ...props };
    if (endpoint) {
        outs.publicHost = endpoint.publicHost;
        outs.publicPorts = endpoint.publicPorts;
        if (endpoint.publicPorts["22"] !== undefined) outs.sshPort = endpoint.publicPorts["22"];
    }
    if (typeof order.price === "number") outs.pricePerDay = order.price;
    return { id, props: outs };
}

function diffOrder(olds: CloreOrderOutputs, news: CloreOrderInputs): dynamic.DiffResult {
    const replaces: string[] = REPLACING_INPUTS.filter((k) => canonical(olds[k]) !== canonical(news[k]));
    // New filters only matter when the rented server no longer meets them.
    if (canonical(olds.filters) !== canonical(news.filters) && olds.server) {
        const listed: CloreMarketServer = { id: olds.server.id, rented: false, price: olds.server.price, specs: olds.server.specs };
        const terms = { type: news.orderType, currency: news.currency };
        if (unmetFilters(listed, news.filters ?? {}, terms).length > 0) replaces.push("filters");
    }
    const inPlace = ["apiKey", "api", "filters", "spotPrice", "readyTimeoutSeconds", "pollIntervalSeconds"] as const;
    const changes = replaces.length > 0 || inPlace.some((k) => canonical(olds[k]) !== canonical(news[k]));
    // A server can be rented once: the old order must go before the new one can take it.
    return { changes, replaces, deleteBeforeReplace: replaces.length > 0 };
}

async function updateOrder(id: string, olds: CloreOrderOutputs, news: CloreOrderInputs): Promise<dynamic.UpdateResult<CloreOrderOutputs>> {
    const outs: CloreOrderOutputs = { ...olds, ...news, spotPrice: olds.spotPrice };
    if (news.orderType === "spot" && news.spotPrice !== undefined && news.spotPrice !== olds.spotPrice) {
        await clientFor(news).setSpotPrice({ order_id: Number(id), desired_price: news.spotPrice });
        outs.spotPrice = news.spotPrice;
        outs.pricePerDay = news.spotPrice;
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
