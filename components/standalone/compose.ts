import { containerLabels, ContainerSpec, deployedMemory, isSecretRef, SecretName } from "./containerSpec";

/** How secrets appear in rendered output: never their values. */
export const SECRET_PLACEHOLDERS: Readonly<Record<SecretName, string>> = {
    minioAccessKey: "MINIO_ACCESS_KEY",
    minioSecretKey: "MINIO_SECRET_KEY",
    milvusRootPassword: "MILVUS_ROOT_PASSWORD",
    backupAccessKey: "BACKUP_ACCESS_KEY",
    backupSecretKey: "BACKUP_SECRET_KEY",
    minioMetricsToken: "MINIO_METRICS_TOKEN",
    grafanaAdminPassword: "GRAFANA_ADMIN_PASSWORD",
};

/** Compose variable reference that fails `docker compose up` when the secret is not supplied. */
export function composeSecretReference(name: SecretName): string {
    const v = SECRET_PLACEHOLDERS[name];
    return `\${${v}:?set ${v} (see pulumi stack output)}`;
}

const duration = (s: number) => `${s}s`;
const MB = 1024 * 1024;

/** Docker Compose's memory notation, exact to the byte where a unit does not divide. */
export function composeMemory(bytes: number): string {
    for (const [unit, size] of [["g", 1024 ** 3], ["m", 1024 ** 2], ["k", 1024]] as const) {
        if (bytes % size === 0) return `${bytes / size}${unit}`;
    }
    return `${bytes}b`;
}

export type ComposeDocument = {
    name: string;
    services: Record<string, Record<string, unknown>>;
    networks: Record<string, unknown>;
    /** Files put into containers (compose's inline configs). */
    configs?: Record<string, { content: string }>;
};

/**
 * A Compose document equivalent to the containers the Pulumi program deploys, so it can
 * be diffed against the seed's file or run by hand. Secrets are `${VAR}` references.
 */
export function composeDocument(projectName: string, specs: ContainerSpec[], networkName: string): ComposeDocument {
    const services: ComposeDocument["services"] = {};
    const configs: NonNullable<ComposeDocument["configs"]> = {};
    for (const spec of specs) {
        const environment: Record<string, string> = {};
        for (const [k, v] of Object.entries(spec.env)) environment[k] = isSecretRef(v) ? composeSecretReference(v.secret) : v;
        const { memoryMb, memorySwapMb } = deployedMemory(spec);
        const resources: Record<string, unknown> = { limits: { memory: composeMemory(memoryMb * MB) } };
        if (spec.gpu) {
            const device: Record<string, unknown> = { driver: "nvidia", capabilities: ["gpu"] };
            if (spec.gpu === "all") device.count = "all";
            else device.device_ids = spec.gpu;
            resources.reservations = { devices: [device] };
        }
        const healthcheck: Record<string, unknown> = {
            test: spec.healthcheck.test,
            interval: duration(spec.healthcheck.intervalSeconds),
            timeout: duration(spec.healthcheck.timeoutSeconds),
            retries: spec.healthcheck.retries,
        };
        if (spec.healthcheck.startPeriodSeconds !== undefined) healthcheck.start_period = duration(spec.healthcheck.startPeriodSeconds);
        const service: Record<string, unknown> = {
            container_name: spec.containerName,
            image: spec.image,
        };
        if (spec.user) service.user = spec.user;
        if (spec.entrypoint) service.entrypoint = spec.entrypoint;
        if (spec.command) service.command = spec.command;
        if (spec.files?.length) {
            service.configs = spec.files.map((f) => {
                const source = `${spec.service}${f.path.replace(/[^A-Za-z0-9]+/g, "-")}`;
                configs[source] = { content: f.content };
                return { source, target: f.path, ...(f.executable ? { mode: 0o755 } : {}) };
            });
        }
        if (spec.securityOpts.length) service.security_opt = spec.securityOpts;
        service.environment = environment;
        if (spec.volumes.length) service.volumes = spec.volumes.map((v) => `${v.hostPath}:${v.containerPath}${v.readOnly ? ":ro" : ""}`);
        service.healthcheck = healthcheck;
        if (spec.ports.length) service.ports = spec.ports.map((p) => `${p.published.host}:${p.published.port}:${p.container}`);
        if (spec.dependsOn.length) {
            // Start only when dependencies are healthy: the compose equivalent of Pulumi's wait.
            service.depends_on = Object.fromEntries(spec.dependsOn.map((d) => [d, { condition: "service_healthy" }]));
        }
        service.labels = containerLabels(spec);
        service.restart = spec.restart;
        // Memory plus swap, as Docker counts it: equal to the limit, so the container never swaps.
        service.memswap_limit = composeMemory(memorySwapMb * MB);
        service.deploy = { resources };
        services[spec.service] = service;
    }
    return { name: projectName, services, networks: { default: { name: networkName } }, ...(Object.keys(configs).length ? { configs } : {}) };
}
