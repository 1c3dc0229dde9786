import { ContainerSpec, FileSpec, SecretName } from "../standalone/containerSpec";
import { alertRulesYaml } from "./alertRules";
import { BACKUP_METRICS_SCRIPT } from "./backupMetricsScript";
import { MonitoringSettings } from "./config";
import { MonitoredDeployment } from "./deployment";
import { grafanaDashboardsYaml, grafanaDatasourceYaml, GRAFANA_DASHBOARDS_PATH, GRAFANA_DATASOURCE_PATH, grafanaStartScript } from "./grafana";
import {
    GPU_EXPORTER_PORT,
    GRAFANA_DATA_DIR,
    GRAFANA_PORT,
    GRAFANA_START_PATH,
    MINIO_TOKEN_PATH,
    monitoringHostDirs,
    NODE_BACKUP_STATE_MOUNT,
    NODE_DATA_MOUNT,
    NODE_EXPORTER_PORT,
    PROMETHEUS_CONFIG_PATH,
    PROMETHEUS_DATA_DIR,
    PROMETHEUS_PORT,
    PROMETHEUS_RULES_PATH,
    TEXTFILE_DIR,
    TEXTFILE_SCRIPT_PATH,
} from "./paths";
import { MONITORING_SERVICES, prometheusYaml } from "./prometheusConfig";

/*
 * Pure builders: deployment + settings -> the monitoring containers, as plain ContainerSpecs so
 * the render, the compose file and the Docker wiring treat them like the deployment's own.
 */

export type { MonitoringRole } from "../standalone/containerSpec";
export { MONITORING_ROLES } from "../standalone/containerSpec";

/** The secrets only monitoring uses (the MinIO metrics token and Grafana's admin password). */
export type MonitoringSecretName = Extract<SecretName, "minioMetricsToken" | "grafanaAdminPassword">;

export const monitoringContainerNames = (namePrefix: string) => ({
    prometheus: `${namePrefix}-prometheus`,
    grafana: `${namePrefix}-grafana`,
    nodeExporter: `${namePrefix}-node-exporter`,
    gpuExporter: `${namePrefix}-gpu-exporter`,
});

const file = (path: string, content: string, executable = false): FileSpec => ({ path, content, ...(executable ? { executable: true } : {}) });

export function prometheusContainerSpec(d: MonitoredDeployment, m: MonitoringSettings): ContainerSpec {
    const p = m.prometheus;
    const args = [
        `--config.file=${PROMETHEUS_CONFIG_PATH}`,
        `--storage.tsdb.path=${PROMETHEUS_DATA_DIR}`,
        `--storage.tsdb.retention.time=${p.retention}`,
        `--web.listen-address=:${PROMETHEUS_PORT}`,
    ];
    return {
        service: MONITORING_SERVICES.prometheus,
        role: "prometheus",
        containerName: monitoringContainerNames(d.namePrefix).prometheus,
        image: p.image,
        // The MinIO token arrives as a secret env var and goes to a file only the container reads:
        // prometheus.yml itself holds no secret (it is rendered and uploaded as plain text).
        entrypoint: ["/bin/sh", "-c", `umask 077; printf '%s' "$MINIO_METRICS_TOKEN" > ${MINIO_TOKEN_PATH}; unset MINIO_METRICS_TOKEN; exec prometheus "$@"`, "prometheus"],
        command: args,
        files: [file(PROMETHEUS_CONFIG_PATH, prometheusYaml(d, m)), file(PROMETHEUS_RULES_PATH, alertRulesYaml(d, m.alerts))],
        env: { MINIO_METRICS_TOKEN: { secret: "minioMetricsToken" } },
        healthcheck: {
            // promtool ships in the Prometheus image (no wget or curl needed).
            test: ["CMD", "promtool", "check", "ready", `--url=http://localhost:${PROMETHEUS_PORT}`],
            intervalSeconds: 30,
            timeoutSeconds: 10,
            retries: 3,
            startPeriodSeconds: 30,
        },
        memoryBytes: p.memoryBytes,
        ports: p.publish ? [{ container: PROMETHEUS_PORT, published: p.publish }] : [],
        volumes: [{ hostPath: monitoringHostDirs(d.dataDir).prometheus, containerPath: PROMETHEUS_DATA_DIR }],
        securityOpts: [],
        restart: d.restart,
        dependsOn: ["standalone", "etcd", "minio"],
        user: "0:0",
    };
}

export function grafanaContainerSpec(d: MonitoredDeployment, m: MonitoringSettings): ContainerSpec | undefined {
    const g = m.grafana;
    if (!g) return undefined;
    return {
        service: MONITORING_SERVICES.grafana,
        role: "grafana",
        containerName: monitoringContainerNames(d.namePrefix).grafana,
        image: g.image,
        entrypoint: ["/bin/sh", GRAFANA_START_PATH],
        files: [
            file(GRAFANA_DATASOURCE_PATH, grafanaDatasourceYaml()),
            file(GRAFANA_DASHBOARDS_PATH, grafanaDashboardsYaml()),
            file(GRAFANA_START_PATH, grafanaStartScript(g.dashboard), true),
        ],
        env: {
            GF_SECURITY_ADMIN_USER: "admin",
            GF_SECURITY_ADMIN_PASSWORD: { secret: "grafanaAdminPassword" },
            GF_AUTH_ANONYMOUS_ENABLED: "false",
            GF_USERS_ALLOW_SIGN_UP: "false",
            GF_ANALYTICS_REPORTING_ENABLED: "false",
        },
        healthcheck: {
            test: ["CMD-SHELL", `wget -q -O /dev/null http://localhost:${GRAFANA_PORT}/api/health || exit 1`],
            intervalSeconds: 30,
            timeoutSeconds: 10,
            retries: 3,
            startPeriodSeconds: 60,
        },
        memoryBytes: g.memoryBytes,
        ports: g.publish ? [{ container: GRAFANA_PORT, published: g.publish }] : [],
        volumes: [{ hostPath: monitoringHostDirs(d.dataDir).grafana, containerPath: GRAFANA_DATA_DIR }],
        securityOpts: [],
        restart: d.restart,
        dependsOn: [MONITORING_SERVICES.prometheus],
        user: "0:0",
    };
}

export function nodeExporterContainerSpec(d: MonitoredDeployment, m: MonitoringSettings): ContainerSpec {
    return {
        service: MONITORING_SERVICES.nodeExporter,
        role: "node-exporter",
        containerName: monitoringContainerNames(d.namePrefix).nodeExporter,
        image: m.nodeExporter.image,
        // The backup-metrics loop runs beside node_exporter, which the script then becomes.
        entrypoint: ["/bin/sh", TEXTFILE_SCRIPT_PATH],
        command: [
            `--web.listen-address=:${NODE_EXPORTER_PORT}`,
            `--collector.textfile.directory=${TEXTFILE_DIR}`,
            // Only the data directory's filesystem matters here; the container's own are noise.
            `--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|etc|run|var/lib/node-exporter)($|/)`,
        ],
        files: [file(TEXTFILE_SCRIPT_PATH, BACKUP_METRICS_SCRIPT, true)],
        env: { TEXTFILE_DIR, RUNS_FILE: `${NODE_BACKUP_STATE_MOUNT}/runs.jsonl` },
        healthcheck: {
            test: ["CMD-SHELL", `wget -q -O /dev/null http://localhost:${NODE_EXPORTER_PORT}/metrics || exit 1`],
            intervalSeconds: 30,
            timeoutSeconds: 10,
            retries: 3,
        },
        memoryBytes: m.nodeExporter.memoryBytes,
        ports: [],
        volumes: [
            { hostPath: d.dataDir, containerPath: NODE_DATA_MOUNT, readOnly: true },
            ...(d.backup ? [{ hostPath: d.backup.stateHostDir, containerPath: NODE_BACKUP_STATE_MOUNT, readOnly: true }] : []),
        ],
        securityOpts: [],
        restart: d.restart,
        dependsOn: [],
        user: "0:0",
    };
}

export function gpuExporterContainerSpec(d: MonitoredDeployment, m: MonitoringSettings): ContainerSpec | undefined {
    if (!d.gpu || !m.gpuExporter) return undefined;
    return {
        service: MONITORING_SERVICES.gpuExporter,
        role: "gpu-exporter",
        containerName: monitoringContainerNames(d.namePrefix).gpuExporter,
        image: m.gpuExporter.image,
        env: { NVIDIA_VISIBLE_DEVICES: d.gpu === "all" ? "all" : d.gpu.join(","), NVIDIA_DRIVER_CAPABILITIES: "compute,utility" },
        healthcheck: {
            test: ["CMD-SHELL", `curl -fsS -o /dev/null http://localhost:${GPU_EXPORTER_PORT}/metrics || exit 1`],
            intervalSeconds: 30,
            timeoutSeconds: 10,
            retries: 3,
            startPeriodSeconds: 30,
        },
        memoryBytes: m.gpuExporter.memoryBytes,
        gpu: d.gpu,
        ports: [],
        volumes: [],
        securityOpts: [],
        restart: d.restart,
        dependsOn: [],
    };
}

/** Every monitoring container of a deployment, in start order. */
export function monitoringContainerSpecs(d: MonitoredDeployment, m: MonitoringSettings): ContainerSpec[] {
    return [nodeExporterContainerSpec(d, m), gpuExporterContainerSpec(d, m), prometheusContainerSpec(d, m), grafanaContainerSpec(d, m)].filter(
        (s): s is ContainerSpec => s !== undefined,
    );
}
