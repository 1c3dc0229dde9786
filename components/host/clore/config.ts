import { ConfigError } from "../../errors";
import {
    objectAt,
    optionalArray,
    optionalEnum,
    optionalInteger,
    optionalNumber,
    optionalString,
    Problems,
    rejectUnknownKeys,
} from "../../validate";
import { CLORE_CURRENCIES, CLORE_ORDER_TYPES, CloreCurrency, CloreOrderType } from "./api";
import { DEFAULT_CLORE_API_URL } from "./client";
import type { ServerFilters } from "./selection";

/**
 * How the rented server is used: "docker" runs an SSH + Docker image and deploys the
 * etcd/MinIO/Milvus containers onto it over SSH (the seed's path); "native" runs the Milvus
 * GPU image itself as the order's container (embedded etcd, local storage).
 */
export type CloreUsage = "docker" | "native";
export const CLORE_USAGES: readonly CloreUsage[] = ["docker", "native"];

/** The Milvus release the native usage runs (its `-gpu` image). */
export const DEFAULT_NATIVE_MILVUS_VERSION = "v3.0.2";

export interface CloreHostConfig {
    type: "clore";
    usage: CloreUsage;
    filters: ServerFilters;
    orderType: CloreOrderType;
    currency: CloreCurrency;
    spotPrice?: number;
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

const HOST_KEYS = [
    "type",
    "usage",
    "filters",
    "orderType",
    "currency",
    "spotPrice",
    "image",
    "milvusVersion",
    "sshPublicKey",
    "sshOpts",
    "env",
    "apiUrl",
    "readyTimeoutSeconds",
    "pollIntervalSeconds",
] as const;

const FILTER_KEYS = [
    "gpuModel",
    "gpuCount",
    "minGpuMemoryGb",
    "minRamGb",
    "minDiskGb",
    "minCpuCores",
    "countries",
    "maxPricePerDay",
    "serverId",
] as const;

// Docker image references: lower-case path, optional registry port, tag and digest.
const IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SSH_PUBLIC_KEY = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( .*)?$/;

export function parseServerFilters(raw: unknown, field: string): ServerFilters {
    const o = objectAt(raw, field);
    const problems = new Problems();
    problems.capture(() => rejectUnknownKeys(o, field, FILTER_KEYS));
    const f: ServerFilters = {};
    const gpuModel = problems.capture(() => optionalString(o.gpuModel, `${field}.gpuModel`));
    if (gpuModel !== undefined) {
        try {
            new RegExp(gpuModel, "i");
            if (gpuModel.trim() === "") throw new Error("empty");
            f.gpuModel = gpuModel;
        } catch {
            problems.add(`${field}.gpuModel`, gpuModel, 'a regular expression matched against the GPU model, e.g. "RTX 4090" or "A100|H100"');
        }
    }
    const int = (key: "gpuCount" | "minCpuCores" | "serverId", min: number) => {
        const v = problems.capture(() => optionalInteger(o[key], `${field}.${key}`, { min }));
        if (v !== undefined) f[key] = v;
    };
    const num = (key: "minGpuMemoryGb" | "minRamGb" | "minDiskGb" | "maxPricePerDay", min: number) => {
        const v = problems.capture(() => optionalNumber(o[key], `${field}.${key}`, { min }));
        if (v !== undefined) f[key] = v;
    };
    int("gpuCount", 1);
    int("minCpuCores", 1);
    int("serverId", 1);
    num("minGpuMemoryGb", 0);
    num("minRamGb", 0);
    num("minDiskGb", 0);
    num("maxPricePerDay", 0);
    const countries = problems.capture(() => optionalArray(o.countries, `${field}.countries`));
    if (countries !== undefined) {
        const list: string[] = [];
        countries.forEach((c, i) => {
            if (typeof c !== "string" || !/^[A-Za-z]{2}$/.test(c)) {
                problems.add(`${field}.countries[${i}]`, c, 'a two-letter country code such as "US" or "DE"');
            } else list.push(c.toUpperCase());
        });
        f.countries = list;
    }
    problems.throwIfAny();
    return f;
}

/**
 * Parses `host: {type: clore, ...}` of the stack config. Every bad value becomes a
 * ConfigError naming the field, the value and what is allowed, all reported together.
 */
export function parseCloreHostConfig(raw: unknown, field = "host"): CloreHostConfig {
    const o = objectAt(raw, field);
    if (o.type !== "clore") throw new ConfigError(`${field}.type`, o.type, '"clore"');
    const problems = new Problems();
    problems.capture(() => rejectUnknownKeys(o, field, HOST_KEYS));
    const usage = problems.capture(() => optionalEnum(o.usage, `${field}.usage`, CLORE_USAGES)) ?? "docker";
    const filters = problems.capture(() => parseServerFilters(o.filters, `${field}.filters`)) ?? {};
    const orderType = problems.capture(() => optionalEnum(o.orderType, `${field}.orderType`, CLORE_ORDER_TYPES)) ?? "on-demand";
    const currency = problems.capture(() => optionalEnum(o.currency, `${field}.currency`, CLORE_CURRENCIES)) ?? "CLORE-Blockchain";
    const spotPrice = problems.capture(() => optionalNumber(o.spotPrice, `${field}.spotPrice`, { min: 0 }));
    if (spotPrice !== undefined && orderType !== "spot") {
        problems.add(`${field}.spotPrice`, spotPrice, 'no value unless orderType is "spot"');
    }

    const image = problems.capture(() => optionalString(o.image, `${field}.image`));
    if (usage === "docker") {
        if (image === undefined || image.trim() === "") {
            problems.add(`${field}.image`, image, "an image that runs sshd and a Docker daemon (with the NVIDIA container toolkit for GPUs), required when usage is \"docker\"");
        } else if (!IMAGE.test(image)) {
            problems.add(`${field}.image`, image, 'a Docker image reference such as "registry.example.com/team/ssh-docker:1.2"');
        }
    } else if (image !== undefined) {
        problems.add(`${field}.image`, image, 'no value when usage is "native" (the image is milvusdb/milvus:<milvusVersion>-gpu)');
    }

    const milvusVersion = problems.capture(() => optionalString(o.milvusVersion, `${field}.milvusVersion`)) ?? DEFAULT_NATIVE_MILVUS_VERSION;
    if (!/^v\d+\.\d+\.\d+$/.test(milvusVersion)) {
        problems.add(`${field}.milvusVersion`, milvusVersion, 'a Milvus release tag such as "v3.0.2" or "v2.6.16"');
    }

    const sshPublicKey = problems.capture(() => optionalString(o.sshPublicKey, `${field}.sshPublicKey`));
    if (sshPublicKey !== undefined && !SSH_PUBLIC_KEY.test(sshPublicKey.trim())) {
        problems.add(`${field}.sshPublicKey`, sshPublicKey, 'an OpenSSH public key line such as "ssh-ed25519 AAAA... you@host" (never the private key)');
    }
    if (usage === "docker" && sshPublicKey === undefined) {
        problems.add(`${field}.sshPublicKey`, sshPublicKey, "your SSH public key, required when usage is \"docker\" (the Docker client logs in with it)");
    }

    const sshOpts: string[] = [];
    const rawOpts = problems.capture(() => optionalArray(o.sshOpts, `${field}.sshOpts`)) ?? [];
    rawOpts.forEach((opt, i) => {
        if (typeof opt !== "string" || opt === "") problems.add(`${field}.sshOpts[${i}]`, opt, "a non-empty string");
        else sshOpts.push(opt);
    });

    const env: Record<string, string> = {};
    const rawEnv = problems.capture(() => objectAt(o.env, `${field}.env`)) ?? {};
    for (const [k, v] of Object.entries(rawEnv)) {
        if (!ENV_NAME.test(k)) problems.add(`${field}.env.${k}`, k, "an environment variable name (letters, digits, _; not starting with a digit)");
        else if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") problems.add(`${field}.env.${k}`, v, "a string");
        else env[k] = String(v);
    }

    const apiUrl = problems.capture(() => optionalString(o.apiUrl, `${field}.apiUrl`)) ?? DEFAULT_CLORE_API_URL;
    if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(apiUrl)) {
        problems.add(`${field}.apiUrl`, apiUrl, "an http(s) URL of the Clore.ai API, default " + DEFAULT_CLORE_API_URL);
    } else if (apiUrl.startsWith("http://") && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(apiUrl)) {
        // The key travels in a header: plain HTTP only to a local fake or proxy.
        problems.add(`${field}.apiUrl`, apiUrl, "an https URL (plain http only for 127.0.0.1/localhost)");
    }

    const readyTimeoutSeconds = problems.capture(() => optionalInteger(o.readyTimeoutSeconds, `${field}.readyTimeoutSeconds`, { min: 30, max: 7200 })) ?? 900;
    const pollIntervalSeconds = problems.capture(() => optionalInteger(o.pollIntervalSeconds, `${field}.pollIntervalSeconds`, { min: 5, max: 300 })) ?? 10;

    problems.throwIfAny();
    const config: CloreHostConfig = {
        type: "clore",
        usage,
        filters,
        orderType,
        currency,
        milvusVersion,
        sshOpts,
        env,
        apiUrl,
        readyTimeoutSeconds,
        pollIntervalSeconds,
    };
    if (spotPrice !== undefined) config.spotPrice = spotPrice;
    if (image !== undefined) config.image = image;
    if (sshPublicKey !== undefined) config.sshPublicKey = sshPublicKey.trim();
    return config;
}
