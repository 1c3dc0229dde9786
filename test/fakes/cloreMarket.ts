import type { CloreMarketServer } from "../../components/clore/api";

/**
 * The fake's marketplace. Shapes follow the public sources: `mrl` on every server (the
 * example in https://docs.clore.ai/developers/cli-sdk has `"mrl": 73`), prices per day and
 * per coin under `price.on_demand` / `price.spot`, and `allowed_coins`, the coins a server
 * takes (vladpuz/cloreai src/resources/marketplace.ts). Ids and prices are chosen so choices
 * are easy to reason about.
 */
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
        more: { rented?: boolean; mrl?: number; usd?: number; coins?: string[] } = {},
    ): CloreMarketServer => ({
        id,
        owner: 100 + id,
        mrl: more.mrl ?? 72,
        rented: more.rented ?? false,
        price: {
            on_demand: { "CLORE-Blockchain": onDemand, ...(more.usd !== undefined ? { "USD-Blockchain": more.usd } : {}) },
            spot: { "CLORE-Blockchain": spot, ...(more.usd !== undefined ? { "USD-Blockchain": more.usd / 2 } : {}) },
        },
        allowed_coins: more.coins ?? ["CLORE-Blockchain", ...(more.usd !== undefined ? ["USD-Blockchain"] : [])],
        specs: { cpu: "AMD EPYC 7543", cpus, ram, disk, disk_speed: 2500, gpu, gpuram, net: { cc, down: 900, up: 800 } },
    });
    return [
        server(101, "1x NVIDIA GeForce RTX 3090", 24, 32, "Samsung SSD 980 500GB", "8/16", "DE", 30, 15),
        server(102, "1x NVIDIA GeForce RTX 4090", 24, 64, "NVMe 1TB", "16/32", "US", 60, 30, { usd: 0.9 }),
        server(103, "2x NVIDIA GeForce RTX 4090", 24, 128, "NVMe 2TB", "32/64", "US", 110, 55, { mrl: 168 }),
        // Lists a USD price but does not take USD: the price table alone would mislead.
        server(104, "1x NVIDIA GeForce RTX 4090", 24, 64, "NVMe 1TB", "16/32", "FI", 55, 28, { usd: 0.8, coins: ["CLORE-Blockchain"] }),
        server(105, "1x NVIDIA GeForce RTX 4090", 24, 16, "SSD 256GB", "4/8", "US", 40, 20, { mrl: 24 }),
        server(106, "1x NVIDIA A100 80GB PCIe", 80, 256, "NVMe 4TB", "64/128", "US", 200, 100, { mrl: 240 }),
        server(107, "1x NVIDIA GeForce RTX 4090", 24, 64, "NVMe 1TB", "16/32", "CZ", 55, 28, { usd: 0.85, mrl: 48 }),
        server(108, "1x NVIDIA GeForce RTX 4090", 24, 64, "NVMe 1TB", "16/32", "US", 45, 22, { rented: true }),
    ];
}
