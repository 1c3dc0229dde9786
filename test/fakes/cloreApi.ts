import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { CloreMarketServer, CloreOrderRecord, CreateOrderRequest } from "../../components/clore/api";
import { defaultServers } from "./cloreMarket";
import { FakeBid, holder, loweringRefusal, spotMarketOf } from "./cloreSpot";

export { defaultServers } from "./cloreMarket";

/**
 * A local stand-in for the Clore.ai API (https://api.clore.ai/v1) on 127.0.0.1 and a
 * random port. It keeps marketplace servers, spot bids and orders in memory and answers as
 * the public sources show the real one does; each behaviour names its source where it is
 * emulated. What no source confirms is marked as the fake's assumption (and listed in the
 * Clore page, docs/clore.md). Knobs cover the awkward cases: a bad key, calls too close together,
 * refusals, HTML error pages, orders that need several polls, vanish, or are outbid.
 */

export interface RecordedRequest {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: http.IncomingHttpHeaders;
    body: unknown;
    /** The raw request line and body, to check the key appears nowhere but `auth`. */
    rawWithoutAuthHeader: string;
    at: number;
}

export interface FakeCloreOptions {
    apiKey?: string;
    servers?: CloreMarketServer[];
    /** Answer code 5 when a call comes sooner than this after the previous one (default 0: never). */
    minSpacingMs?: number;
    /** Public host name the fake reports in pub_cluster. */
    publicHost?: string;
    /**
     * Container port -> a real local port to report as its public port, so a test can reach
     * a service (e.g. Milvus Lite) "through the rental" at publicHost:port.
     */
    portForwards?: Record<string, number>;
}

interface FakeOrder extends CloreOrderRecord {
    /** my_orders calls still to answer without the order at all. */
    hiddenPolls: number;
    /** my_orders calls that may still show the order before it ends by itself. */
    endsAfterPolls?: number;
    /** my_orders calls still to answer with the order but without its endpoint. */
    pendingPolls: number;
    ports: Record<string, string>;
    env: Record<string, string>;
    command?: string;
    request: CreateOrderRequest;
    /** Spot: when the bid was last lowered (ms), for the 600 s rule. */
    lastLoweredAt?: number;
    /** Spot: placed, but another bid holds the server. */
    waiting?: boolean;
}

type Answer = Record<string, unknown> & { code: number };

export class FakeCloreApi {
    readonly apiKey: string;
    readonly servers: CloreMarketServer[];
    readonly requests: RecordedRequest[] = [];
    readonly publicHost: string;
    readonly portForwards: Record<string, number>;
    minSpacingMs: number;

    /** Answer the next N calls (any endpoint) with code 5. */
    tooFastNext = 0;
    /** Answer the next N calls to this path with code 5. */
    readonly tooFastOn = new Map<string, number>();
    /** New orders stay out of my_orders for this many my_orders calls. */
    orderHiddenPolls = 0;
    /** New orders show without pub_cluster/tcp_ports for this many my_orders calls. */
    endpointPendingPolls = 0;
    /** New orders end (expire) after this many my_orders calls that showed them; undefined: never. */
    orderEndsAfterPolls?: number;
    /** Close the connection without an answer for the next N calls to this path (e.g. "/marketplace"). */
    readonly dropNext = new Map<string, number>();
    /** Answer the next create_order with this code and error text instead of placing an order. */
    failNextCreate?: { code: number; error?: string };
    /** Answer the next cancel_order with this code; `expire` ends the order anyway (a race with its end). */
    failNextCancel?: { code: number; error?: string; expire?: boolean };
    /** How my_orders spells an order's image (Clore may normalize it); default as given. */
    listImageAs: (image: string) => string = (image) => image;
    /** Someone else rents the requested server just before the next create_order arrives. */
    snatchNextCreate = false;
    /** Place the order but drop the connection before answering (the answer is lost). */
    loseNextCreateAnswer = false;
    /** Runs just before the next create_order is judged (a price moves, a server goes, ...). */
    beforeNextCreate?: () => void;
    /** Servers whose host is offline: create_order answers `server-offline` though they are listed free. */
    readonly offline = new Set<number>();
    /** Wallet balances per coin (GET /wallets). */
    balances: Record<string, number> = { "CLORE-Blockchain": 1234.5, bitcoin: 0.01, "USD-Blockchain": 50 };
    /**
     * How a create_order the balance cannot pay for is refused: code 6 `not_enough_balance`
     * (https://dev.clore.ai/reference/api-reference, "Common Errors") or code 1, which users
     * report for a low balance (unconfirmed). One day's price must be covered (the fake's assumption).
     */
    lowBalanceAnswer: "not_enough_balance" | "code 1" = "not_enough_balance";
    /**
     * The answer to a create_order whose required_price differs from the listed on-demand
     * price. Neither the text nor whether the price is exact or a ceiling is documented; the
     * fake treats it as exact and answers code 2 by default.
     */
    requiredPriceRefusal: Answer = { code: 2 };
    /** Answer the next N calls to a path with an HTML error page of this HTTP status. */
    readonly htmlNext = new Map<string, { status: number; count: number; placeOrder?: boolean }>();
    /** Largest lowering of a spot bid at once, given the current bid (the real step is unpublished). */
    spotMaxStep: (current: number) => number = (current) => current / 10;
    /** The fake's clock (ms), for rental expiry (mrl) and the spot lowering interval. */
    now: () => number = Date.now;
    /** Spot bids on every server, ours and others'. */
    readonly bids: FakeBid[] = [];
    private nextOfferId = 9001;

    private orders: FakeOrder[] = [];
    private nextOrderId = 5001;
    private nextPublicPort = 20001;
    private lastCallAt = 0;
    private server?: http.Server;
    private base?: string;

    constructor(options: FakeCloreOptions = {}) {
        this.apiKey = options.apiKey ?? "fake-clore-key-0123456789abcdef";
        this.servers = structuredClone(options.servers ?? defaultServers());
        this.minSpacingMs = options.minSpacingMs ?? 0;
        this.publicHost = options.publicHost ?? "n1.fake-clore.test";
        this.portForwards = { ...(options.portForwards ?? {}) };
    }

    /** Base URL to give the client, e.g. http://127.0.0.1:41234/v1. */
    get url(): string {
        if (!this.base) throw new Error("FakeCloreApi not started");
        return this.base;
    }

    async start(): Promise<this> {
        this.server = http.createServer((req, res) => void this.handle(req, res));
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        const { port } = this.server.address() as AddressInfo;
        this.base = `http://127.0.0.1:${port}/v1`;
        return this;
    }

    async stop(): Promise<void> {
        const server = this.server;
        if (!server) return;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        this.server = undefined;
    }

    /** All orders, including cancelled/expired ones. */
    allOrders(): CloreOrderRecord[] {
        return this.orders.map((o) => this.view(o));
    }

    activeOrders(): CloreOrderRecord[] {
        return this.orders.filter((o) => !o.expired).map((o) => this.view(o));
    }

    /** The order as the host runs it: image, ports, env, command. */
    orderRequest(id: number): CreateOrderRequest | undefined {
        return this.orders.find((o) => o.id === id)?.request;
    }

    /** The rental ended on Clore's side (ran out of balance, host went away). */
    expireOrder(id: number): void {
        const o = this.orders.find((x) => x.id === id);
        if (!o) throw new Error(`no order ${id}`);
        this.endOrder(o);
    }

    /** The next `polls` listings of the order come without its endpoint (Clore re-assigning it). */
    hideEndpoint(id: number, polls: number): void {
        const o = this.orders.find((x) => x.id === id);
        if (!o) throw new Error(`no order ${id}`);
        o.pendingPolls = polls;
    }

    /** The order is gone from every list, completed ones too. */
    removeOrder(id: number): void {
        const o = this.orders.find((x) => x.id === id);
        this.orders = this.orders.filter((x) => x.id !== id);
        if (o) this.setRented(o.si, false);
    }

    /**
     * Someone else bids on a server's spot market. When the bid beats one of our running spot
     * orders there, that order ends, as an outbid spot rental does (the report: it
     * disappears with its data).
     */
    addCompetingBid(serverId: number, bid: number, currency = "CLORE-Blockchain"): void {
        this.bids.push({ offerId: this.nextOfferId++, serverId, bid, currency, mine: false });
        this.settleSpot(serverId);
    }

    /** Ends our spot orders on the server whose bid no longer holds it. */
    private settleSpot(serverId: number) {
        const top = holder(this.bids, serverId);
        for (const o of this.orders) {
            if (o.si !== serverId || !o.spot || o.expired) continue;
            const mine = this.bids.find((b) => b.mine && b.offerId === o.id);
            if (mine && top && top !== mine && !o.waiting) this.endOrder(o);
        }
    }

    callsTo(path: string): RecordedRequest[] {
        return this.requests.filter((r) => r.path === path);
    }

    private setRented(serverId: number, rented: boolean) {
        const s = this.servers.find((x) => x.id === serverId);
        if (s) s.rented = rented;
    }

    private view(o: FakeOrder): CloreOrderRecord {
        const { hiddenPolls: _h, endsAfterPolls: _e, pendingPolls: _p, ports: _ports, env: _env, command: _c, request: _r, lastLoweredAt: _l, waiting: _w, ...order } = o;
        return structuredClone(order);
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const rawBody = Buffer.concat(chunks).toString("utf8");
        const url = new URL(req.url ?? "/", "http://fake");
        const path = url.pathname.replace(/^\/v1/, "");
        let body: unknown = undefined;
        if (rawBody) {
            try {
                body = JSON.parse(rawBody);
            } catch {
                body = rawBody;
            }
        }
        const headerLines = Object.entries(req.headers)
            .filter(([k]) => k !== "auth")
            .map(([k, v]) => `${k}: ${String(v)}`);
        this.requests.push({
            method: req.method ?? "",
            path,
            query: Object.fromEntries(url.searchParams),
            headers: req.headers,
            body,
            rawWithoutAuthHeader: `${req.method} ${req.url}\n${headerLines.join("\n")}\n\n${rawBody}`,
            at: Date.now(),
        });

        const drops = this.dropNext.get(path) ?? 0;
        if (drops > 0) {
            this.dropNext.set(path, drops - 1);
            req.socket.destroy();
            return;
        }
        const send = (answer: object, status = 200) => {
            // Failures come with HTTP 200 and the code in the body (https://docs.clore.ai/for-hosts/api),
            // except the rate limit below.
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(answer));
        };
        const html = this.htmlNext.get(path);
        if (html && html.count > 0) {
            html.count--;
            // A proxy's error page in front of the API: not the API's JSON.
            const page = () => {
                res.writeHead(html.status, { "content-type": "text/html" });
                res.end(`<html><head><title>${html.status} Bad Gateway</title></head><body><h1>${html.status} Bad Gateway</h1><hr>nginx</body></html>`);
            };
            if (path === "/create_order" && html.placeOrder) return this.createOrder(body, () => page(), req);
            return page();
        }

        const now = Date.now();
        const tooSoon = this.minSpacingMs > 0 && now - this.lastCallAt < this.minSpacingMs;
        this.lastCallAt = now;
        const tooFastHere = this.tooFastOn.get(path) ?? 0;
        if (this.tooFastNext > 0 || tooSoon || tooFastHere > 0) {
            if (this.tooFastNext > 0) this.tooFastNext--;
            else if (tooFastHere > 0) this.tooFastOn.set(path, tooFastHere - 1);
            // Code 5 arrives with HTTP 429 (vladpuz/cloreai README: "rate limit exceeded (429 errors)";
            // public clients log {"httpStatus":429,"code":5} on create_order).
            return send({ code: 5 }, 429);
        }
        if (req.headers.auth !== this.apiKey) {
            // A plain-text 401 was seen on /wallets (the report, unconfirmed by docs);
            // elsewhere a wrong key is code 3 (https://docs.clore.ai/developers/cli-sdk).
            if (path === "/wallets") {
                res.writeHead(401, { "content-type": "text/plain" });
                return res.end("401 Unauthorized");
            }
            return send({ code: 3 });
        }

        const m = req.method;
        if (m === "GET" && path === "/marketplace") {
            return send({ code: 0, servers: structuredClone(this.servers), my_servers: [] });
        }
        if (m === "GET" && path === "/wallets") {
            // Shape from https://docs.clore.ai/for-hosts/api (wallets: name, deposit, balance, withdrawal_fee).
            return send({
                code: 0,
                wallets: Object.entries(this.balances).map(([name, balance]) => ({ name, balance, deposit: `fake-${name}-address`, withdrawal_fee: 0.0001 })),
            });
        }
        if (m === "GET" && path === "/my_orders") {
            const completed = url.searchParams.get("return_completed") === "true";
            const visible: CloreOrderRecord[] = [];
            for (const o of this.orders) {
                // A rental ends after mrl hours (maximum rental length; https://docs.clore.ai/developers/cli-sdk lists mrl).
                if (!o.expired && o.mrl !== undefined && o.ct !== undefined && this.now() >= (o.ct + o.mrl * 3600) * 1000) this.endOrder(o);
                if (o.expired && !completed) continue;
                if (o.hiddenPolls > 0) {
                    o.hiddenPolls--;
                    continue;
                }
                if (o.endsAfterPolls !== undefined && !o.expired) {
                    if (o.endsAfterPolls <= 0) {
                        this.endOrder(o);
                        if (!completed) continue;
                    } else o.endsAfterPolls--;
                }
                const v = this.view(o);
                if (o.pendingPolls > 0) {
                    o.pendingPolls--;
                    v.pub_cluster = [];
                    v.tcp_ports = [];
                }
                visible.push(v);
            }
            return send({ code: 0, orders: visible });
        }
        if (m === "GET" && path === "/spot_marketplace") {
            const id = Number(url.searchParams.get("market"));
            const s = this.servers.find((x) => x.id === id);
            // An unknown server: `exists: false` (the field is in vladpuz/cloreai src/resources/spotMarketplace.ts).
            if (!s) return send({ code: 0, exists: false, market: { offers: [] } });
            return send({ code: 0, exists: true, market: spotMarketOf(s, this.bids) });
        }
        if (m === "POST" && path === "/create_order") return this.createOrder(body, send, req);
        if (m === "POST" && path === "/cancel_order") {
            const id = (body as { id?: unknown })?.id;
            const o = this.orders.find((x) => x.id === id && !x.expired);
            if (typeof id !== "number") return send({ code: 2 });
            if (this.failNextCancel) {
                const f = this.failNextCancel;
                this.failNextCancel = undefined;
                if (f.expire && o) this.endOrder(o);
                return send({ code: f.code, ...(f.error ? { error: f.error } : {}) });
            }
            // Cancelling an order that is not running: the real answer is not documented; the
            // provider only relies on it being a non-zero code.
            if (!o) return send({ code: 6, error: "order_not_found" });
            this.endOrder(o);
            return send({ code: 0 });
        }
        if (m === "POST" && path === "/set_spot_price") {
            const b = body as { order_id?: number; desired_price?: number };
            const o = this.orders.find((x) => x.id === b?.order_id && !x.expired);
            // No such spot order, or no price: input the API cannot use (the fake's assumption).
            if (!o || !o.spot || typeof b.desired_price !== "number") return send({ code: 2 });
            const current = o.price ?? 0;
            const refusal = loweringRefusal(current, b.desired_price, o.lastLoweredAt, this.now(), this.spotMaxStep(current));
            if (refusal) return send(refusal);
            if (b.desired_price < current) o.lastLoweredAt = this.now();
            o.price = b.desired_price;
            const mine = this.bids.find((x) => x.mine && x.offerId === o.id);
            if (mine) mine.bid = b.desired_price;
            this.settleSpot(o.si);
            return send({ code: 0 });
        }
        // Code 4: invalid endpoint (https://docs.clore.ai/for-hosts/api).
        return send({ code: 4 });
    }

    /** The order ends: the server is free again and its spot bid leaves the market. */
    private endOrder(o: FakeOrder) {
        o.expired = true;
        this.setRented(o.si, false);
        const bid = this.bids.findIndex((b) => b.mine && b.offerId === o.id);
        if (bid >= 0) this.bids.splice(bid, 1);
    }

    private createOrder(body: unknown, send: (a: object) => void, req: http.IncomingMessage) {
        if (this.failNextCreate) {
            const f = this.failNextCreate;
            this.failNextCreate = undefined;
            return send({ code: f.code, ...(f.error ? { error: f.error } : {}) });
        }
        const hook = this.beforeNextCreate;
        this.beforeNextCreate = undefined;
        hook?.();
        // Field names and values from https://docs.clore.ai/for-hosts/api and
        // https://dev.clore.ai/reference/api-reference (currency "CLORE-Blockchain", "bitcoin" or
        // "USD-Blockchain"; spotprice for spot). Which fields are mandatory is not documented:
        // the fake asks for the ones this package always sends.
        const r = body as Partial<CreateOrderRequest>;
        const valid =
            typeof r === "object" &&
            r !== null &&
            typeof r.image === "string" &&
            r.image !== "" &&
            typeof r.renting_server === "number" &&
            (r.type === "on-demand" || r.type === "spot") &&
            (r.currency === "CLORE-Blockchain" || r.currency === "bitcoin" || r.currency === "USD-Blockchain") &&
            (r.type !== "spot" || typeof r.spotprice === "number") &&
            (r.ports === undefined || (typeof r.ports === "object" && Object.values(r.ports).every((k) => k === "tcp" || k === "http")));
        if (!valid) return send({ code: 2 });
        const server = this.servers.find((s) => s.id === r.renting_server);
        // An unknown server id: input the API cannot use (the real answer is not documented).
        if (!server) return send({ code: 2 });
        if (this.snatchNextCreate) {
            this.snatchNextCreate = false;
            server.rented = true;
        }
        // The refusal texts below are Clore's own (https://dev.clore.ai/reference/api-reference,
        // "Common Errors"), with code 6 ("error specified in error field", https://docs.clore.ai/for-hosts/api).
        if (server.rented) return send({ code: 6, error: "server-already-rented" });
        if (this.offline.has(server.id)) return send({ code: 6, error: "server-offline" });
        if (Array.isArray(server.allowed_coins) && !server.allowed_coins.includes(r.currency!)) return send({ code: 6, error: "currency-not-allowed" });
        const listed = (r.type === "spot" ? server.price.spot : server.price.on_demand)?.[r.currency!];
        if (listed === undefined) return send({ code: 6, error: "currency-not-allowed" });
        if (r.type === "spot" && r.spotprice! < listed) return send({ code: 6, error: "too_low_price" });
        if (r.required_price !== undefined && r.type === "on-demand" && r.required_price !== listed) return send(this.requiredPriceRefusal);
        const price = r.type === "spot" ? r.spotprice! : listed;
        if ((this.balances[r.currency!] ?? 0) < price) {
            return send(this.lowBalanceAnswer === "code 1" ? { code: 1 } : { code: 6, error: "not_enough_balance" });
        }
        const id = this.nextOrderId++;
        let waiting = false;
        if (r.type === "spot") {
            const bid: FakeBid = { offerId: id, serverId: server.id, bid: price, currency: r.currency!, mine: true };
            this.bids.push(bid);
            // A bid that does not hold the server waits without an endpoint (the fake's reading of `active`).
            waiting = holder(this.bids, server.id) !== bid;
        } else {
            server.rented = true;
        }
        const ports = r.ports ?? {};
        const tcp: string[] = [];
        for (const [port, kind] of Object.entries(ports)) if (kind === "tcp") tcp.push(`${port}:${this.portForwards[port] ?? this.nextPublicPort++}`);
        const httpPort = Object.entries(ports).find(([, k]) => k === "http")?.[0];
        const order: FakeOrder = {
            id,
            si: server.id,
            image: this.listImageAs(r.image!),
            currency: r.currency,
            price,
            spend: 0,
            ct: Math.floor(this.now() / 1000),
            spot: r.type === "spot",
            expired: false,
            // my_orders lists the order's mrl (vladpuz/cloreai src/resources/myOrders.ts).
            ...(server.mrl !== undefined ? { mrl: server.mrl } : {}),
            pub_cluster: [this.publicHost],
            tcp_ports: tcp,
            ...(httpPort ? { http_port: httpPort } : {}),
            specs: structuredClone(server.specs),
            hiddenPolls: this.orderHiddenPolls,
            endsAfterPolls: this.orderEndsAfterPolls,
            pendingPolls: waiting ? Number.MAX_SAFE_INTEGER : this.endpointPendingPolls,
            waiting,
            ports: { ...ports },
            env: { ...(r.env ?? {}) },
            command: r.command,
            request: structuredClone(r as CreateOrderRequest),
        };
        this.orders.push(order);
        if (this.loseNextCreateAnswer) {
            this.loseNextCreateAnswer = false;
            req.socket.destroy();
            return;
        }
        return send({ code: 0 });
    }
}
