import { describe, expect, it } from "vitest";
import {
    NoMatchingServerError,
    parseDiskGb,
    parseGpuSpec,
    selectServer,
    serverFacts,
    unmetFilters,
} from "../../../components/clore/selection";
import { defaultServers } from "../../fakes/cloreApi";

const onDemand = { type: "on-demand", currency: "CLORE-Blockchain" } as const;
const spot = { type: "spot", currency: "CLORE-Blockchain" } as const;

describe("parsing marketplace specs", () => {
    it("reads GPU count and model", () => {
        expect(parseGpuSpec("2x NVIDIA GeForce RTX 4090")).toEqual({ count: 2, model: "NVIDIA GeForce RTX 4090" });
        expect(parseGpuSpec("NVIDIA A100")).toEqual({ count: 1, model: "NVIDIA A100" });
        expect(parseGpuSpec("")).toEqual({});
    });

    it("reads disk sizes in GB and TB", () => {
        expect(parseDiskGb("NVMe 512GB")).toBe(512);
        expect(parseDiskGb("Samsung 980 PRO 2TB")).toBe(2000);
        expect(parseDiskGb(240)).toBe(240);
        expect(parseDiskGb(undefined)).toBeUndefined();
    });

    it("reads cores from cores/threads and the country code", () => {
        expect(serverFacts({ cpus: "16/32", ram: 62.8, gpuram: "24", net: { cc: "us" } })).toMatchObject({
            cpuCores: 16,
            ramGb: 62.8,
            gpuMemoryGb: 24,
            country: "US",
        });
    });
});

describe("selectServer", () => {
    const servers = defaultServers();

    it("chooses the cheapest free server that matches, ties by lowest id", () => {
        // 104 (FI) and 107 (CZ) both cost 55; 108 is cheaper but rented; 105 has too little RAM.
        const pick = selectServer(servers, { gpuModel: "RTX 4090", minRamGb: 32, minCpuCores: 8, countries: ["FI", "CZ"] }, onDemand);
        expect(pick.server.id).toBe(104);
        expect(pick.price).toBe(55);
        const reversed = selectServer([...servers].reverse(), { gpuModel: "RTX 4090", minRamGb: 32, countries: ["FI", "CZ"] }, onDemand);
        expect(reversed.server.id).toBe(104);
    });

    it("uses the spot price for spot orders", () => {
        const pick = selectServer(servers, { gpuModel: "4090", minRamGb: 32 }, spot);
        expect(pick.server.id).toBe(104); // spot 28, tied with 107
        expect(pick.price).toBe(28);
    });

    it("honours GPU count, GPU memory, disk and maximum price", () => {
        expect(selectServer(servers, { gpuCount: 2 }, onDemand).server.id).toBe(103);
        expect(selectServer(servers, { minGpuMemoryGb: 40 }, onDemand).server.id).toBe(106);
        expect(selectServer(servers, { minDiskGb: 1500, maxPricePerDay: 150 }, onDemand).server.id).toBe(103);
        expect(selectServer(servers, { serverId: 106 }, onDemand).server.id).toBe(106);
    });

    it("without a match, says how many servers each filter removed", () => {
        const run = () => selectServer(servers, { gpuModel: "RTX 4090", minRamGb: 100, maxPricePerDay: 50 }, onDemand);
        expect(run).toThrow(NoMatchingServerError);
        try {
            run();
        } catch (e) {
            const err = e as NoMatchingServerError;
            expect(err.listed).toBe(8);
            expect(err.removedBy).toEqual({
                "not rented": 1,
                "gpuModel ~ /RTX 4090/i": 2,
                "minRamGb >= 100": 6,
                "has a on-demand price in CLORE-Blockchain": 0,
                "accepts CLORE-Blockchain": 0,
                "on-demand price <= 50 CLORE-Blockchain/day": 5,
            });
            expect(err.message).toBe(
                "no Clore.ai server matches the filters: 8 server(s) listed, 0 left.\n" +
                    "How many servers each filter removed (a server can fail several):\n" +
                    "  not rented: removed 1\n" +
                    "  gpuModel ~ /RTX 4090/i: removed 2\n" +
                    "  minRamGb >= 100: removed 6\n" +
                    "  has a on-demand price in CLORE-Blockchain: removed 0\n" +
                    "  accepts CLORE-Blockchain: removed 0\n" +
                    "  on-demand price <= 50 CLORE-Blockchain/day: removed 5\n" +
                    "Relax the filters that remove the most, or try again later when more servers are free.",
            );
        }
    });

    it("counts servers without a price in the order's currency", () => {
        expect(() => selectServer(servers, {}, { type: "on-demand", currency: "bitcoin" })).toThrow(
            "has a on-demand price in bitcoin: removed 8",
        );
    });

    it("honours allowed_coins, not only the price table (issue 20, point 4)", () => {
        const usd = { type: "on-demand", currency: "USD-Blockchain" } as const;
        // 104 lists the cheapest USD price (0.8) but takes only CLORE; 107 (0.85) takes USD.
        const pick = selectServer(servers, { gpuModel: "4090" }, usd);
        expect(pick.server.id).toBe(107);
        expect(pick.price).toBe(0.85);
        expect(unmetFilters(servers.find((s) => s.id === 104)!, {}, usd)).toEqual(["accepts USD-Blockchain"]);
        // A listing without allowed_coins is judged by its prices alone.
        const { allowed_coins: _none, ...older } = servers.find((s) => s.id === 104)!;
        expect(unmetFilters(older, {}, usd)).toEqual([]);
    });

    it("skips servers whose maximum rental length is below minRentalHours (issue 20, mrl)", () => {
        // 104 and 107 are cheaper but rent for 72 and 48 hours at most; 103 for 168.
        const pick = selectServer(servers, { gpuModel: "4090", minRamGb: 32, minRentalHours: 100 }, onDemand);
        expect(pick.server.id).toBe(103);
        expect(() => selectServer(servers, { gpuModel: "A100", minRentalHours: 500 }, onDemand)).toThrow("rental length (mrl) >= 500 h: removed 8");
    });

    it("reports which filters a known server no longer meets", () => {
        const s = servers.find((x) => x.id === 102)!;
        expect(unmetFilters(s, { gpuModel: "4090", minRamGb: 32 }, onDemand)).toEqual([]);
        expect(unmetFilters(s, { gpuModel: "A100", maxPricePerDay: 50 }, onDemand)).toEqual([
            "gpuModel ~ /A100/i",
            "on-demand price <= 50 CLORE-Blockchain/day",
        ]);
    });
});
