/**
 * Opt-in manual check against the real Clore.ai API with your own key. By default it
 * only reads: wallets, the marketplace (and which server the stack's filters would rent)
 * and your orders. With --rent it rents that server through the same provider code
 * `pulumi up` uses, prints the endpoint, and cancels the order again (unless --keep).
 *
 *   CLORE_API_KEY=... npx tsx scripts/clore-check.ts [--stack Pulumi.staging.yaml] [--rent [--keep]]
 *
 * It also probes, read-only, what no public source confirms (allowed_coins, mrl, the spot
 * market of the server it would rent, how a wrong key is answered) and lists what only a
 * rental can show (see scripts/cloreProbes.ts and docs/clore.md).
 *
 * The key is read from the environment only (not argv, which other users can see in ps).
 * CLORE_API_URL overrides the base URL and CLORE_MIN_SPACING_MS the gap between calls
 * (the tests point both at a local fake; keep the defaults against the real API).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { basename } from "node:path";
import { CloreClient, CloreClientSettings } from "../components/clore/client";
import { CloreHostSettings, parseCloreHostSettings } from "../components/clore/config";
import { dockerHostPorts } from "../components/clore/cloreDockerHost";
import { nativeMilvusOrderSpec } from "../components/clore/nativeOrderSpec";
import { cloreOrderProvider, CloreOrderInputs } from "../components/clore/orderProvider";
import { NVIDIA_ENV } from "../components/clore/rentalArgs";
import { selectServer } from "../components/clore/selection";
import { probeAllowedCoins, probeBadKey, probeMrl, probeSpotMarket, ProbeResult, UNCHECKED_READ_ONLY } from "./cloreProbes";
import { locateConfigErrors, parseStackFile } from "../stacks/stackFile";

interface Options {
    stack: string;
    rent: boolean;
    keep: boolean;
}

function readOptions(): Options {
    try {
        return parseArgs({
            options: {
                stack: { type: "string", default: "Pulumi.staging.yaml" },
                rent: { type: "boolean", default: false },
                keep: { type: "boolean", default: false },
            },
        }).values;
    } catch (e) {
        throw new Error(`${(e as Error).message}; use --stack FILE, --rent, --keep`);
    }
}

function hostConfig(file: string): CloreHostSettings {
    const stackFile = parseStackFile(readFileSync(file, "utf8"), basename(file), basename(file).replace(/^Pulumi\.|\.yaml$/g, ""));
    try {
        return parseCloreHostSettings(stackFile.raw.host, "host");
    } catch (e) {
        throw locateConfigErrors(stackFile, e);
    }
}

function orderInputs(apiKey: string, api: CloreClientSettings, host: CloreHostSettings): CloreOrderInputs {
    const common = {
        apiKey,
        api,
        filters: host.filters,
        orderType: host.orderType,
        currency: host.currency,
        spotPrice: host.spotPrice,
        maxSpotPrice: host.maxSpotPrice,
        readyTimeoutSeconds: host.readyTimeoutSeconds,
        pollIntervalSeconds: host.pollIntervalSeconds,
    };
    if (host.usage === "native") {
        const spec = nativeMilvusOrderSpec(host.milvusVersion);
        return { ...common, image: spec.image, command: spec.command, ports: spec.ports, env: { ...spec.env, ...host.env } };
    }
    return { ...common, image: host.image!, ports: dockerHostPorts(), env: { ...NVIDIA_ENV, ...host.env }, sshPublicKey: host.sshPublicKey };
}

async function main(): Promise<void> {
    const options = readOptions();
    const apiKey = process.env.CLORE_API_KEY;
    if (!apiKey) throw new Error("set CLORE_API_KEY in the environment (your own key; it is never printed)");
    const host = hostConfig(options.stack);
    const baseUrl = process.env.CLORE_API_URL ?? host.apiUrl;
    const spacing = process.env.CLORE_MIN_SPACING_MS ? Number(process.env.CLORE_MIN_SPACING_MS) : undefined;
    const api: CloreClientSettings = spacing === undefined ? { baseUrl } : { baseUrl, minSpacingMs: spacing, createOrderSpacingMs: spacing };
    const client = new CloreClient({ ...api, apiKey });

    const wallets = await client.wallets();
    console.log("wallets:");
    for (const w of wallets.wallets) console.log(`  ${w.name}: ${w.balance ?? "?"}`);

    const market = await client.marketplace();
    const free = market.servers.filter((s) => !s.rented).length;
    console.log(`marketplace: ${market.servers.length} servers listed, ${free} free`);
    const pick = selectServer(market.servers, host.filters, { type: host.orderType, currency: host.currency });
    console.log(`the stack's filters would rent server ${pick.server.id}: ${pick.server.specs.gpu ?? "no GPU"}, ${pick.price} ${host.currency}/day (${host.orderType})`);

    const orders = await client.myOrders();
    console.log(`my orders: ${orders.orders.length} active`);
    for (const o of orders.orders) console.log(`  order ${o.id} on server ${o.si}: ${o.image}`);

    const probes: ProbeResult[] = [probeAllowedCoins(market.servers), probeMrl(market.servers)];
    probes.push(probeSpotMarket(pick.server.id, pick.server.rented, await client.spotMarket(pick.server.id)));
    const rentedOnes = market.servers.filter((s) => s.rented).slice(0, 1);
    for (const s of rentedOnes) probes.push(probeSpotMarket(s.id, true, await client.spotMarket(s.id)));
    probes.push(await probeBadKey(baseUrl, "/wallets"), await probeBadKey(baseUrl, "/marketplace"));
    console.log("not confirmed by public sources, seen here:");
    for (const p of probes) console.log(`  ${p.name}: ${p.seen}`);
    console.log("not checkable without renting:");
    for (const line of UNCHECKED_READ_ONLY) console.log(`  ${line}`);

    if (!options.rent) return;
    console.log("renting (this costs money) ...");
    const created = await cloreOrderProvider.create(orderInputs(apiKey, api, host));
    const outs = created.outs!;
    console.log(`order ${outs.orderId} on server ${outs.serverId}: ${outs.publicHost}, ports ${JSON.stringify(outs.publicPorts)}, ${outs.pricePerDay}/day`);
    if (options.keep) {
        console.log(`kept; cancel it at clore.ai or with: POST /cancel_order {"id": ${outs.orderId}}`);
        return;
    }
    await cloreOrderProvider.delete!(created.id, outs);
    console.log(`order ${outs.orderId} cancelled`);
}

main().catch((e: unknown) => {
    console.error(`clore-check: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
});
