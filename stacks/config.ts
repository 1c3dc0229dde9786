import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../components/errors";
import { DockerHostConfig, parseDockerHostConfig } from "../components/host/hostConfig";
import { parseStandaloneSettings, StandaloneSettings } from "../components/standalone/settings";
import { isObject, optionalEnum, Problems } from "../components/validate";

/** The Pulumi project name, and so the namespace of every stack config key. */
export const PROJECT = "milvus-gpu";

export type Mode = "standalone" | "cluster";
export const MODES: readonly Mode[] = ["standalone", "cluster"];

/** Config keys holding secrets: set with `pulumi config set --secret`, read as secrets. */
export const SECRET_KEYS = ["sshPrivateKey", "rootPassword", "minioAccessKey", "minioSecretKey"] as const;

const STANDALONE_KEYS = ["namePrefix", "dataDir", "release", "restart", "waitTimeoutSeconds", "etcd", "minio", "milvus", "attu"] as const;

/** Keys this program reads; anything else under the namespace is a typo and rejected. */
export const KNOWN_KEYS: readonly string[] = ["mode", "host", ...STANDALONE_KEYS, ...SECRET_KEYS];

export interface StandaloneStackConfig {
    mode: "standalone";
    stack: string;
    host: DockerHostConfig;
    standalone: StandaloneSettings;
}

export type StackConfig = StandaloneStackConfig;

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
    if (mode === "cluster") {
        problems.add("mode", mode, '"standalone" (cluster mode is not wired into this program yet)');
    }
    const host = problems.capture(() => parseDockerHostConfig(raw.host, "host"));
    const standalone = problems.capture(() => parseStandaloneSettings(pick(raw, STANDALONE_KEYS)));
    problems.throwIfAny();
    return { mode: "standalone", stack, host: host!, standalone: standalone! };
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
