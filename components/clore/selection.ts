import type { CloreCurrency, CloreMarketServer, CloreOrderType, CloreServerSpecs } from "./api";

/**
 * What a rented server must offer. Every field is optional; an absent filter lets every
 * server through. Prices are per day in the order's currency, as the marketplace lists them.
 */
export interface ServerFilters {
    /** Case-insensitive regular expression matched against the GPU model, e.g. "RTX 4090". */
    gpuModel?: string;
    /** Minimum number of GPUs. */
    gpuCount?: number;
    /** Minimum memory of each GPU, GB. */
    minGpuMemoryGb?: number;
    /** Minimum RAM, GB. */
    minRamGb?: number;
    /** Minimum disk size, GB. */
    minDiskGb?: number;
    /** Minimum CPU cores. */
    minCpuCores?: number;
    /** Allowed countries, ISO 3166 two-letter codes as the marketplace lists them. */
    countries?: string[];
    /** Highest acceptable price per day for the order type and currency. */
    maxPricePerDay?: number;
    /** Only this server id (for pinning a known machine). */
    serverId?: number;
    /**
     * Minimum rental length in hours: servers whose `mrl` (maximum rental length) is shorter
     * are skipped, since their rental ends after `mrl` hours.
     */
    minRentalHours?: number;
}

/** The order terms that decide which price of a server counts. */
export interface PriceTerms {
    type: CloreOrderType;
    currency: CloreCurrency;
}

/** The numbers selection reads from a server, parsed once. */
export interface ServerFacts {
    gpuCount?: number;
    gpuModel?: string;
    gpuMemoryGb?: number;
    ramGb?: number;
    diskGb?: number;
    cpuCores?: number;
    country?: string;
}

/** Parses "2x NVIDIA GeForce RTX 4090" into count and model; a bare model counts as one GPU. */
export function parseGpuSpec(gpu: string | undefined): { count?: number; model?: string } {
    if (typeof gpu !== "string" || gpu.trim() === "") return {};
    const m = /^\s*(\d+)\s*x\s+(.+?)\s*$/i.exec(gpu);
    if (m) return { count: Number(m[1]), model: m[2] };
    return { count: 1, model: gpu.trim() };
}

function numberIn(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value !== "string") return undefined;
    const m = /(\d+(?:\.\d+)?)/.exec(value);
    return m ? Number(m[1]) : undefined;
}

/** Disk size in GB from a number or a text such as "Samsung 980 PRO 1TB" / "NVMe 512GB". */
export function parseDiskGb(disk: unknown): number | undefined {
    if (typeof disk === "number") return Number.isFinite(disk) ? disk : undefined;
    if (typeof disk !== "string") return undefined;
    const sizes = [...disk.matchAll(/(\d+(?:\.\d+)?)\s*(TB|GB|T|G)\b/gi)];
    if (sizes.length === 0) return numberIn(disk);
    const [, n, unit] = sizes[sizes.length - 1];
    return Number(n) * (unit.toUpperCase().startsWith("T") ? 1000 : 1);
}

export function serverFacts(specs: CloreServerSpecs | undefined): ServerFacts {
    const s = specs ?? {};
    const gpu = parseGpuSpec(s.gpu);
    return {
        gpuCount: gpu.count,
        gpuModel: gpu.model,
        gpuMemoryGb: numberIn(s.gpuram),
        ramGb: numberIn(s.ram),
        diskGb: parseDiskGb(s.disk),
        // "16/32" is cores/threads: the first number is the cores.
        cpuCores: numberIn(s.cpus),
        country: typeof s.net?.cc === "string" ? s.net.cc.toUpperCase() : undefined,
    };
}

/** The listed price of a server for the given terms, or undefined when it has none. */
export function serverPrice(server: Pick<CloreMarketServer, "price">, terms: PriceTerms): number | undefined {
    const table = terms.type === "spot" ? server.price?.spot : server.price?.on_demand;
    const price = table?.[terms.currency];
    return typeof price === "number" && Number.isFinite(price) ? price : undefined;
}

/** Whether the server takes the coin; a listing without allowed_coins is judged by its prices alone. */
export function acceptsCurrency(server: Pick<CloreMarketServer, "allowed_coins">, currency: CloreCurrency): boolean {
    return !Array.isArray(server.allowed_coins) || server.allowed_coins.includes(currency);
}

/** One filter: its name as reported in errors and the test a server must pass. */
interface FilterCheck {
    name: string;
    passes: (server: CloreMarketServer, facts: ServerFacts) => boolean;
}

const atLeast = (value: number | undefined, min: number) => value !== undefined && value >= min;

/** The checks for the filters that are set, in the order they are reported. */
export function filterChecks(filters: ServerFilters, terms: PriceTerms, includeAvailability = true): FilterCheck[] {
    const checks: FilterCheck[] = [];
    if (includeAvailability) checks.push({ name: "not rented", passes: (s) => s.rented === false });
    if (filters.serverId !== undefined) {
        const id = filters.serverId;
        checks.push({ name: `serverId = ${id}`, passes: (s) => s.id === id });
    }
    if (filters.gpuModel !== undefined) {
        const re = new RegExp(filters.gpuModel, "i");
        checks.push({ name: `gpuModel ~ /${filters.gpuModel}/i`, passes: (_, f) => f.gpuModel !== undefined && re.test(f.gpuModel) });
    }
    if (filters.gpuCount !== undefined) {
        const min = filters.gpuCount;
        checks.push({ name: `gpuCount >= ${min}`, passes: (_, f) => atLeast(f.gpuCount, min) });
    }
    if (filters.minGpuMemoryGb !== undefined) {
        const min = filters.minGpuMemoryGb;
        checks.push({ name: `minGpuMemoryGb >= ${min}`, passes: (_, f) => atLeast(f.gpuMemoryGb, min) });
    }
    if (filters.minRamGb !== undefined) {
        const min = filters.minRamGb;
        checks.push({ name: `minRamGb >= ${min}`, passes: (_, f) => atLeast(f.ramGb, min) });
    }
    if (filters.minDiskGb !== undefined) {
        const min = filters.minDiskGb;
        checks.push({ name: `minDiskGb >= ${min}`, passes: (_, f) => atLeast(f.diskGb, min) });
    }
    if (filters.minCpuCores !== undefined) {
        const min = filters.minCpuCores;
        checks.push({ name: `minCpuCores >= ${min}`, passes: (_, f) => atLeast(f.cpuCores, min) });
    }
    if (filters.countries !== undefined && filters.countries.length > 0) {
        const allowed = filters.countries.map((c) => c.toUpperCase());
        checks.push({ name: `country in [${allowed.join(", ")}]`, passes: (_, f) => f.country !== undefined && allowed.includes(f.country) });
    }
    if (filters.minRentalHours !== undefined) {
        const min = filters.minRentalHours;
        checks.push({ name: `rental length (mrl) >= ${min} h`, passes: (s) => typeof s.mrl === "number" && s.mrl >= min });
    }
    // A server without a price for the terms cannot be ordered on them at all.
    checks.push({ name: `has a ${terms.type} price in ${terms.currency}`, passes: (s) => serverPrice(s, terms) !== undefined });
    // The price table alone is not enough: a server lists the coins it takes in allowed_coins
    // (vladpuz/cloreai src/resources/marketplace.ts) and refuses others with currency-not-allowed.
    checks.push({ name: `accepts ${terms.currency}`, passes: (s) => acceptsCurrency(s, terms.currency) });
    if (filters.maxPricePerDay !== undefined) {
        const max = filters.maxPricePerDay;
        checks.push({
            name: `${terms.type} price <= ${max} ${terms.currency}/day`,
            passes: (s) => {
                const p = serverPrice(s, terms);
                return p !== undefined && p <= max;
            },
        });
    }
    return checks;
}

/** Names of the filters a server fails (empty when it matches), ignoring availability. */
export function unmetFilters(server: CloreMarketServer, filters: ServerFilters, terms: PriceTerms): string[] {
    const facts = serverFacts(server.specs);
    return filterChecks(filters, terms, false)
        .filter((c) => !c.passes(server, facts))
        .map((c) => c.name);
}

export class NoMatchingServerError extends Error {
    /** Filter name -> how many listed servers it rejects (a server can fail several). */
    readonly removedBy: Record<string, number>;
    readonly listed: number;

    constructor(listed: number, removedBy: Record<string, number>) {
        const counts = Object.entries(removedBy)
            .map(([name, n]) => `  ${name}: removed ${n}`)
            .join("\n");
        super(
            `no Clore.ai server matches the filters: ${listed} server(s) listed, 0 left.\n` +
                `How many servers each filter removed (a server can fail several):\n${counts}\n` +
                "Relax the filters that remove the most, or try again later when more servers are free.",
        );
        this.name = "NoMatchingServerError";
        this.listed = listed;
        this.removedBy = removedBy;
    }
}

export interface Selection {
    server: CloreMarketServer;
    price: number;
    facts: ServerFacts;
}

/**
 * Picks the cheapest free server that passes every filter; ties go to the lowest id, so the
 * same marketplace gives the same choice. Throws NoMatchingServerError with per-filter
 * counts when nothing matches.
 */
export function selectServer(servers: readonly CloreMarketServer[], filters: ServerFilters, terms: PriceTerms): Selection {
    return rankServers(servers, filters, terms)[0];
}

/** Every free match, cheapest first (ties to the lowest id); throws like selectServer when none. */
export function rankServers(servers: readonly CloreMarketServer[], filters: ServerFilters, terms: PriceTerms): Selection[] {
    const checks = filterChecks(filters, terms);
    const removedBy: Record<string, number> = Object.fromEntries(checks.map((c) => [c.name, 0]));
    const matches: Selection[] = [];
    for (const server of servers) {
        const facts = serverFacts(server.specs);
        let ok = true;
        for (const c of checks) {
            if (!c.passes(server, facts)) {
                removedBy[c.name]++;
                ok = false;
            }
        }
        if (ok) matches.push({ server, facts, price: serverPrice(server, terms)! });
    }
    if (matches.length === 0) throw new NoMatchingServerError(servers.length, removedBy);
    matches.sort((a, b) => a.price - b.price || a.server.id - b.server.id);
    return matches;
}
