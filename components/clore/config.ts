import { always, block, int, list, mapping, matching, num, oneOf, parseWith, report, str, z } from "../configSchema";
import { sshOptionsSchema } from "../host/hostConfig";
import { DEFAULT_NATIVE_MILVUS_VERSION, nativeMilvusOrderSpec } from "./nativeOrderSpec";
import { CLORE_CURRENCIES, CLORE_ORDER_TYPES, CloreCurrency, CloreOrderType } from "./api";
import { DEFAULT_CLORE_API_URL } from "./client";
import type { ServerFilters } from "./selection";

/**
 * How the rented server is used: "docker" runs an SSH + Docker image and deploys the
 * etcd/MinIO/Milvus containers onto it over SSH (the seed's path); "native" runs the Milvus
 * GPU image itself as the order's container (embedded etcd, local storage).
 */
export type CloreUsage = "docker" | "native";
export const CLORE_USAGES = ["docker", "native"] as const satisfies readonly CloreUsage[];

export interface CloreHostSettings {
    type: "clore";
    usage: CloreUsage;
    filters: ServerFilters;
    orderType: CloreOrderType;
    currency: CloreCurrency;
    /** A fixed spot bid per day. */
    spotPrice?: number;
    /** The most a computed spot bid may be per day (default filters.maxPricePerDay). */
    maxSpotPrice?: number;
    /** Docker usage: the image with sshd and a Docker daemon the order runs. */
    image?: string;
    /** Native usage: Milvus release, e.g. "v3.0.2" (the -gpu image is used). */
    milvusVersion: string;
    /** Public key put in root's authorized_keys (docker usage). */
    sshPublicKey?: string;
    /** Extra ssh options for the Docker client, e.g. ["-o", "StrictHostKeyChecking=accept-new"]. */
    sshOpts: string[];
    /** Extra environment for the order's container. */
    env: Record<string, string>;
    apiUrl: string;
    readyTimeoutSeconds: number;
    pollIntervalSeconds: number;
}

// Docker image references: lower-case path, optional registry port, tag and digest.
const IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SSH_PUBLIC_KEY = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( .*)?$/;

/**
 * Environment the native order's Milvus must not take from `host.env`: what the package sets
 * itself (storage, embedded etcd, authentication) and every security or TLS setting, which
 * would otherwise switch off what `render` shows as on.
 */
export function reservedNativeEnv(name: string): string | undefined {
    if (name in nativeMilvusOrderSpec().env) return "it is set by the package for the native Milvus order";
    if (/^COMMON_SECURITY_/i.test(name)) return "security settings (authentication, root password, TLS) are not overridable";
    if (/^TLS_/i.test(name)) return "TLS settings are not overridable";
    return undefined;
}

const gpuModel = str('a regular expression matched against the GPU model, e.g. "RTX 4090" or "A100|H100"').refine(
    (m) => {
        try {
            new RegExp(m, "i");
            return m.trim() !== "";
        } catch {
            return false;
        }
    },
    { error: 'a regular expression matched against the GPU model, e.g. "RTX 4090" or "A100|H100"' },
);

export const serverFiltersSchema = block(
    {
        gpuModel: gpuModel.optional(),
        gpuCount: int({ min: 1 }).optional(),
        minGpuMemoryGb: num({ min: 0 }).optional(),
        minRamGb: num({ min: 0 }).optional(),
        minDiskGb: num({ min: 0 }).optional(),
        minCpuCores: int({ min: 1 }).optional(),
        countries: list(matching(/^[A-Za-z]{2}$/, 'a two-letter country code such as "US" or "DE"').transform((c) => c.toUpperCase())).optional(),
        maxPricePerDay: num({ min: 0 }).optional(),
        serverId: int({ min: 1 }).optional(),
        minRentalHours: num({ min: 1 }, "a number of hours >= 1: servers whose maximum rental length (mrl) is shorter are skipped").optional(),
    },
    "host.filters",
);

const envValue = z.union([z.string(), z.number(), z.boolean()], { error: "a string" }).transform(String);

export const cloreHostSchema = mapping(
    {
        type: z.literal("clore", { error: '"clore"' }),
        usage: oneOf(["docker", "native"]).default("docker"),
        filters: serverFiltersSchema,
        orderType: oneOf(CLORE_ORDER_TYPES as readonly [CloreOrderType, ...CloreOrderType[]]).default("on-demand"),
        currency: oneOf(CLORE_CURRENCIES as readonly [CloreCurrency, ...CloreCurrency[]]).default("CLORE-Blockchain"),
        spotPrice: num({ min: 0 }, "a fixed spot bid per day, a number >= 0").optional(),
        maxSpotPrice: num({ min: 0 }, "the most a spot bid may be per day, a number >= 0").optional(),
        image: str().optional(),
        milvusVersion: matching(/^v\d+\.\d+\.\d+$/, 'a Milvus release tag such as "v3.0.2" or "v2.6.16"').default(DEFAULT_NATIVE_MILVUS_VERSION),
        sshPublicKey: str().optional(),
        sshOpts: sshOptionsSchema(),
        env: z.record(matching(ENV_NAME, "an environment variable name (letters, digits, _; not starting with a digit)"), envValue, { error: "a mapping of environment variable names to values" }).default({}),
        apiUrl: str().default(DEFAULT_CLORE_API_URL),
        readyTimeoutSeconds: int({ min: 30, max: 7200 }).default(900),
        pollIntervalSeconds: int({ min: 5, max: 300 }).default(10),
    },
    "host",
).superRefine((h, ctx) => {
    if (h.spotPrice !== undefined && h.orderType !== "spot") report(ctx, ["spotPrice"], h.spotPrice, 'no value unless orderType is "spot"');
    if (h.maxSpotPrice !== undefined && h.orderType !== "spot") report(ctx, ["maxSpotPrice"], h.maxSpotPrice, 'no value unless orderType is "spot"');
    if (h.orderType === "spot") {
        if (h.spotPrice !== undefined && h.maxSpotPrice !== undefined) {
            report(ctx, ["maxSpotPrice"], h.maxSpotPrice, "no value when spotPrice is set (spotPrice is a fixed bid; maxSpotPrice caps a computed one)");
        } else if (h.spotPrice === undefined && h.maxSpotPrice === undefined && h.filters?.maxPricePerDay === undefined) {
            // The bid must beat competing bids, so it needs an upper bound the user chose.
            report(ctx, ["maxSpotPrice"], undefined, 'the most you will bid per day, required when orderType is "spot" (or set spotPrice for a fixed bid, or filters.maxPricePerDay)');
        }
    }
    if (h.usage === "docker") {
        if (typeof h.image !== "string" || h.image.trim() === "") {
            report(ctx, ["image"], h.image, 'an image that runs sshd and a Docker daemon (with the NVIDIA container toolkit for GPUs), required when usage is "docker"');
        } else if (!IMAGE.test(h.image)) {
            report(ctx, ["image"], h.image, 'a Docker image reference such as "registry.example.com/team/ssh-docker:1.2"');
        }
        if (h.sshPublicKey === undefined) report(ctx, ["sshPublicKey"], undefined, 'your SSH public key, required when usage is "docker" (the Docker client logs in with it)');
    } else {
        if (h.image !== undefined) report(ctx, ["image"], h.image, 'no value when usage is "native" (the image is milvusdb/milvus:<milvusVersion>-gpu)');
        for (const name of Object.keys(h.env ?? {})) {
            const why = reservedNativeEnv(name);
            if (why) report(ctx, ["env", name], h.env[name], `an environment variable the package does not set itself (${why})`);
        }
    }
    if (typeof h.sshPublicKey === "string" && !SSH_PUBLIC_KEY.test(h.sshPublicKey.trim())) {
        report(ctx, ["sshPublicKey"], h.sshPublicKey, 'an OpenSSH public key line such as "ssh-ed25519 AAAA... you@host" (never the private key)');
    }
    if (typeof h.apiUrl === "string") {
        if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(h.apiUrl)) {
            report(ctx, ["apiUrl"], h.apiUrl, "an http(s) URL of the Clore.ai API, default " + DEFAULT_CLORE_API_URL);
        } else if (h.apiUrl.startsWith("http://") && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(h.apiUrl)) {
            // The key travels in a header: plain HTTP only to a local fake or proxy.
            report(ctx, ["apiUrl"], h.apiUrl, "an https URL (plain http only for 127.0.0.1/localhost)");
        }
    }
}, always);

export function parseServerFilters(raw: unknown, field: string): ServerFilters {
    return parseWith(serverFiltersSchema, raw, field);
}

/**
 * Parses `host: {type: clore, ...}` of the stack config. Every bad value becomes a
 * ConfigError naming the field, the value and what is allowed, all reported together.
 */
export function parseCloreHostSettings(raw: unknown, field = "host"): CloreHostSettings {
    const h = parseWith(cloreHostSchema, raw, field);
    const config: CloreHostSettings = {
        type: "clore",
        usage: h.usage,
        filters: h.filters,
        orderType: h.orderType,
        currency: h.currency,
        milvusVersion: h.milvusVersion,
        sshOpts: h.sshOpts,
        env: h.env,
        apiUrl: h.apiUrl,
        readyTimeoutSeconds: h.readyTimeoutSeconds,
        pollIntervalSeconds: h.pollIntervalSeconds,
    };
    if (h.spotPrice !== undefined) config.spotPrice = h.spotPrice;
    if (h.maxSpotPrice !== undefined) config.maxSpotPrice = h.maxSpotPrice;
    if (h.image !== undefined) config.image = h.image;
    if (h.sshPublicKey !== undefined) config.sshPublicKey = h.sshPublicKey.trim();
    return config;
}
