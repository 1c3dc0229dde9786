import * as pulumi from "@pulumi/pulumi";
import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
    CloreOrderInputs,
    CloreOrderOutputs,
    cloreOrderProvider,
    publicPortMap,
} from "../../../components/clore/orderProvider";
import { orderInputs } from "./orderInputs";
import { FakeCloreApi } from "../../fakes/cloreApi";

const execFileAsync = promisify(execFile);
let fake: FakeCloreApi;
let keyCounter = 0;

beforeEach(async () => {
    fake = await new FakeCloreApi({ apiKey: `provider-key-${++keyCounter}-${Date.now()}` }).start();
});
afterEach(async () => {
    await fake.stop();
});

const inputs = (overrides: Partial<CloreOrderInputs> = {}): CloreOrderInputs => orderInputs(fake, overrides);

const create = (i: CloreOrderInputs) => cloreOrderProvider.create(i);
const read = (id: string, props: CloreOrderOutputs) => cloreOrderProvider.read!(id, props);
const del = (id: string, props: CloreOrderOutputs) => cloreOrderProvider.delete!(id, props);
const diff = (id: string, olds: CloreOrderOutputs, news: CloreOrderInputs) => cloreOrderProvider.diff!(id, olds, news);

describe("cloreOrderProvider.create", () => {
    it("rents the cheapest match and waits through several polls for the endpoint", async () => {
        fake.orderHiddenPolls = 2;
        fake.endpointPendingPolls = 3;
        const result = await create(inputs());
        const outs = result.outs!;
        // 104 and 107 (55/day) tie; 108 is cheaper but rented; 105 lacks RAM.
        expect(outs.serverId).toBe(104);
        expect(result.id).toBe(String(outs.orderId));
        expect(outs.publicHost).toBe("n1.fake-clore.test");
        expect(outs.publicPorts).toEqual({ "22": 20001, "19530": 20002 });
        expect(outs.sshPort).toBe(20001);
        expect(outs.pricePerDay).toBe(55);
        expect(outs).toMatchObject({ gpu: "1x NVIDIA GeForce RTX 4090", gpuCount: 1, gpuMemoryGb: 24 });
        // 1 marketplace, 1 snapshot of orders, then 2 hidden + 3 pending + 1 ready poll.
        expect(fake.callsTo("/my_orders")).toHaveLength(7);
        const placed = fake.orderRequest(outs.orderId)!;
        expect(placed).toMatchObject({
            renting_server: 104,
            image: "cloreai/ubuntu22.04-cuda12",
            type: "on-demand",
            currency: "CLORE-Blockchain",
            ports: { "22": "tcp", "19530": "tcp" },
            env: { NVIDIA_VISIBLE_DEVICES: "all" },
            ssh_key: "ssh-ed25519 AAAAtest user@test",
            required_price: 55,
        });
    });

    it("keeps the key only in the apiKey field of its outputs and in the auth header", async () => {
        const result = await create(inputs());
        const { apiKey, ...rest } = result.outs!;
        expect(apiKey).toBe(fake.apiKey);
        expect(JSON.stringify(rest)).not.toContain(fake.apiKey);
        for (const r of fake.requests) expect(r.rawWithoutAuthHeader).not.toContain(fake.apiKey);
    });

    it("places a spot order at the server's minimum when nobody competes, or at a fixed bid", async () => {
        const computed = await create(inputs({ orderType: "spot", maxSpotPrice: 40 }));
        expect(computed.outs!).toMatchObject({ serverId: 104, pricePerDay: 28, spotPrice: 28, bidState: "active" });
        expect(fake.orderRequest(computed.outs!.orderId)).toMatchObject({ type: "spot", spotprice: 28 });
        await del(computed.id, computed.outs!);
        const fixed = await create(inputs({ orderType: "spot", spotPrice: 35 }));
        expect(fake.orderRequest(fixed.outs!.orderId)).toMatchObject({ type: "spot", spotprice: 35 });
    });

    it("fails with per-filter counts when nothing matches, without ordering", async () => {
        const error = await create(inputs({ filters: { gpuModel: "H100" } })).catch((e: unknown) => e);
        expect((error as Error).message).toContain("no Clore.ai server matches the filters: 8 server(s) listed, 0 left.");
        expect((error as Error).message).toContain("gpuModel ~ /H100/i: removed 8");
        expect(fake.callsTo("/create_order")).toHaveLength(0);
    });

    it("reports a bad key as code 3", async () => {
        const error = await create(inputs({ apiKey: "not-the-key" })).catch((e: unknown) => e);
        expect((error as Error).message).toBe(
            "Clore.ai GET /my_orders rejected the API key with code 3 (invalid API token): create a key at clore.ai (Account -> API) and set it with `pulumi config set --secret milvus-gpu:cloreApiKey <key>`",
        );
    });

    it("rides out code 5 answers while creating", async () => {
        fake.tooFastNext = 2;
        const result = await create(inputs());
        expect(result.outs!.serverId).toBe(104);
        expect(fake.activeOrders()).toHaveLength(1);
    });

    it("names the server and the balance when the account cannot pay", async () => {
        fake.balances["CLORE-Blockchain"] = 12.5;
        const error = await create(inputs()).catch((e: unknown) => e);
        expect((error as Error).message).toBe(
            "renting Clore.ai server 104 (1x NVIDIA GeForce RTX 4090) failed: Clore.ai POST /create_order failed with code 6: not_enough_balance; " +
                "your CLORE-Blockchain balance is 12.5, below the 55 CLORE-Blockchain/day this server costs: top up the CLORE-Blockchain wallet at clore.ai, or choose another currency (host.currency)",
        );
        expect(fake.callsTo("/create_order")).toHaveLength(1);
        expect(fake.activeOrders()).toHaveLength(0);
    });

    it("finds the new order even when Clore lists its image spelled differently", async () => {
        fake.listImageAs = (image) => `docker.io/${image}:latest`;
        const result = await create(inputs());
        expect(fake.activeOrders().map((o) => [o.id, o.image])).toEqual([[result.outs!.orderId, "docker.io/cloreai/ubuntu22.04-cuda12:latest"]]);
    });

    it("chooses the next cheapest server when the chosen one is rented by someone else first", async () => {
        fake.snatchNextCreate = true;
        const result = await create(inputs());
        // 104 was taken; 107 is the next at the same price.
        expect(result.outs!.serverId).toBe(107);
        expect(fake.callsTo("/create_order").map((r) => (r.body as { renting_server: number }).renting_server)).toEqual([104, 107]);
        expect(fake.callsTo("/marketplace")).toHaveLength(2);
        expect(fake.callsTo("/create_order").map((r) => r.body)).not.toContainEqual(expect.objectContaining({ renting_server: 108 }));
    });

    it("does not choose again when the server is still free (the order itself was refused)", async () => {
        fake.failNextCreate = { code: 2 };
        const error = await create(inputs()).catch((e: unknown) => e);
        expect((error as Error).message).toMatch(/^renting Clore.ai server 104 \(1x NVIDIA GeForce RTX 4090\) failed: Clore.ai POST \/create_order rejected the request with code 2/);
        expect(fake.callsTo("/create_order")).toHaveLength(1);
    });

    it("finds the order when the create answer was lost", async () => {
        fake.loseNextCreateAnswer = true;
        const result = await create(inputs());
        expect(fake.callsTo("/create_order")).toHaveLength(1);
        expect(fake.activeOrders().map((o) => o.id)).toEqual([result.outs!.orderId]);
    });

    it("cancels the order when its endpoint does not show in time (nothing left rented)", async () => {
        fake.endpointPendingPolls = 1000;
        const error = await create(inputs({ readyTimeoutSeconds: 0.3, pollIntervalSeconds: 0.05 })).catch((e: unknown) => e);
        const orderId = fake.allOrders()[0].id;
        expect((error as Error).message).toMatch(
            new RegExp(`^Clore.ai order ${orderId} on server 104 did not show its public endpoint \\(pub_cluster and the mapped tcp ports 22, 19530\\) within 0.3 s \\(\\d+ polls\\); the order was cancelled$`),
        );
        expect(fake.activeOrders()).toHaveLength(0);
        expect(fake.callsTo("/cancel_order")).toHaveLength(1);
    });

    it("fails at once when the order ends while waiting for its endpoint", async () => {
        fake.endpointPendingPolls = 1000;
        fake.orderEndsAfterPolls = 2;
        const started = Date.now();
        const error = await create(inputs({ readyTimeoutSeconds: 30, pollIntervalSeconds: 0.02 })).catch((e: unknown) => e);
        const orderId = fake.allOrders()[0].id;
        expect((error as Error).message).toBe(
            `Clore.ai order ${orderId} on server 104 ended before its public endpoint showed (cancelled or expired on Clore's side); nothing is left rented. Try again, or pin another server with filters.serverId`,
        );
        expect(Date.now() - started).toBeLessThan(5000);
        expect(fake.activeOrders()).toHaveLength(0);
    });

    it("gives a clear error when the order never appears", async () => {
        fake.orderHiddenPolls = 1000;
        const error = await create(inputs({ readyTimeoutSeconds: 0.2, pollIntervalSeconds: 0.05 })).catch((e: unknown) => e);
        expect((error as Error).message).toMatch(
            /^Clore.ai accepted the order for server 104 but it did not appear in my_orders within 0.2 s \(\d+ polls\); check your orders at clore.ai and cancel any stray one$/,
        );
    });
});

describe("cloreOrderProvider.read", () => {
    it("refreshes a live order and reports gone when it expired or vanished", async () => {
        const { id, outs } = await create(inputs());
        const live = await read(id, outs!);
        expect(live.id).toBe(id);
        expect(live.props).toMatchObject({ orderId: outs!.orderId, publicHost: "n1.fake-clore.test", sshPort: 20001 });

        fake.expireOrder(outs!.orderId);
        expect(await read(id, outs!)).toEqual({});

        const second = await create(inputs());
        fake.removeOrder(second.outs!.orderId);
        expect(await read(second.id, second.outs!)).toEqual({});
    });
});

describe("cloreOrderProvider.read (details)", () => {
    it("keeps the recorded endpoint while Clore briefly lists the order without one", async () => {
        const { id, outs } = await create(inputs());
        fake.hideEndpoint(outs!.orderId, 1);
        const r = await read(id, outs!);
        expect(r.props).toMatchObject({ publicHost: "n1.fake-clore.test", publicPorts: { "22": 20001, "19530": 20002 }, sshPort: 20001 });
    });
});

describe("cloreOrderProvider.delete", () => {
    it("cancels the order and frees the server", async () => {
        const { id, outs } = await create(inputs());
        await del(id, outs!);
        expect(fake.activeOrders()).toHaveLength(0);
        expect(fake.servers.find((s) => s.id === 104)!.rented).toBe(false);
        expect(fake.callsTo("/cancel_order").map((r) => r.body)).toEqual([{ id: outs!.orderId }]);
    });

    it("is idempotent: an order already gone is not an error", async () => {
        const { id, outs } = await create(inputs());
        await del(id, outs!);
        await del(id, outs!);
        fake.removeOrder(outs!.orderId);
        await del(id, outs!);
        expect(fake.callsTo("/cancel_order")).toHaveLength(1);
    });

    it("treats a cancel refused because the order just ended as done", async () => {
        const { id, outs } = await create(inputs());
        // The order ends between the check and the cancel, so the cancel is refused.
        fake.failNextCancel = { code: 6, error: "order_not_found", expire: true };
        await expect(del(id, outs!)).resolves.toBeUndefined();
        expect(fake.callsTo("/cancel_order")).toHaveLength(1);
    });

    it("fails when the cancel is refused and the order is still running", async () => {
        const { id, outs } = await create(inputs());
        fake.failNextCancel = { code: 1 };
        await expect(del(id, outs!)).rejects.toThrow(
            `cancelling Clore.ai order ${outs!.orderId} failed: Clore.ai POST /cancel_order failed with code 1 (database error on Clore.ai's side); try again later`,
        );
        expect(fake.activeOrders()).toHaveLength(1);
    });
});

describe("cloreOrderProvider.diff", () => {
    it("replaces on image, ports, env or command changes, deleting first", async () => {
        const { id, outs } = await create(inputs());
        const same = await diff(id, outs!, inputs());
        expect(same).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
        const changed = await diff(id, outs!, inputs({ image: "other/image:1", env: { A: "1" }, ports: { "22": "tcp" } }));
        expect(changed.changes).toBe(true);
        expect(changed.replaces).toEqual(["image", "ports", "env"]);
        expect(changed.deleteBeforeReplace).toBe(true);
        // Key order in env does not matter.
        const reordered = await diff(id, { ...outs!, env: { B: "2", A: "1" } }, inputs({ env: { A: "1", B: "2" } }));
        expect(reordered.replaces).toEqual([]);
    });

    it("replaces on filter changes only when the rented server no longer matches", async () => {
        const { id, outs } = await create(inputs());
        const stillOk = await diff(id, outs!, inputs({ filters: { gpuModel: "4090", countries: ["FI"] } }));
        expect(stillOk).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
        const noLonger = await diff(id, outs!, inputs({ filters: { gpuModel: "A100" } }));
        expect(noLonger.replaces).toEqual(["filters"]);
    });

    it("changes a spot bid in place", async () => {
        const { id, outs } = await create(inputs({ orderType: "spot", maxSpotPrice: 40 }));
        const d = await diff(id, outs!, inputs({ orderType: "spot", spotPrice: 40 }));
        expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
        const updated = await cloreOrderProvider.update!(id, outs!, inputs({ orderType: "spot", spotPrice: 40 }));
        expect(updated.outs!.pricePerDay).toBe(40);
        expect(fake.allOrders().find((o) => o.id === outs!.orderId)!.price).toBe(40);
    });
});

describe("serialization", () => {
    it("Pulumi can serialize the provider for the dynamic provider host, without the key", async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => cloreOrderProvider, { allowSecrets: true });
        expect(serialized.text).toContain("create_order");
        expect(serialized.text).not.toContain(fake.apiKey);
        for (const method of ["create", "read", "diff", "update", "delete"] as const) {
            const fn = cloreOrderProvider[method]!;
            const s = await pulumi.runtime.serializeFunction(fn as (...args: unknown[]) => unknown);
            expect(s.text.length).toBeGreaterThan(0);
        }
    });

    it("the serialized provider runs on its own in a plain Node process and rents through the fake", async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => cloreOrderProvider, { allowSecrets: true });
        const dir = await fs.mkdtemp(path.join(os.tmpdir(), "clore-provider-"));
        const file = path.join(dir, "provider.js");
        await fs.writeFile(file, serialized.text);
        const script = `
            const provider = require(${JSON.stringify(file)}).handler();
            const inputs = JSON.parse(process.env.INPUTS);
            provider.create(inputs)
                .then(async (r) => { await provider.delete(r.id, r.outs); console.log(JSON.stringify({ id: r.id, serverId: r.outs.serverId })); })
                .catch((e) => { console.error(e); process.exit(1); });`;
        const { stdout } = await execFileAsync(process.execPath, ["-e", script], {
            env: { ...process.env, INPUTS: JSON.stringify(inputs()) },
            cwd: dir,
        });
        const result = JSON.parse(stdout.trim()) as { id: string; serverId: number };
        expect(result.serverId).toBe(104);
        expect(fake.allOrders().map((o) => [String(o.id), o.expired])).toEqual([[result.id, true]]);
        await fs.rm(dir, { recursive: true, force: true });
    });

    it("parses tcp_ports", () => {
        expect(publicPortMap({ tcp_ports: ["22:10001", " 19530 : 10002", "bad"] })).toEqual({ "22": 10001, "19530": 10002 });
    });
});
