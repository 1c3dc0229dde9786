import { extraObjects } from "../components/cluster/extraObjects";
import { rootPasswordSecretName } from "../components/cluster/names";
import { milvusClusterValues } from "../components/cluster/values";
import { AccessSettings as AccessSpec, describeGrant, roleGrants } from "../components/schema";
import { ConfigError, ConfigErrors } from "../components/errors";
import { nativeMilvusOrderSpec } from "../components/clore/nativeOrderSpec";
import { composeDocument, SECRET_PLACEHOLDERS } from "../components/standalone/compose";
import { containerLabels, ContainerSpec, deployedMemory, isSecretRef } from "../components/standalone/containerSpec";
import { dockerGpus } from "../components/standalone/dockerArgs";
import { standaloneContainerSpecs } from "../components/standalone/specs";
import { StackConfig } from "./config";
import { BackupSettings } from "../components/backup/config";
import { clusterBackupNotices, clusterBackupProblems } from "../components/backup/clusterChecks";
import { clusterBackupObjects } from "../components/backup/cronJob";
import type { ClusterSettings } from "../components/cluster/config";
import { backupContainerSpec } from "../components/backup/specs";
import { deployedMilvusVersion } from "../components/standalone/releases";
import { monitoredDeployment } from "../components/monitoring/deployment";
import { monitoringContainerSpecs } from "../components/monitoring/specs";
import type { MonitoringSettings } from "../components/monitoring/config";

export type RenderFormat = "compose" | "json";
export const RENDER_FORMATS: readonly RenderFormat[] = ["compose", "json"];

/** A container as the render shows it: what would be created, secrets redacted. */
export interface RenderedContainer {
    name: string;
    service: string;
    image: string;
    entrypoint?: string[];
    command?: string[];
    /** Files put into the container at creation (path -> content). */
    files?: Record<string, string>;
    env: Record<string, string>;
    healthcheck: ContainerSpec["healthcheck"];
    /** The limit as deployed (whole MiB); swap included, Docker's memory-swap. */
    memoryBytes: number;
    memorySwapBytes: number;
    gpus?: string;
    ports: string[];
    volumes: string[];
    securityOpts: string[];
    restart: string;
    dependsOn: string[];
    labels: Record<string, string>;
    /** The user it runs as, when not the image's. */
    user?: string;
}

function deployedBytes(spec: ContainerSpec): { memoryBytes: number; memorySwapBytes: number } {
    const { memoryMb, memorySwapMb } = deployedMemory(spec);
    return { memoryBytes: memoryMb * 1024 * 1024, memorySwapBytes: memorySwapMb * 1024 * 1024 };
}

export function renderContainer(spec: ContainerSpec): RenderedContainer {
    return {
        name: spec.containerName,
        service: spec.service,
        image: spec.image,
        ...(spec.entrypoint ? { entrypoint: spec.entrypoint } : {}),
        command: spec.command,
        ...(spec.files?.length ? { files: Object.fromEntries(spec.files.map((f) => [f.path, f.content])) } : {}),
        env: Object.fromEntries(
            Object.entries(spec.env).map(([k, v]) => [k, isSecretRef(v) ? `<secret:${SECRET_PLACEHOLDERS[v.secret]}>` : v]),
        ),
        healthcheck: spec.healthcheck,
        ...deployedBytes(spec),
        gpus: dockerGpus(spec.gpu),
        ports: spec.ports.map((p) => `${p.published.host}:${p.published.port}->${p.container}`),
        volumes: spec.volumes.map((v) => `${v.hostPath}:${v.containerPath}${v.readOnly ? ":ro" : ""}`),
        securityOpts: spec.securityOpts,
        restart: spec.restart,
        dependsOn: spec.dependsOn,
        labels: containerLabels(spec),
        ...(spec.user ? { user: spec.user } : {}),
    };
}

const redacted = (name: string) => `<secret:${name}>`;

/** The declared access as the step applies it: each grant one line, each user with where its password comes from. */
function renderAccess(access: AccessSpec) {
    return {
        required: access.required,
        prune: access.prune,
        roles: access.roles.map((r) => ({ name: r.name, grants: roleGrants(r).map(describeGrant) })),
        users: access.users.map((u) => ({ name: u.name, roles: u.roles, password: redacted(`accessPasswords.${u.name} (generated when not set)`) })),
    };
}

/** The host steps around the backup container, in the order `up` runs them. */
function renderBackupSteps(b: BackupSettings) {
    return {
        target: { ...b.target, accessKey: redacted("BACKUP_ACCESS_KEY"), secretKey: redacted("BACKUP_SECRET_KEY") },
        schedule: b.schedule ?? "on demand only",
        retain: b.retain,
        beforeReplace: b.beforeReplace ? "a backup is taken before the Milvus container is replaced" : "off",
        ...(b.restoreFrom ? { restoreFrom: `${b.restoreFrom}: restored into the new deployment once Milvus is healthy, before the schema step` } : {}),
    };
}

/** The backup objects as the cluster component deploys them, the Secret's values redacted. */
function renderClusterBackup(cluster: ClusterSettings, b: BackupSettings) {
    // The component refuses these before it registers anything; the render does not show what `up` would refuse.
    const problems = clusterBackupProblems(cluster, b);
    if (problems.length === 1) throw problems[0];
    if (problems.length > 1) throw new ConfigErrors(problems);
    const objects = clusterBackupObjects(cluster, b, cluster.milvus.version, {
        minioAccessKey: redacted("MINIO_ACCESS_KEY"),
        minioSecretKey: redacted("MINIO_SECRET_KEY"),
        targetAccessKey: redacted("BACKUP_ACCESS_KEY"),
        targetSecretKey: redacted("BACKUP_SECRET_KEY"),
    });
    return {
        schedule: b.schedule ? `${b.schedule} (UTC)` : "none: no CronJob (cluster mode runs backups only on a schedule)",
        retain: b.retain,
        ...clusterBackupNoticesOf(b),
        objects: [objects.configMap, objects.secret, ...(objects.cronJob ? [objects.cronJob] : [])],
    };
}

/** What monitoring adds besides its containers: where it answers, and what only the deployment can know. */
function renderMonitoring(m: MonitoringSettings, onRental: boolean) {
    const url = (p: { host: string; port: number } | undefined) => (p ? `http://${p.host}:${p.port}` : "not published (private network only)");
    return {
        prometheus: url(m.prometheus.publish),
        ...(m.grafana ? { grafana: url(m.grafana.publish), grafanaLogin: `admin / ${redacted("GRAFANA_ADMIN_PASSWORD (generated)")}` } : {}),
        alerts: m.alerts,
        ...(onRental ? { rentalAlert: "the rule file gets the RentalEndingSoon rules at deploy time, from the order's end (not known before the order exists)" } : {}),
    };
}

function clusterBackupNoticesOf(b: BackupSettings) {
    const notices = clusterBackupNotices(b);
    return notices.length ? { notices } : {};
}

/** What a stack would deploy, from the same builders the program uses: no engine, no Docker. */
export function renderStack(config: StackConfig, format: RenderFormat): unknown {
    if (format === "compose" && config.kind !== "docker") {
        throw new ConfigError("--format", format, `json for a ${config.kind} stack (compose describes Docker-host deployments)`);
    }
    const schema = config.schema;
    const schemaStep = {
        ...(schema.databases?.length ? { databases: schema.databases } : {}),
        collections: schema.collections.map((c) => (c.database ? `${c.database}.${c.name}` : c.name)),
        ...(schema.access ? { access: renderAccess(schema.access) } : {}),
        verify: config.verify,
        schemaAddress: config.schemaAddress,
    };
    switch (config.kind) {
        case "docker": {
            const backup = config.backup;
            const monitoring = config.monitoring;
            const specs = [
                ...standaloneContainerSpecs(config.standalone),
                ...(backup ? [backupContainerSpec(config.standalone, backup, deployedMilvusVersion(config.standalone))] : []),
                ...(monitoring ? monitoringContainerSpecs(monitoredDeployment(config.standalone, backup), monitoring) : []),
            ];
            if (format === "compose") {
                return composeDocument(`milvus-${config.stack}`, specs, `${config.standalone.namePrefix}-net`);
            }
            return {
                stack: config.stack,
                mode: config.mode,
                host: config.host,
                dataDir: config.standalone.dataDir,
                containers: specs.map(renderContainer),
                ...(backup ? { backup: renderBackupSteps(backup) } : {}),
                ...(monitoring ? { monitoring: renderMonitoring(monitoring, config.host.type === "clore") } : {}),
                schemaStep,
            };
        }
        case "clore-native": {
            const order = nativeMilvusOrderSpec(config.host.milvusVersion);
            return {
                stack: config.stack,
                mode: config.mode,
                host: config.host,
                order: { ...order, env: { ...config.host.env, ...order.env, COMMON_SECURITY_DEFAULTROOTPASSWORD: redacted("MILVUS_ROOT_PASSWORD") } },
                schemaStep,
            };
        }
        case "cluster":
            return {
                stack: config.stack,
                mode: config.mode,
                chart: config.cluster.chart,
                pairing: config.cluster.pairing,
                namespace: config.cluster.namespace,
                release: config.cluster.releaseName,
                values: milvusClusterValues(config.cluster, {
                    minioAccessKey: redacted("MINIO_ACCESS_KEY"),
                    minioSecretKey: redacted("MINIO_SECRET_KEY"),
                    rootPasswordSecretName: rootPasswordSecretName(config.cluster.releaseName),
                }),
                // Created by the component beside the release (what the chart has no key for).
                objects: extraObjects(config.cluster),
                ...(config.backup ? { backup: renderClusterBackup(config.cluster, config.backup) } : {}),
                schemaStep,
            };
    }
}
