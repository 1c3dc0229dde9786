import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { configErrorsOf } from "../../helpers/configErrors";
import { parse as parseYaml } from "yaml";
import { parseCloreHostSettings } from "../../../components/clore/config";

const dockerHost = {
    type: "clore",
    image: "registry.example.com/ops/ssh-docker-nvidia:1.0",
    sshPublicKey: "ssh-ed25519 AAAAC3NzaTest ops@laptop",
};

describe("parseCloreHostSettings", () => {
    it("fills defaults for a docker host", () => {
        expect(parseCloreHostSettings(dockerHost)).toEqual({
            type: "clore",
            usage: "docker",
            filters: {},
            orderType: "on-demand",
            currency: "CLORE-Blockchain",
            image: "registry.example.com/ops/ssh-docker-nvidia:1.0",
            milvusVersion: "v3.0.2",
            sshPublicKey: "ssh-ed25519 AAAAC3NzaTest ops@laptop",
            sshOpts: [],
            env: {},
            apiUrl: "https://api.clore.ai/v1",
            readyTimeoutSeconds: 900,
            pollIntervalSeconds: 10,
        });
    });

    it("reads filters, spot terms and a native usage", () => {
        const c = parseCloreHostSettings({
            type: "clore",
            usage: "native",
            milvusVersion: "v2.6.16",
            orderType: "spot",
            spotPrice: "30",
            filters: { gpuModel: "RTX 4090|A100", gpuCount: "1", minGpuMemoryGb: 24, minRamGb: 32, minDiskGb: 100, minCpuCores: 8, countries: ["us", "DE"], maxPricePerDay: 80 },
            env: { QUOTAANDLIMITS_ENABLED: false },
        });
        expect(c).toMatchObject({
            usage: "native",
            milvusVersion: "v2.6.16",
            orderType: "spot",
            spotPrice: 30,
            filters: { gpuModel: "RTX 4090|A100", gpuCount: 1, minGpuMemoryGb: 24, minRamGb: 32, minDiskGb: 100, minCpuCores: 8, countries: ["US", "DE"], maxPricePerDay: 80 },
            env: { QUOTAANDLIMITS_ENABLED: "false" },
        });
        expect(c.image).toBeUndefined();
    });

    it("reports every bad value at once, naming field, value and what is allowed", () => {
        const errors = configErrorsOf(() =>
            parseCloreHostSettings({
                type: "clore",
                usage: "docker",
                image: "Not An Image",
                sshPublicKey: "-----BEGIN OPENSSH PRIVATE KEY-----",
                orderType: "weekly",
                filters: { gpuModel: "RTX (4090", gpuCount: 0, countries: ["USA"], vram: 24 },
                apiUrl: "http://api.clore.ai/v1",
                pollIntervalSeconds: 1,
            }),
        );
        expect(errors.map((e) => e.message).sort()).toEqual([
            'host.filters.vram: invalid value 24; expected one of the known keys of host.filters: gpuModel, gpuCount, minGpuMemoryGb, minRamGb, minDiskGb, minCpuCores, countries, maxPricePerDay, serverId, minRentalHours',
            'host.filters.gpuModel: invalid value "RTX (4090"; expected a regular expression matched against the GPU model, e.g. "RTX 4090" or "A100|H100"',
            "host.filters.gpuCount: invalid value 0; expected an integer >= 1",
            'host.filters.countries[0]: invalid value "USA"; expected a two-letter country code such as "US" or "DE"',
            'host.orderType: invalid value "weekly"; expected one of "on-demand", "spot"',
            'host.image: invalid value "Not An Image"; expected a Docker image reference such as "registry.example.com/team/ssh-docker:1.2"',
            'host.sshPublicKey: invalid value "-----BEGIN OPENSSH PRIVATE KEY-----"; expected an OpenSSH public key line such as "ssh-ed25519 AAAA... you@host" (never the private key)',
            'host.apiUrl: invalid value "http://api.clore.ai/v1"; expected an https URL (plain http only for 127.0.0.1/localhost)',
            "host.pollIntervalSeconds: invalid value 1; expected an integer from 5 to 300",
        ].sort());
    });

    it("requires an image and a public key for the docker usage, and no image for native", () => {
        expect(configErrorsOf(() => parseCloreHostSettings({ type: "clore" })).map((e) => e.field)).toEqual(["host.image", "host.sshPublicKey"]);
        const native = configErrorsOf(() => parseCloreHostSettings({ type: "clore", usage: "native", image: "x/y:1", milvusVersion: "latest" }, "stack.host"));
        expect(native.map((e) => e.message).sort()).toEqual([
            'stack.host.image: invalid value "x/y:1"; expected no value when usage is "native" (the image is milvusdb/milvus:<milvusVersion>-gpu)',
            'stack.host.milvusVersion: invalid value "latest"; expected a Milvus release tag such as "v3.0.2" or "v2.6.16"',
        ].sort());
    });

    it("rejects unknown keys, a spot price on on-demand orders and a wrong type", () => {
        expect(configErrorsOf(() => parseCloreHostSettings({ ...dockerHost, apikey: "oops" }))[0].message).toMatch(/^host\.apikey: invalid value "oops"; expected one of the known keys of host: type, usage/);
        expect(configErrorsOf(() => parseCloreHostSettings({ ...dockerHost, spotPrice: 10 }))[0].message).toBe(
            'host.spotPrice: invalid value 10; expected no value unless orderType is "spot"',
        );
        expect(configErrorsOf(() => parseCloreHostSettings({ type: "ssh" }))[0].message).toBe('host.type: invalid value "ssh"; expected "clore"');
    });

    it("takes the API's three currencies and names the allowed ones for anything else (issue 20, point 3)", () => {
        expect(parseCloreHostSettings({ ...dockerHost, currency: "USD-Blockchain" }).currency).toBe("USD-Blockchain");
        expect(parseCloreHostSettings({ ...dockerHost, currency: "bitcoin" }).currency).toBe("bitcoin");
        expect(configErrorsOf(() => parseCloreHostSettings({ ...dockerHost, currency: "USDT" }))[0].message).toBe(
            'host.currency: invalid value "USDT"; expected one of "CLORE-Blockchain", "bitcoin", "USD-Blockchain"',
        );
    });

    it("needs a ceiling for spot bids, and takes a minimum rental length (issue 20, points 5 and mrl)", () => {
        const spot = { ...dockerHost, orderType: "spot" };
        expect(configErrorsOf(() => parseCloreHostSettings(spot))[0].message).toBe(
            'host.maxSpotPrice: invalid value (missing); expected the most you will bid per day, required when orderType is "spot" (or set spotPrice for a fixed bid, or filters.maxPricePerDay)',
        );
        expect(parseCloreHostSettings({ ...spot, maxSpotPrice: "40" })).toMatchObject({ orderType: "spot", maxSpotPrice: 40 });
        expect(parseCloreHostSettings({ ...spot, filters: { maxPricePerDay: 40 } }).maxSpotPrice).toBeUndefined();
        expect(configErrorsOf(() => parseCloreHostSettings({ ...spot, spotPrice: 30, maxSpotPrice: 40 }))[0].message).toBe(
            "host.maxSpotPrice: invalid value 40; expected no value when spotPrice is set (spotPrice is a fixed bid; maxSpotPrice caps a computed one)",
        );
        expect(configErrorsOf(() => parseCloreHostSettings({ ...dockerHost, maxSpotPrice: 40 }))[0].message).toBe(
            'host.maxSpotPrice: invalid value 40; expected no value unless orderType is "spot"',
        );
        expect(parseCloreHostSettings({ ...dockerHost, filters: { minRentalHours: "48" } }).filters.minRentalHours).toBe(48);
        expect(configErrorsOf(() => parseCloreHostSettings({ ...dockerHost, filters: { minRentalHours: 0 } }))[0].message).toBe(
            "host.filters.minRentalHours: invalid value 0; expected a number of hours >= 1: servers whose maximum rental length (mrl) is shorter are skipped",
        );
    });

    it("accepts the example staging stack's host", () => {
        const doc = parseYaml(readFileSync(path.join(__dirname, "../../../Pulumi.staging.yaml"), "utf8")) as { config: Record<string, unknown> };
        const host = parseCloreHostSettings(doc.config["milvus-gpu:host"]);
        expect(host.usage).toBe("docker");
        expect(host.filters.gpuModel).toBe("RTX 4090");
        expect(doc.config["milvus-gpu:cloreApiKey"]).toBeUndefined(); // set with --secret, never in the file in clear
    });
});
