import { always, block, bool, hostAddress, int, isAnyAddress, isLoopback, list, mapping, matching, memory, oneOf, parseWith, port, report, str, z } from "../configSchema";
import { DEFAULT_RELEASE, isGpuImage, isPinnedImage, milvusImage, RELEASE_SETS } from "./releases";

export { isLoopback };

/** GPUs for the Milvus container: every GPU on the host, or the listed device ids. */
export type GpuDevices = "all" | string[];

export const RESTART_POLICIES = ["no", "on-failure", "always", "unless-stopped"] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

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

export const TLS_MODES = ["off", "one-way"] as const;
export const TLS_CERTIFICATES = ["generated", "config"] as const;

/** One-way TLS on Milvus's gRPC port: clients check the server's certificate. */
export interface MilvusTls {
    mode: "one-way";
    /** "generated": a self-signed certificate made once on the Docker host; "config": the milvusTlsCert/milvusTlsKey secrets. */
    certificate: "generated" | "config";
}

export interface MilvusSettings {
    image: string;
    memoryBytes: number;
    gpu?: GpuDevices;
    grpc: PublishedPort;
    /** 9091: metrics, health, pprof and the WebUI; loopback unless asked otherwise. */
    http: PublishedPort;
    /** Milvus authentication (root password generated); required when gRPC is reachable off-host. */
    auth: boolean;
    tls?: MilvusTls;
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
    /** The image set picked by `release` (the Milvus version unless milvus.version/image say otherwise). */
    release: string;
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

const LOCAL = "127.0.0.1";



const pinned = () =>
    str("an image pinned to an exact tag or digest (for example milvusdb/milvus:v3.0.2), not latest or untagged").refine(isPinnedImage, {
        error: "an image pinned to an exact tag or digest (for example milvusdb/milvus:v3.0.2), not latest or untagged",
    });

/** `true` publishes on loopback at the default port; `false`/absent does not publish. */
function publish(defaultPort: number, name: string) {
    const where = mapping({ host: hostAddress().default(LOCAL), port: port().default(defaultPort) }, name);
    return z
        .union([z.literal(true), z.literal(false), z.literal("true"), z.literal("false"), where], {
            error: `true, false or {host, port} (where ${name} is published; default host ${LOCAL}, port ${defaultPort})`,
        })
        .optional()
        .transform((v): PublishedPort | undefined => {
            if (v === undefined || v === false || v === "false") return undefined;
            if (v === true || v === "true") return { host: LOCAL, port: defaultPort };
            return v;
        });
}

const GPU_ID_ALLOWED = "a GPU index (0, 1, ...) or an NVIDIA GPU UUID (GPU-...)";
const gpuId = z
    .union([z.number(), z.string()], { error: GPU_ID_ALLOWED })
    .transform((d) => String(d))
    .refine((id) => /^(0|[1-9]\d{0,2})$/.test(id) || /^GPU-[0-9a-fA-F-]{8,}$/.test(id), { error: GPU_ID_ALLOWED });
const DEVICES_ALLOWED = '"all" or a non-empty list of distinct GPU indexes (0, 1, ...) or UUIDs (GPU-...)';
const gpuDeviceList = list(gpuId, DEVICES_ALLOWED)
    .min(1, { error: DEVICES_ALLOWED })
    .superRefine((ids, ctx) => {
        ids.forEach((id, i) => {
            if (ids.indexOf(id) !== i) report(ctx, [i], id, `a GPU not listed before (${id} is already device ${ids.indexOf(id)})`);
        });
    });

/**
 * `gpu: all`, `gpu: [0, 1]`, `gpu: { devices: all | [...] }`, `gpu: true`; absent or false = no GPU.
 * Device ids are indexes or NVIDIA UUIDs, as `nvidia-smi -L` prints them.
 */
export const gpuSchema = z
    .union(
        [
            z.literal(true),
            z.literal(false),
            z.literal("true"),
            z.literal("false"),
            z.literal("all"),
            gpuDeviceList,
            mapping({ enabled: bool().optional(), devices: z.union([z.literal("all"), gpuDeviceList], { error: DEVICES_ALLOWED }).optional() }, "gpu"),
        ],
        { error: `true, false, "all", a list of GPU ids, or {enabled, devices} (${DEVICES_ALLOWED})` },
    )
    .optional()
    .transform((v): GpuDevices | undefined => {
        if (v === undefined || v === false || v === "false") return undefined;
        if (v === true || v === "true" || v === "all") return "all";
        if (Array.isArray(v)) return v;
        if (v.enabled === false) return undefined;
        return v.devices ?? "all";
    });

export function parseGpuDevices(value: unknown, field: string): GpuDevices | undefined {
    return parseWith(gpuSchema, value, field);
}

const etcdSchema = block(
    {
        image: pinned().optional().describe("etcd image (default: the release set's)"),
        memory: memory().prefault(DEFAULT_MEMORY.etcd).describe("memory limit (swap capped at the same size)"),
        publish: publish(2379, "etcd").describe("publish the client port on the host (off by default: etcd has no authentication here)"),
    },
    "etcd",
).describe("The etcd container (Milvus metadata)");
const minioSchema = block(
    {
        image: pinned().optional().describe("MinIO image (default: the release set's)"),
        memory: memory().prefault(DEFAULT_MEMORY.minio).describe("memory limit (swap capped at the same size)"),
        publishApi: publish(9000, "the MinIO API").describe("publish the S3 API on the host (off by default)"),
        publishConsole: publish(9001, "the MinIO console").describe("publish the console on the host (off by default)"),
    },
    "minio",
).describe("The MinIO container (segment storage)");
const milvusSchema = block(
    {
        version: matching(/^v\d+\.\d+\.\d+(-[a-z0-9.]+)?$/, 'a Milvus release tag such as "v3.0.2"').optional().describe("Milvus release tag (default: the release set's)"),
        image: pinned().optional().describe("Milvus image; a -gpu variant when gpu is set"),
        memory: memory().prefault(DEFAULT_MEMORY.milvus).describe("memory limit (swap capped at the same size)"),
        gpu: gpuSchema.describe('GPUs for Milvus: true or "all", a list of ids, or {enabled, devices}; picks the -gpu image'),
        host: hostAddress('an IP address or DNS name to publish gRPC on, such as "0.0.0.0" or "127.0.0.1"').default("0.0.0.0").describe("address gRPC is published on"),
        grpcPort: port().default(19530).describe("host port of gRPC"),
        httpHost: hostAddress('an IP address or DNS name to publish 9091 (metrics, health, pprof, WebUI) on; default "127.0.0.1"')
            .default(LOCAL)
            .describe("address 9091 (metrics, health, pprof, WebUI) is published on"),
        httpPort: port().default(9091).describe("host port of 9091"),
        auth: bool().default(true).describe("authentication with a generated root password; false only on loopback"),
        tls: block(
            {
                mode: oneOf(TLS_MODES).default("off").describe("one-way: clients check the server's certificate"),
                certificate: oneOf(TLS_CERTIFICATES, '"generated" (self-signed, made once on the Docker host) or "config" (the milvusTlsCert and milvusTlsKey secrets)')
                    .default("generated")
                    .describe("generated on the Docker host beside the data, or the milvusTlsCert/milvusTlsKey secrets"),
            },
            "milvus.tls",
        ).describe("TLS on gRPC"),
    },
    "milvus",
).describe("The Milvus standalone container");
const attuSchema = block(
    {
        enabled: bool().default(false).describe("run Attu (off by default)"),
        image: pinned().optional().describe("Attu image (default: the release set's)"),
        memory: memory().prefault(DEFAULT_MEMORY.attu).describe("memory limit (swap capped at the same size)"),
        host: hostAddress().default(LOCAL).describe("address Attu is published on (loopback by default)"),
        port: port().default(8000).describe("host port of Attu"),
    },
    "attu",
).describe("Attu, the Milvus web console (optional)");

const RELEASE_ALLOWED = `one of ${Object.keys(RELEASE_SETS).join(", ")}`;

/** The standalone deployment's keys (top-level keys of a stack file, or MilvusStandalone args). */
export const standaloneSettingsShape = {
    namePrefix: matching(
        /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,40}$/,
        "a Docker name: letters, digits, '_', '.', '-', starting with a letter or digit, at most 41 characters",
    )
        .default("milvus")
        .describe("prefix of container and network names"),
    dataDir: str("an absolute host path without spaces or '..', not / itself")
        .refine((d) => d.startsWith("/") && !d.includes("..") && !/\s/.test(d) && d.replace(/\/+$/, "") !== "", {
            error: "an absolute host path without spaces or '..', not / itself",
        })
        .default("/opt/milvus")
        .describe("host directory holding etcd/, minio/ and milvus/ data; never removed by destroy"),
    release: oneOf(Object.keys(RELEASE_SETS) as [string, ...string[]], RELEASE_ALLOWED)
        .default(DEFAULT_RELEASE)
        .describe("image set: Milvus with the etcd, MinIO and Attu it was tested with"),
    restart: oneOf(RESTART_POLICIES).default("unless-stopped").describe("Docker restart policy of every container"),
    waitTimeoutSeconds: int({ min: 30, max: 3600 }).default(300).describe("seconds each container may take to become healthy"),
    etcd: etcdSchema,
    minio: minioSchema,
    milvus: milvusSchema,
    attu: attuSchema,
};

type RawSettings = z.output<z.ZodObject<typeof standaloneSettingsShape>>;

/** Cross-field rules: GPU image variant, auth beyond loopback, one address:port per published port. */
/** A block as the checks see it: after a failed parse it may hold anything, so every field is read defensively. */
function partOf<T extends object>(value: T | undefined): Partial<T> {
    return typeof value === "object" && value !== null ? value : {};
}

function checkStandalone(s: RawSettings, ctx: z.core.$RefinementCtx<unknown>, at: (key: string) => PropertyKey[]): void {
    const m = partOf(s.milvus);
    const version = typeof m.version === "string" ? m.version : (RELEASE_SETS[s.release] ?? RELEASE_SETS[DEFAULT_RELEASE]).milvus;
    if (typeof m.image === "string" && m.gpu !== undefined && !isGpuImage(m.image)) {
        report(
            ctx,
            [...at("milvus"), "image"],
            m.image,
            `a -gpu image variant (for example ${milvusImage(version, true)}) because milvus.gpu is set: the plain image has no GPU index types`,
        );
    }
    if (m.auth === false && typeof m.host === "string" && !isLoopback(m.host)) {
        report(
            ctx,
            [...at("milvus"), "auth"],
            false,
            `true while milvus.host is ${JSON.stringify(m.host)}: Milvus reachable beyond localhost must require a password (or set milvus.host to "127.0.0.1")`,
        );
    }
    checkPortClashes(s, ctx, at);
}

/** Two published ports on the same host port clash when their addresses overlap (0.0.0.0 overlaps every address). */
function checkPortClashes(s: RawSettings, ctx: z.core.$RefinementCtx<unknown>, at: (key: string) => PropertyKey[]): void {
    const published: { path: PropertyKey[]; name: string; p: PublishedPort }[] = [];
    const add = (path: PropertyKey[], name: string, p: unknown) => {
        if (typeof p === "object" && p !== null && typeof (p as PublishedPort).host === "string" && typeof (p as PublishedPort).port === "number") {
            published.push({ path, name, p: p as PublishedPort });
        }
    };
    const m = partOf(s.milvus);
    if (typeof m.host === "string") add([...at("milvus"), "grpcPort"], "milvus.grpcPort", { host: m.host, port: m.grpcPort });
    if (typeof m.httpHost === "string") add([...at("milvus"), "httpPort"], "milvus.httpPort", { host: m.httpHost, port: m.httpPort });
    const etcd = partOf(s.etcd);
    const minio = partOf(s.minio);
    const attu = partOf(s.attu);
    add([...at("etcd"), "publish"], "etcd.publish", etcd.publish);
    add([...at("minio"), "publishApi"], "minio.publishApi", minio.publishApi);
    add([...at("minio"), "publishConsole"], "minio.publishConsole", minio.publishConsole);
    if (attu.enabled === true) add([...at("attu"), "port"], "attu.port", { host: attu.host, port: attu.port });
    const overlap = (a: string, b: string) => a === b || isAnyAddress(a) || isAnyAddress(b);
    published.forEach((x, i) => {
        const first = published.slice(0, i).find((y) => y.p.port === x.p.port && overlap(y.p.host, x.p.host));
        if (first) {
            report(ctx, x.path, x.p.port, `a host port not already published by ${first.name} (${first.p.host}:${first.p.port}); every published port needs its own address:port`);
        }
    });
}

/** The standalone block as a schema: validated, defaulted and turned into StandaloneSettings. */
export function standaloneSettingsSchema() {
    return z
        .strictObject(standaloneSettingsShape, {
            error: (iss) => (iss.code === "unrecognized_keys" ? `one of the standalone keys: ${Object.keys(standaloneSettingsShape).join(", ")}` : "an object (a YAML mapping)"),
        })
        .superRefine((s, ctx) => checkStandalone(s, ctx, (key) => [key]), always)
        .transform((s) => toSettings(s));
}

function toSettings(s: RawSettings): StandaloneSettings {
    const images = RELEASE_SETS[s.release];
    const m = s.milvus;
    const image = m.image ?? milvusImage(m.version ?? images.milvus, m.gpu !== undefined);
    return {
        namePrefix: s.namePrefix,
        dataDir: s.dataDir.replace(/\/+$/, ""),
        release: s.release,
        restart: s.restart,
        waitTimeoutSeconds: s.waitTimeoutSeconds,
        etcd: { image: s.etcd.image ?? images.etcdImage, memoryBytes: s.etcd.memory, ...(s.etcd.publish ? { publish: s.etcd.publish } : {}) },
        minio: {
            image: s.minio.image ?? images.minioImage,
            memoryBytes: s.minio.memory,
            ...(s.minio.publishApi ? { publishApi: s.minio.publishApi } : {}),
            ...(s.minio.publishConsole ? { publishConsole: s.minio.publishConsole } : {}),
        },
        milvus: {
            image,
            memoryBytes: m.memory,
            gpu: m.gpu,
            grpc: { host: m.host, port: m.grpcPort },
            http: { host: m.httpHost, port: m.httpPort },
            auth: m.auth,
            ...(m.tls.mode === "one-way" ? { tls: { mode: "one-way" as const, certificate: m.tls.certificate } } : {}),
        },
        attu: s.attu.enabled
            ? { image: s.attu.image ?? images.attuImage, memoryBytes: s.attu.memory, publish: { host: s.attu.host, port: s.attu.port } }
            : undefined,
    };
}

/** Raw config as it comes from stack config or component args (all optional, validated here). */
export type StandaloneArgs = Partial<Record<keyof typeof standaloneSettingsShape, unknown>>;

/**
 * Validates and defaults standalone settings, every problem at once. `field` is the config
 * prefix used in error messages (stack config keys sit at the top level, so it is empty there).
 */
export function parseStandaloneSettings(raw: StandaloneArgs, field = ""): StandaloneSettings {
    return parseWith(standaloneSettingsSchema(), raw, field);
}
