import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../components/errors";
import { ClusterConfig, parseClusterConfig } from "../components/cluster/config";
import { CloreHostConfig, parseCloreHostConfig } from "../components/host/clore/config";
import { DockerHostConfig, parseDockerHostConfig } from "../components/host/hostConfig";
import { parseSchemaSpec, parseVerifySpec } from "../components/schema/parse";
import { SchemaSpec, VerifySpec } from "../components/schema/spec";
import { parseStandaloneSettings, StandaloneSettings } from "../components/standalone/settings";
import { isObject, objectAt, optionalEnum, optionalString, Problems } from "../components/validate";

/** The Pulumi project name, and so the namespace of every stack config key. */
export const PROJECT = "milvus-gpu";

export type Mode = "standalone" | "cluster";
export const MODES: readonly Mode[] = ["standalone", "cluster"];

/** Config keys holding secrets: set with `pulumi config set --secret`, read as secrets. */
export const SECRET_KEYS = ["sshPrivateKey", "rootPassword", "minioAccessKey", "minioSecretKey", "cloreApiKey", "milvusTlsCert", "milvusTlsKey"] as const;

const STANDALONE_KEYS = ["namePrefix", "dataDir", "release", "restart", "waitTimeoutSeconds", "etcd", "minio", "milvus", "attu"] as const;

/** Keys this program reads; anything else under the namespace is a typo and rejected. */
const COMMON_KEYS = ["mode", "schema", "verify", "schemaAddress"] as const;
export const KNOWN_KEYS: readonly string[] = [...COMMON_KEYS, "host", "cluster", ...STANDALONE_KEYS, ...SECRET_KEYS];

/** What every kind of stack shares: the declared schema and how it is verified after deploy. */
interface SchemaStep {
    stack: string;
    schema: SchemaSpec;
    verify: VerifySpec;
    /**
     * Where the post-deploy step reaches Milvus when the deployment's own endpoint is not
     * reachable from where `pulumi up` runs (e.g. a port-forward to a cluster service).
     */
    schemaAddress?: string;
}

/** etcd, MinIO and Milvus containers on a Docker host: local, SSH, or a Clore.ai rental running Docker. */
export interface DockerStackConfig extends SchemaStep {
    kind: "docker";
    mode: "standalone";
    host: DockerHostConfig | CloreHostConfig;
    standalone: StandaloneSettings;
}

/** The Milvus GPU image run directly as a Clore.ai order (embedded etcd, local storage). */
export interface CloreNativeStackConfig extends SchemaStep {
    kind: "clore-native";
    mode: "standalone";
    host: CloreHostConfig;
}

/** Milvus cluster on Kubernetes through the Helm chart. */
export interface ClusterStackConfig extends SchemaStep {
    kind: "cluster";
    mode: "cluster";
    cluster: ClusterConfig;
}

export type StackConfig = DockerStackConfig | CloreNativeStackConfig | ClusterStackConfig;

/**
 * Validates a stack's whole config in one pass and reports every bad key together.
 * `raw` maps keys without the namespace (`mode`, `milvus`, ...) to parsed YAML values.
 */
export function parseStackConfig(raw: Record<string, unknown>, stack: string): StackConfig {
    const problems = new Problems();
    for (const key of Object.keys(raw)) {
        if (!KNOWN_KEYS.includes(key)) {
            problems.add(`${PROJECT}:${key}`, raw[key], `a known config key: ${KNOWN_KEYS.map((k) => `${PROJECT}:${k}`).join(", ")}`);
        }
    }
    const mode = problems.capture(() => optionalEnum(raw.mode, "mode", MODES)) ?? "standalone";
    const schema = problems.capture(() => parseSchemaSpec(raw.schema ?? { collections: [] }, "schema"));
    const verify = problems.capture(() => parseVerifySpec(raw.verify, "verify"));
    const schemaAddress = problems.capture(() => optionalString(raw.schemaAddress, "schemaAddress"));
    if (schemaAddress !== undefined && !/^[^\s:/]+:\d{1,5}$/.test(schemaAddress)) {
        problems.add("schemaAddress", schemaAddress, "host:port of a Milvus gRPC endpoint, e.g. localhost:19530");
    }
    const common = () => ({ stack, schema: schema!, verify: verify!, ...(schemaAddress !== undefined ? { schemaAddress } : {}) });

    const unused = (keys: readonly string[], why: string) => {
        for (const key of keys) if (raw[key] !== undefined) problems.add(key, raw[key], `no value: ${why}`);
    };

    if (mode === "cluster") {
        unused(["host", ...STANDALONE_KEYS], 'in cluster mode settings go under "cluster"');
        const cluster = problems.capture(() => parseClusterConfig(raw.cluster, "cluster"));
        problems.throwIfAny();
        return { kind: "cluster", mode, cluster: cluster!, ...common() };
    }
    unused(["cluster"], "cluster settings apply only with mode: cluster");
    const hostType = objectAtOrEmpty(raw.host).type;
    if (hostType === "clore") {
        const host = problems.capture(() => parseCloreHostConfig(raw.host, "host"));
        if (host?.usage === "native") {
            unused(STANDALONE_KEYS, 'a native Clore.ai host runs the Milvus image itself (set host.milvusVersion); the Docker deployment keys do not apply');
            problems.throwIfAny();
            return { kind: "clore-native", mode: "standalone", host: host!, ...common() };
        }
        const standalone = problems.capture(() => parseStandaloneSettings(pick(raw, STANDALONE_KEYS)));
        problems.throwIfAny();
        return { kind: "docker", mode: "standalone", host: host!, standalone: standalone!, ...common() };
    }
    const host = problems.capture(() => parseDockerHostConfig(raw.host, "host"));
    const standalone = problems.capture(() => parseStandaloneSettings(pick(raw, STANDALONE_KEYS)));
    problems.throwIfAny();
    return { kind: "docker", mode: "standalone", host: host!, standalone: standalone!, ...common() };
}

function objectAtOrEmpty(value: unknown): Record<string, unknown> {
    try {
        return objectAt(value, "host");
    } catch {
        return {};
    }
}

function pick<K extends string>(raw: Record<string, unknown>, keys: readonly K[]): Partial<Record<K, unknown>> {
    const out: Partial<Record<K, unknown>> = {};
    for (const k of keys) if (raw[k] !== undefined) out[k] = raw[k];
    return out;
}

/** Reads a config value that may be a YAML object/list (stored as JSON) or a plain string. */
export function decodeConfigValue(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** The program's entry: every `milvus-gpu:*` key of the running stack, validated. */
export function loadStackConfig(): StackConfig {
    const raw: Record<string, unknown> = {};
    const prefix = `${PROJECT}:`;
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!key.startsWith(prefix)) continue;
        const name = key.slice(prefix.length);
        // Secrets are read through pulumi.Config so they stay secret; keep them out of the plain map.
        if ((SECRET_KEYS as readonly string[]).includes(name)) continue;
        raw[name] = decodeConfigValue(value);
    }
    return parseStackConfig(raw, pulumi.getStack());
}

/** Secret config values as Pulumi secrets (undefined when not set). */
export function loadSecrets(): Partial<Record<(typeof SECRET_KEYS)[number], pulumi.Output<string>>> {
    const config = new pulumi.Config(PROJECT);
    const out: Partial<Record<(typeof SECRET_KEYS)[number], pulumi.Output<string>>> = {};
    for (const key of SECRET_KEYS) {
        const value = config.getSecret(key);
        if (value !== undefined) out[key] = value;
    }
    return out;
}

/** Reads `config:` of a Pulumi.<stack>.yaml document (for the offline render and policy runs). */
export function stackConfigFromYaml(doc: unknown, file: string): Record<string, unknown> {
    if (!isObject(doc)) throw new ConfigError(file, doc, "a YAML mapping with a config: section");
    const config = doc.config ?? {};
    if (!isObject(config)) throw new ConfigError(`${file}: config`, config, "a mapping of config keys");
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        if (!key.startsWith(`${PROJECT}:`)) continue;
        const name = key.slice(PROJECT.length + 1);
        // Encrypted values ({secure: ...}) cannot be read offline; they are secrets by definition.
        if (isObject(value) && "secure" in value) continue;
        raw[name] = value;
    }
    return raw;
}
