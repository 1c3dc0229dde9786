import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigErrors } from "../components/errors";
import { ClusterSettings, parseClusterSettings } from "../components/cluster/config";
import { CloreHostSettings, parseCloreHostSettings } from "../components/clore/config";
import { DockerHostSettings, parseDockerHostSettings } from "../components/host/hostConfig";
import { isGpuIndex, parseSchemaSettings, parseServerVersion, parseVerifySettings, SchemaSettings, schemaVerifyProblems, specCapabilityProblems, VerifySettings } from "../components/schema";
import { deployedMilvusVersion, isGpuImage, parseImageRef } from "../components/standalone/releases";
import { parseStandaloneSettings, StandaloneSettings } from "../components/standalone/settings";
import { parseWith, ProblemList } from "../components/configSchema";
import { nearMissNamespace, PROJECT } from "./namespace";
import { ACCESS_PASSWORDS_KEY, accessPasswordUsers, undeclaredAccessPasswords } from "./accessPasswords";
import { isDeclaredDefault, KNOWN_KEYS, keysOfKind, modeSchema, schemaAddressSchema, SECRET_HOLDING_KEYS, SECRET_KEYS, SecretKey, STANDALONE_KEYS } from "./model";
import { BackupSettings, parseBackupSettings } from "../components/backup/config";
import { MonitoringSettings, parseMonitoringSettings } from "../components/monitoring/config";
import { clusterBackupProblems } from "../components/backup/clusterChecks";
import { BACKUP_IMAGE_REPOSITORY, defaultBackupImage, describePairing, judgePairing, pairingFor } from "../components/backup/compatibility";

export { PROJECT };

export { KNOWN_KEYS, MODES, SECRET_KEYS } from "./model";
export type { Mode, SecretKey } from "./model";

/** What every kind of stack shares: the declared schema and how it is verified after deploy. */
interface SchemaStep {
    stack: string;
    schema: SchemaSettings;
    verify: VerifySettings;
    /**
     * Where the post-deploy step reaches Milvus when the deployment's own endpoint is not
     * reachable from where `pulumi up` runs (e.g. a port-forward to a cluster service).
     */
    schemaAddress?: string;
    /** Backups to an S3-compatible bucket, and the backup a new deployment starts from. */
    backup?: BackupSettings;
}

/** etcd, MinIO and Milvus containers on a Docker host: local, SSH, or a Clore.ai rental running Docker. */
export interface DockerStackConfig extends SchemaStep {
    kind: "docker";
    mode: "standalone";
    host: DockerHostSettings | CloreHostSettings;
    standalone: StandaloneSettings;
    /** Prometheus, Grafana and the exporters beside the deployment; undefined when not enabled. */
    monitoring?: MonitoringSettings;
}

/** The Milvus GPU image run directly as a Clore.ai order (embedded etcd, local storage). */
export interface CloreNativeStackConfig extends SchemaStep {
    kind: "clore-native";
    mode: "standalone";
    host: CloreHostSettings;
}

/** Milvus cluster on Kubernetes through the Helm chart. */
export interface ClusterStackConfig extends SchemaStep {
    kind: "cluster";
    mode: "cluster";
    cluster: ClusterSettings;
}

export type StackConfig = DockerStackConfig | CloreNativeStackConfig | ClusterStackConfig;

/**
 * Validates a stack's whole config in one pass and reports every bad key together.
 * `raw` maps keys without the namespace (`mode`, `milvus`, ...) to parsed YAML values;
 * `secrets` names the secret keys that are set (their values are never read here);
 * `passwordUsers` the users `accessPasswords` gives passwords for (names only).
 */
export function parseStackConfig(raw: Record<string, unknown>, stack: string, secrets: readonly string[] = [], passwordUsers: readonly string[] = []): StackConfig {
    const problems = new ProblemList();
    for (const key of Object.keys(raw)) {
        if (!KNOWN_KEYS.includes(key)) {
            problems.add(`${PROJECT}:${key}`, raw[key], `a known config key: ${KNOWN_KEYS.map((k) => `${PROJECT}:${k}`).join(", ")}`);
        }
    }
    const mode = problems.read(() => parseWith(modeSchema, raw.mode, "mode")) ?? "standalone";
    const schema = problems.read(() => parseSchemaSettings(raw.schema ?? { collections: [] }, "schema"));
    const verify = problems.read(() => parseVerifySettings(raw.verify, "verify"));
    const schemaAddress = problems.read(() => parseWith(schemaAddressSchema, raw.schemaAddress, "schemaAddress"));
    const backup = problems.read(() => parseBackupSettings(raw.backup, "backup"));
    const common = () => ({ stack, schema: schema!, verify: verify!, ...(schemaAddress !== undefined ? { schemaAddress } : {}), ...(backup ? { backup } : {}) });
    /** A backup must be restorable into the line it was taken from: the tool release is judged against the deployed Milvus. */
    const backupPairs = (version: string | undefined, where: string) => {
        if (!backup) return;
        for (const key of ["backupAccessKey", "backupSecretKey"] as const) {
            if (!has(key)) problems.add(`${PROJECT}:${key}`, undefined, `the backup target's ${key === "backupAccessKey" ? "access key" : "secret key"}, set with \`pulumi config set --secret ${PROJECT}:${key} <value>\` because backup is configured`);
        }
        if (version === undefined || !parseServerVersion(version)) return;
        const tag = backup.image === undefined ? undefined : parseImageRef(backup.image).tag;
        const verdict = judgePairing(version, tag);
        if (!verdict.ok) problems.add(backup.image === undefined ? "backup" : "backup.image", backup.image ?? raw.backup, `${verdict.allowed} (the deployed Milvus is ${version}, from ${where})`);
        else if (backup.image === undefined && defaultBackupImage(version) === undefined) {
            const p = pairingFor(version);
            problems.add("backup.image", undefined, `a pinned milvus-backup image, such as ${BACKUP_IMAGE_REPOSITORY}:<tag>: no default is known for Milvus ${version} (from ${where})${p ? `; use ${describePairing(p)}` : ""}`);
        }
    };
    if (schema && verify) problems.errors.push(...schemaVerifyProblems(schema, verify));
    if (schema) problems.errors.push(...undeclaredAccessPasswords(schema, passwordUsers));
    /** GPU index types exist only in Milvus's GPU builds: caught here, not halfway through the schema step. */
    const gpuIndexesNeed = (gpuImage: boolean, what: string) => {
        if (gpuImage || !schema) return;
        schema.collections.forEach((c, i) =>
            c.vectorIndexes.forEach((ix) => {
                if (isGpuIndex(ix.type)) problems.add(`schema.collections[${i}].indexes.${ix.field}.type`, ix.type, `a CPU index type (HNSW, IVF_FLAT, ...) unless ${what}: ${ix.type} exists only in the GPU build of Milvus`);
            }),
        );
    };
    /**
     * The declared schema checked against what the deployed Milvus version can do (the table the
     * step checks the live server with), so a spec the release cannot serve fails here, not mid-apply.
     * GPU-ness is judged above with its own message.
     */
    const servable = (version: string | undefined, where: string) => {
        if (!schema || version === undefined || !parseServerVersion(version)) return;
        for (const p of specCapabilityProblems(schema, { version, gpu: true })) problems.add(p.field, p.value, `${p.allowed} (the deployed Milvus is ${version}, from ${where})`);
    };
    /** milvus-backup checks Milvus's certificate against a name: only the generated one's (localhost) is known here. */
    const backupReachesMilvus = (s: StandaloneSettings) => {
        if (backup && s.milvus.tls?.certificate === "config") {
            problems.add("backup", raw.backup, 'no value while milvus.tls.certificate is "config": milvus-backup must check Milvus\'s certificate against a name it carries, and only a generated certificate\'s name (localhost) is known; use certificate: generated, or leave backup out');
        }
    };
    const has = (key: SecretKey) => secrets.includes(key) || raw[key] !== undefined;
    const monitoring = () => problems.read(() => parseMonitoringSettings(raw.monitoring, "monitoring"));
    /** Monitoring runs containers beside a Docker deployment: elsewhere the block is still checked, and refused when enabled. */
    const monitoringRefused = (allowed: string) => {
        if (monitoring()) problems.add("monitoring.enabled", (raw.monitoring as Record<string, unknown>).enabled, allowed);
    };

    const unused = (keys: readonly string[], why: string) => {
        // A declared default (Pulumi.yaml) reaches every stack; it changes nothing, so it is not "set".
        for (const key of keys) if (raw[key] !== undefined && !isDeclaredDefault(key, raw[key])) problems.add(key, raw[key], `no value: ${why}`);
    };
    const done = <T extends StackConfig>(config: () => T): T => {
        problems.throwIfAny();
        return config();
    };

    if (mode === "cluster") {
        unused(keysOfKind("standalone").filter((k) => k !== "monitoring"), 'in cluster mode settings go under "cluster"');
        monitoringRefused(
            "false or unset in cluster mode: monitoring deploys Prometheus and Grafana as containers beside a Docker deployment; in a cluster the chart's ServiceMonitor hands Milvus's metrics to the cluster's own Prometheus (set cluster.serviceMonitor.enabled: true)",
        );
        const cluster = problems.read(() => parseClusterSettings(raw.cluster, "cluster"));
        if (cluster) {
            gpuIndexesNeed(cluster.gpu.enabled, "cluster.gpu.enabled is true");
            servable(cluster.milvus.version, "cluster.milvusVersion");
            backupPairs(cluster.milvus.version, "cluster.milvusVersion");
            if (backup) {
                // Reported with every other problem here; the component checks the same for programs that use it directly.
                const pairing = new Set(["backup", "backup.image"]);
                problems.errors.push(...clusterBackupProblems(cluster, backup).filter((e) => !pairing.has(e.field)));
                if (backup.schedule === undefined) problems.add("backup.schedule", undefined, "a cron schedule in cluster mode: the CronJob is the only way backups run there");
                const asked = (raw.backup as Record<string, unknown> | undefined)?.beforeReplace;
                if (asked === true || asked === "true") {
                    problems.add("backup.beforeReplace", asked, "false or unset in cluster mode: a Helm upgrade that replaces Milvus takes no backup first (not supported there yet)");
                }
            }
        }
        // beforeReplace defaults to true for Docker hosts only: cluster mode has no such step.
        const clusterBackup = backup ? { ...backup, beforeReplace: false } : undefined;
        return done(() => ({ kind: "cluster", mode, cluster: cluster!, ...common(), ...(clusterBackup ? { backup: clusterBackup } : {}) }));
    }
    unused(keysOfKind("cluster"), "cluster settings apply only with mode: cluster");
    const hostType = typeof raw.host === "object" && raw.host !== null ? (raw.host as Record<string, unknown>).type : undefined;
    if (hostType === "clore") {
        const host = problems.read(() => parseCloreHostSettings(raw.host, "host"));
        if (host?.usage === "native") {
            unused(STANDALONE_KEYS, "a native Clore.ai host runs the Milvus image itself (set host.milvusVersion); the Docker deployment keys do not apply");
            monitoringRefused(
                "false or unset with host.usage: native: the order runs the Milvus image itself, with no Docker host to run Prometheus beside it; use host.usage: docker for monitoring",
            );
            servable(host.milvusVersion, "host.milvusVersion");
            if (raw.backup !== undefined && backup) {
                problems.add("backup", raw.backup, "no value with host.usage: native: that Milvus keeps its segments on the order's own disk, not in a MinIO milvus-backup can read; use host.usage: docker for backups");
            }
            return done(() => ({ kind: "clore-native", mode: "standalone", host: host!, ...common() }));
        }
        const standalone = readStandalone(raw, problems, has);
        const watched = monitoring();
        if (standalone) {
            gpuIndexesNeed(isGpuImage(standalone.milvus.image), "milvus.gpu is set (the -gpu image)");
            servable(...deployedVersion(standalone));
            backupPairs(...deployedVersion(standalone));
            backupReachesMilvus(standalone);
        }
        return done(() => ({ kind: "docker", mode: "standalone", host: host!, standalone: standalone!, ...common(), ...(watched ? { monitoring: watched } : {}) }));
    }
    const host = problems.read(() => parseDockerHostSettings(raw.host, "host"));
    const standalone = readStandalone(raw, problems, has);
    const watched = monitoring();
    if (standalone) {
        gpuIndexesNeed(isGpuImage(standalone.milvus.image), "milvus.gpu is set (the -gpu image)");
        servable(...deployedVersion(standalone));
        backupPairs(...deployedVersion(standalone));
        backupReachesMilvus(standalone);
    }
    return done(() => ({ kind: "docker", mode: "standalone", host: host!, standalone: standalone!, ...common(), ...(watched ? { monitoring: watched } : {}) }));
}

/** The Milvus version a standalone deployment runs, and the key it comes from. */
export function deployedVersion(s: StandaloneSettings): [string, string] {
    const tag = (parseImageRef(s.milvus.image).tag ?? "").replace(/-gpu$/, "");
    return [deployedMilvusVersion(s), /^v\d+\.\d+\.\d+$/.test(tag) ? "milvus.image" : "release"];
}


function readStandalone(raw: Record<string, unknown>, problems: ProblemList, has: (key: SecretKey) => boolean): StandaloneSettings | undefined {
    const standalone = problems.read(() => parseStandaloneSettings(pick(raw, STANDALONE_KEYS)));
    if (standalone?.milvus.tls?.certificate === "config") {
        for (const key of ["milvusTlsCert", "milvusTlsKey"] as const) {
            if (!has(key)) {
                problems.add(`${PROJECT}:${key}`, undefined, `a PEM set with \`pulumi config set --secret ${PROJECT}:${key} < file\` because milvus.tls.certificate is "config"`);
            }
        }
    }
    return standalone;
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
    const secrets: string[] = [];
    const prefix = `${PROJECT}:`;
    const nearMisses: ConfigError[] = [];
    let passwordUsers: string[] = [];
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        const near = nearMissNamespace(key);
        if (near) nearMisses.push(new ConfigError(key, decodeConfigValue(value), `a key of this project's namespace (${near})`));
        if (!key.startsWith(prefix)) continue;
        const name = key.slice(prefix.length);
        // Secrets are read through pulumi.Config so they stay secret; keep them out of the plain map.
        if (SECRET_HOLDING_KEYS.includes(name)) {
            secrets.push(name);
            // User names are not secret (the passwords are): they are checked against the declared users.
            if (name === ACCESS_PASSWORDS_KEY) passwordUsers = accessPasswordUsers(value);
            continue;
        }
        raw[name] = decodeConfigValue(value);
    }
    if (nearMisses.length === 1) throw nearMisses[0];
    if (nearMisses.length > 1) throw new ConfigErrors(nearMisses);
    return parseStackConfig(raw, pulumi.getStack(), secrets, passwordUsers);
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
