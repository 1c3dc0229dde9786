import { ConfigError } from "../errors";
import {
    objectAt,
    optionalArray,
    optionalBoolean,
    optionalEnum,
    optionalInteger,
    optionalString,
    parseMemory,
    Problems,
    RawObject,
    rejectUnknownKeys,
} from "../validate";
import { DEFAULT_RELEASE, isPinnedImage, milvusImage, parseImageRef, RELEASE_SETS } from "./releases";

/** GPUs for the Milvus container: every GPU on the host, or the listed device ids. */
export type GpuDevices = "all" | string[];

export type RestartPolicy = "no" | "on-failure" | "always" | "unless-stopped";
export const RESTART_POLICIES: readonly RestartPolicy[] = ["no", "on-failure", "always", "unless-stopped"];

export interface PublishedPort {
    /** Host address the port binds to; "127.0.0.1" keeps it on the host. */
    host: string;
    port: number;
}

export interface EtcdSettings {
    image: string;
    memoryBytes: number;
    /** Published on the host only when asked: etcd has no authentication here. */
    publish?: PublishedPort;
}

export interface MinioSettings {
    image: string;
    memoryBytes: number;
    publishApi?: PublishedPort;
    publishConsole?: PublishedPort;
}

/** Milvus's own TLS on gRPC (one-way: the server proves itself, clients check its certificate). */
export interface MilvusTls {
    mode: "one-way";
    /** "generated": self-signed, made once on the Docker host beside the data; "config": milvusTlsCert/milvusTlsKey secrets. */
    certificate: "generated" | "config";
}
export const TLS_MODES = ["off", "one-way"] as const;
export const TLS_CERTIFICATES = ["generated", "config"] as const;

export interface MilvusSettings {
    image: string;
    memoryBytes: number;
    gpu?: GpuDevices;
    grpc: PublishedPort;
    /** 9091: health, metrics, pprof and the WebUI; its own bind address, loopback by default. */
    http: PublishedPort;
    tls?: MilvusTls;
    /** Milvus authentication (root password generated); required when gRPC is reachable off-host. */
    auth: boolean;
}

export interface AttuSettings {
    image: string;
    memoryBytes: number;
    publish: PublishedPort;
}

/** Everything that decides the shape of a standalone deployment, validated and defaulted. */
export interface StandaloneSettings {
    /** Prefix of container, network names (several stacks can share a Docker host). */
    namePrefix: string;
    /** Host directory under which etcd/, minio/ and milvus/ hold the data. */
    dataDir: string;
    restart: RestartPolicy;
    /** Seconds to wait for each container to report healthy. */
    waitTimeoutSeconds: number;
    etcd: EtcdSettings;
    minio: MinioSettings;
    milvus: MilvusSettings;
    attu?: AttuSettings;
}

export const DEFAULT_MEMORY = {
    etcd: "2g",
    minio: "4g",
    milvus: "16g",
    attu: "512m",
} as const;

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

export function isLoopback(host: string): boolean {
    return LOOPBACK.has(host) || host.startsWith("127.");
}

/** Raw config as it comes from stack config (all optional, validated here). */
export interface RawStandaloneConfig {
    namePrefix?: unknown;
    dataDir?: unknown;
    release?: unknown;
    restart?: unknown;
    waitTimeoutSeconds?: unknown;
    etcd?: unknown;
    minio?: unknown;
    milvus?: unknown;
    attu?: unknown;
}

/**
 * Validates and defaults standalone settings. `field` is the config prefix used in
 * error messages (stack config keys sit at the top level, so it is empty there).
 */
export function parseStandaloneSettings(raw: RawStandaloneConfig, field = ""): StandaloneSettings {
    const at = (key: string) => (field ? `${field}.${key}` : key);
    const problems = new Problems();

    const release = problems.capture(() => optionalString(raw.release, at("release"))) ?? DEFAULT_RELEASE;
    const set = RELEASE_SETS[release];
    if (!set) problems.add(at("release"), release, `one of ${Object.keys(RELEASE_SETS).join(", ")}`);
    const images = set ?? RELEASE_SETS[DEFAULT_RELEASE];

    const namePrefix = problems.capture(() => optionalString(raw.namePrefix, at("namePrefix"))) ?? "milvus";
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,40}$/.test(namePrefix)) {
        problems.add(at("namePrefix"), namePrefix, "a Docker name: letters, digits, '_', '.', '-', starting with a letter or digit, at most 41 characters");
    }
    const dataDir = problems.capture(() => optionalString(raw.dataDir, at("dataDir"))) ?? "/opt/milvus";
    if (!dataDir.startsWith("/") || dataDir.includes("..") || /\s/.test(dataDir) || dataDir === "/") {
        problems.add(at("dataDir"), dataDir, "an absolute host path without spaces or '..', not / itself");
    }
    const restart = problems.capture(() => optionalEnum(raw.restart, at("restart"), RESTART_POLICIES)) ?? "unless-stopped";
    const waitTimeoutSeconds =
        problems.capture(() => optionalInteger(raw.waitTimeoutSeconds, at("waitTimeoutSeconds"), { min: 30, max: 3600 })) ?? 300;

    const etcd = problems.capture(() => parseEtcd(objectAt(raw.etcd, at("etcd")), at("etcd"), images.etcdImage));
    const minio = problems.capture(() => parseMinio(objectAt(raw.minio, at("minio")), at("minio"), images.minioImage));
    const milvus = problems.capture(() => parseMilvus(objectAt(raw.milvus, at("milvus")), at("milvus"), images.milvus));
    const attu = problems.capture(() => parseAttu(objectAt(raw.attu, at("attu")), at("attu"), images.attuImage));

    problems.throwIfAny();
    return {
        namePrefix,
        dataDir: dataDir.replace(/\/+$/, ""),
        restart,
        waitTimeoutSeconds,
        etcd: etcd!,
        minio: minio!,
        milvus: milvus!,
        attu,
    };
}

function parseEtcd(o: RawObject, field: string, defaultImage: string): EtcdSettings {
    rejectUnknownKeys(o, field, ["image", "memory", "publish"]);
    return {
        image: pinnedImage(o.image, `${field}.image`) ?? defaultImage,
        memoryBytes: parseMemory(o.memory ?? DEFAULT_MEMORY.etcd, `${field}.memory`),
        publish: parsePublish(o.publish, `${field}.publish`, 2379),
    };
}

function parseMinio(o: RawObject, field: string, defaultImage: string): MinioSettings {
    rejectUnknownKeys(o, field, ["image", "memory", "publishApi", "publishConsole"]);
    return {
        image: pinnedImage(o.image, `${field}.image`) ?? defaultImage,
        memoryBytes: parseMemory(o.memory ?? DEFAULT_MEMORY.minio, `${field}.memory`),
        publishApi: parsePublish(o.publishApi, `${field}.publishApi`, 9000),
        publishConsole: parsePublish(o.publishConsole, `${field}.publishConsole`, 9001),
    };
}

function parseMilvus(o: RawObject, field: string, releaseTag: string): MilvusSettings {
    rejectUnknownKeys(o, field, ["version", "image", "memory", "gpu", "host", "grpcPort", "httpHost", "httpPort", "auth", "tls"]);
    const gpu = parseGpuDevices(o.gpu, `${field}.gpu`);
    const version = optionalString(o.version, `${field}.version`);
    if (version !== undefined && !/^v\d+\.\d+\.\d+(-[a-z0-9.]+)?$/.test(version)) {
        throw new ConfigError(`${field}.version`, version, 'a Milvus release tag such as "v3.0.2"');
    }
    const image = pinnedImage(o.image, `${field}.image`) ?? milvusImage(version ?? releaseTag, gpu !== undefined);
    if (o.image !== undefined && gpu !== undefined && !(parseImageRef(image).tag ?? "").endsWith("-gpu")) {
        throw new ConfigError(
            `${field}.image`,
            image,
            `a -gpu image variant (for example ${milvusImage(version ?? releaseTag, true)}) because ${field}.gpu is set: the plain image has no GPU index types`,
        );
    }
    const host = optionalString(o.host, `${field}.host`) ?? "0.0.0.0";
    if (host.trim() === "") throw new ConfigError(`${field}.host`, host, 'an address to publish Milvus on, such as "0.0.0.0" or "127.0.0.1"');
    // Not milvus.host: 9091 serves metrics, pprof and the WebUI without authentication.
    const httpHost = optionalString(o.httpHost, `${field}.httpHost`) ?? "127.0.0.1";
    if (httpHost.trim() === "") throw new ConfigError(`${field}.httpHost`, httpHost, 'an address to publish 9091 (health, metrics) on, such as "127.0.0.1"');
    const tls = parseTls(o.tls, `${field}.tls`);
    const auth = optionalBoolean(o.auth, `${field}.auth`) ?? true;
    if (!auth && !isLoopback(host)) {
        throw new ConfigError(
            `${field}.auth`,
            false,
            `true while ${field}.host is ${JSON.stringify(host)}: Milvus reachable beyond localhost must require a password (or set ${field}.host to "127.0.0.1")`,
        );
    }
    return {
        image,
        memoryBytes: parseMemory(o.memory ?? DEFAULT_MEMORY.milvus, `${field}.memory`),
        gpu,
        grpc: { host, port: optionalInteger(o.grpcPort, `${field}.grpcPort`, { min: 1, max: 65535 }) ?? 19530 },
        http: { host: httpHost, port: optionalInteger(o.httpPort, `${field}.httpPort`, { min: 1, max: 65535 }) ?? 9091 },
        ...(tls ? { tls } : {}),
        auth,
    };
}

/** `tls: { mode: off | one-way, certificate: generated | config }`; off (the default) is undefined. */
function parseTls(value: unknown, field: string): MilvusTls | undefined {
    if (value === undefined || value === null) return undefined;
    const o = objectAt(value, field);
    rejectUnknownKeys(o, field, ["mode", "certificate"]);
    const mode = optionalEnum(o.mode, `${field}.mode`, TLS_MODES) ?? "off";
    const certificate = optionalEnum(o.certificate, `${field}.certificate`, TLS_CERTIFICATES) ?? "generated";
    return mode === "off" ? undefined : { mode, certificate };
}

function parseAttu(o: RawObject, field: string, defaultImage: string): AttuSettings | undefined {
    rejectUnknownKeys(o, field, ["enabled", "image", "memory", "host", "port"]);
    if (!(optionalBoolean(o.enabled, `${field}.enabled`) ?? false)) return undefined;
    return {
        image: pinnedImage(o.image, `${field}.image`) ?? defaultImage,
        memoryBytes: parseMemory(o.memory ?? DEFAULT_MEMORY.attu, `${field}.memory`),
        publish: {
            host: optionalString(o.host, `${field}.host`) ?? "127.0.0.1",
            port: optionalInteger(o.port, `${field}.port`, { min: 1, max: 65535 }) ?? 8000,
        },
    };
}

/**
 * `gpu: all`, `gpu: [0, 1]`, `gpu: { devices: all | [...] }`, `gpu: true`; absent or false = no GPU.
 * Device ids are indexes or NVIDIA UUIDs, as `nvidia-smi -L` prints them.
 */
export function parseGpuDevices(value: unknown, field: string): GpuDevices | undefined {
    if (value === undefined || value === null || value === false || value === "false") return undefined;
    if (value === true || value === "true" || value === "all") return "all";
    let devices: unknown = value;
    if (typeof value === "object" && !Array.isArray(value)) {
        const o = objectAt(value, field);
        rejectUnknownKeys(o, field, ["enabled", "devices"]);
        if (optionalBoolean(o.enabled, `${field}.enabled`) === false) return undefined;
        devices = o.devices ?? "all";
        if (devices === "all") return "all";
    }
    const list = optionalArray(devices, `${field}.devices`);
    if (!list || list.length === 0) {
        throw new ConfigError(`${field}.devices`, devices, '"all" or a non-empty list of GPU indexes (0, 1, ...) or UUIDs (GPU-...)');
    }
    return list.map((d, i) => {
        const id = typeof d === "number" ? String(d) : d;
        if (typeof id !== "string" || !(/^(0|[1-9]\d{0,2})$/.test(id) || /^GPU-[0-9a-fA-F-]{8,}$/.test(id))) {
            throw new ConfigError(`${field}.devices[${i}]`, d, "a GPU index (0, 1, ...) or an NVIDIA GPU UUID (GPU-...)");
        }
        return id;
    });
}

function parsePublish(value: unknown, field: string, defaultPort: number): PublishedPort | undefined {
    if (value === undefined || value === null || value === false) return undefined;
    if (value === true) return { host: "127.0.0.1", port: defaultPort };
    const o = objectAt(value, field);
    rejectUnknownKeys(o, field, ["host", "port"]);
    const host = optionalString(o.host, `${field}.host`) ?? "127.0.0.1";
    if (host.trim() === "") throw new ConfigError(`${field}.host`, host, "a host address such as 127.0.0.1");
    return { host, port: optionalInteger(o.port, `${field}.port`, { min: 1, max: 65535 }) ?? defaultPort };
}

function pinnedImage(value: unknown, field: string): string | undefined {
    const image = optionalString(value, field);
    if (image === undefined) return undefined;
    if (!isPinnedImage(image)) {
        throw new ConfigError(field, image, "an image pinned to an exact tag or digest (for example milvusdb/milvus:v3.0.2), not latest or untagged");
    }
    return image;
}
