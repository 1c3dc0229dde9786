import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { CloreMarketServer, CloreOrderRecord, CreateOrderRequest } from "../../components/host/clore/api";

/**
 * A local stand-in for the Clore.ai API (https://api.clore.ai/v1) on 127.0.0.1 and a
 * random port. It keeps marketplace servers and orders in memory, answers with the
 * documented shapes and codes, and has knobs for the awkward cases: a bad key (code 3),
 * calls too close together (code 5), orders that need several polls before their
 * endpoint shows, orders that vanish, and dropped connections.
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
}

export class FakeCloreApi {
    readonly apiKey: string;
    readonly servers: CloreMarketServer[];
    readonly requests: RecordedRequest[] = [];
    readonly publicHost: string;
    readonly portForwards: Record<string, number>;
    minSpacingMs: number;

    /** Answer the next N calls (any endpoint) with code 5. */
    tooFastNext = 0;
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
        o.expired = true;
        this.setRented(o.si, false);
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

    callsTo(path: string): RecordedRequest[] {
        return this.requests.filter((r) => r.path === path);
    }

    private setRented(serverId: number, rented: boolean) {
        const s = this.servers.find((x) => x.id === serverId);
        if (s) s.rented = rented;
    }

    private view(o: FakeOrder): CloreOrderRecord {
        const { hiddenPolls: _h, endsAfterPolls: _e, pendingPolls: _p, ports: _ports, env: _env, command: _c, request: _r, ...order } = o;
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
        const send = (answer: object) => {
            // Like the real API, failures still come with HTTP 200; the code is the signal.
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify(answer));
        };

        const now = Date.now();
        const tooSoon = this.minSpacingMs > 0 && now - this.lastCallAt < this.minSpacingMs;
        this.lastCallAt = now;
        if (this.tooFastNext > 0 || tooSoon) {
            if (this.tooFastNext > 0) this.tooFastNext--;
            return send({ code: 5 });
        }
        if (req.headers.auth !== this.apiKey) return send({ code: 3 });

        const m = req.method;
        if (m === "GET" && path === "/marketplace") {
            return send({ code: 0, servers: structuredClone(this.servers), my_servers: [] });
        }
        if (m === "GET" && path === "/wallets") {
            return send({
                code: 0,
                wallets: [
                    { name: "CLORE-Blockchain", balance: 1234.5, deposit: "fakeDepositAddress", withdrawal_fee: 1 },
                    { name: "bitcoin", balance: 0.01, deposit: "fakeBtcAddress", withdrawal_fee: 0.0001 },
                ],
            });
        }
        if (m === "GET" && path === "/my_orders") {
            const completed = url.searchParams.get("return_completed") === "true";
            const visible: CloreOrderRecord[] = [];
            for (const o of this.orders) {
                if (o.expired && !completed) continue;
                if (o.hiddenPolls > 0) {
                    o.hiddenPolls--;
                    continue;
                }
                if (o.endsAfterPolls !== undefined && !o.expired) {
                    if (o.endsAfterPolls <= 0) {
                        o.expired = true;
                        this.setRented(o.si, false);
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
            if (!s) return send({ code: 6, error: "server_not_found" });
            const offers = this.orders
                .filter((o) => o.si === id && o.spot && !o.expired)
                .map((o) => ({ offer_id: o.id, bid: o.price ?? 0, active: true, my: true }));
            return send({ code: 0, exists: true, market: { offers, server: { min_pricing: s.price.spot ?? {}, mrl: s.mrl ?? 0, online: true } } });
        }
        if (m === "POST" && path === "/create_order") return this.createOrder(body, send, req);
        if (m === "POST" && path === "/cancel_order") {
            const id = (body as { id?: unknown })?.id;
            const o = this.orders.find((x) => x.id === id && !x.expired);
            if (typeof id !== "number") return send({ code: 2 });
            if (this.failNextCancel) {
                const f = this.failNextCancel;
                this.failNextCancel = undefined;
                if (f.expire && o) {
                    o.expired = true;
                    this.setRented(o.si, false);
                }
                return send({ code: f.code, ...(f.error ? { error: f.error } : {}) });
            }
            if (!o) return send({ code: 6, error: "order_not_found" });
            o.expired = true;
            this.setRented(o.si, false);
            return send({ code: 0 });
        }
        if (m === "POST" && path === "/set_spot_price") {
            const b = body as { order_id?: number; desired_price?: number };
            const o = this.orders.find((x) => x.id === b?.order_id && !x.expired);
            if (!o || typeof b.desired_price !== "number") return send({ code: 2 });
            o.price = b.desired_price;
            return send({ code: 0 });
        }
        return send({ code: 4 });
    }

    private createOrder(body: unknown, send: (a: object) => void, req: http.IncomingMessage) {
        if (this.failNextCreate) {
            const f = this.failNextCreate;
            this.failNextCreate = undefined;
            return send({ code: f.code, ...(f.error ? { error: f.error } : {}) });
        }
        const r = body as Partial<CreateOrderRequest>;
        const valid =
            typeof r === "object" &&
            r !== null &&
            typeof r.image === "string" &&
            r.image !== "" &&
            typeof r.renting_server === "number" &&
            (r.type === "on-demand" || r.type === "spot") &&
            (r.currency === "CLORE-Blockchain" || r.currency === "bitcoin") &&
            (r.type !== "spot" || typeof r.spotprice === "number") &&
            (r.ports === undefined || (typeof r.ports === "object" && Object.values(r.ports).every((k) => k === "tcp" || k === "http")));
        if (!valid) return send({ code: 2 });
        const server = this.servers.find((s) => s.id === r.renting_server);
        if (!server) return send({ code: 6, error: "server_not_found" });
        if (this.snatchNextCreate) {
            this.snatchNextCreate = false;
            server.rented = true;
        }
        if (server.rented) return send({ code: 6, error: "server_already_rented" });
        const table = r.type === "spot" ? server.price.spot : server.price.on_demand;
        const price = r.type === "spot" ? r.spotprice! : table?.[r.currency!];
        if (price === undefined) return send({ code: 6, error: "currency_not_accepted" });
        if (r.required_price !== undefined && r.type === "on-demand" && r.required_price !== price) {
            return send({ code: 6, error: "price_changed" });
        }
        server.rented = true;
        const ports = r.ports ?? {};
        const tcp: string[] = [];
        for (const [port, kind] of Object.entries(ports)) if (kind === "tcp") tcp.push(`${port}:${this.portForwards[port] ?? this.nextPublicPort++}`);
        const httpPort = Object.entries(ports).find(([, k]) => k === "http")?.[0];
        const order: FakeOrder = {
            id: this.nextOrderId++,
            si: server.id,
            image: this.listImageAs(r.image!),
            currency: r.currency,
            price,
            spend: 0,
            ct: Math.floor(Date.now() / 1000),
            spot: r.type === "spot",
            expired: false,
            pub_cluster: [this.publicHost],
            tcp_ports: tcp,
            ...(httpPort ? { http_port: httpPort } : {}),
            specs: structuredClone(server.specs),
            hiddenPolls: this.orderHiddenPolls,
            endsAfterPolls: this.orderEndsAfterPolls,
            pendingPolls: this.endpointPendingPolls,
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

/** A marketplace with a spread of machines; ids and prices chosen so choices are easy to reason about. */
export function defaultServers(): CloreMarketServer[] {
    const server = (
        id: number,
        gpu: string,
        gpuram: number,
        ram: number,
        disk: string,
        cpus: string,
        cc: string,
        onDemand: number,
        spot: number,
        rented = false,
    ): CloreMarketServer => ({
        id,
        owner: 100 + id,
        mrl: 72,
        rented,
        price: { on_demand: { "CLORE-Blockchain": onDemand }, spot: { "CLORE-Blockchain": spot } },
        specs: { cpu: "AMD EPYC 7543", cpus, ram, disk, disk_speed: 2500, gpu, gpuram, net: { cc, down: 900, up: 800 } },
    });
    return [
        server(101, "1x NVIDIA GeForce RTX 3090", 24, 32, "Samsung SSD 980 500GB", "8/16", "DE", 30, 15),
        server(102, "1x NVIDIA GeForce RTX 4090", 24, 64, "NVMe 1TB", "16/32", "US", 60, 30),
        server(103, "2x NVIDIA GeForce RTX 4090", 24, 128, "NVMe 2TB", "32/64", "US", 110, 55),
        server(104, "1x NVIDIA GeForce RTX 4090", 24, 64, "NVMe 1TB", "16/32", "FI", 55, 28),
        server(105, "1x NVIDIA GeForce RTX 4090", 24, 16, "SSD 256GB", "4/8", "US", 40, 20),
        server(106, "1x NVIDIA A100 80GB PCIe", 80, 256, "NVMe 4TB", "64/128", "US", 200, 100),
        server(107, "1x NVIDIA GeForce RTX 4090", 24, 64, "NVMe 1TB", "16/32", "CZ", 55, 28),
        server(108, "1x NVIDIA GeForce RTX 4090", 24, 64, "NVMe 1TB", "16/32", "US", 45, 22, true),
    ];
}
