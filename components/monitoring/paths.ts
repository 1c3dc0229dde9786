/** Where the monitoring containers keep their files, inside the containers and on the host. */

export const PROMETHEUS_CONFIG_PATH = "/etc/prometheus/prometheus.yml";
export const PROMETHEUS_RULES_PATH = "/etc/prometheus/rules/milvus-gpu.rules.yml";
export const PROMETHEUS_DATA_DIR = "/prometheus";
/** Written by the Prometheus entrypoint from the MINIO_METRICS_TOKEN env (a secret), never part of a spec. */
export const MINIO_TOKEN_PATH = "/prometheus/.minio-metrics-token";
export const PROMETHEUS_PORT = 9090;

export const GRAFANA_PROVISIONING_DIR = "/etc/grafana/provisioning";
export const GRAFANA_DATA_DIR = "/var/lib/grafana";
export const GRAFANA_DASHBOARD_DIR = "/var/lib/grafana/dashboards";
export const GRAFANA_START_PATH = "/usr/local/lib/milvus-gpu/grafana-start.sh";
export const GRAFANA_PORT = 3000;

export const NODE_EXPORTER_PORT = 9100;
/** The data directory as node-exporter sees it (read-only): its filesystem's size and free space. */
export const NODE_DATA_MOUNT = "/milvus-data";
export const NODE_BACKUP_STATE_MOUNT = "/backup-state";
export const TEXTFILE_DIR = "/var/lib/node-exporter/textfile";
export const TEXTFILE_SCRIPT_PATH = "/usr/local/lib/milvus-gpu/backup-metrics.sh";

export const GPU_EXPORTER_PORT = 9400;

/** Host directories under the deployment's data directory. */
export const monitoringHostDirs = (dataDir: string) => ({
    prometheus: `${dataDir}/monitoring/prometheus`,
    grafana: `${dataDir}/monitoring/grafana`,
});
