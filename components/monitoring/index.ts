export { parseMonitoringConfig, monitoringConfigSchema, monitoringShape, DEFAULT_MONITORING_IMAGES, OFFICIAL_DASHBOARD_URL } from "./config";
export type { MonitoringArgs, MonitoringConfig, PrometheusConfig, GrafanaConfig, ExporterConfig, AlertThresholds, DashboardSource } from "./config";
export { monitoredDeployment } from "./deployment";
export type { MonitoredDeployment, WatchedContainer } from "./deployment";
export { prometheusYaml, scrapeConfigs, JOBS, MONITORING_SERVICES } from "./prometheusConfig";
export { alertRules, alertRulesYaml, longestScheduleGapSeconds, BACKUP_SUCCESS_METRIC, RENTAL_END_METRIC } from "./alertRules";
export { grafanaDatasourceYaml, grafanaDashboardsYaml, grafanaStartScript, PROMETHEUS_URL } from "./grafana";
export { BACKUP_METRICS_SCRIPT } from "./backupMetricsScript";
export { minioMetricsToken } from "./minioMetricsToken";
export {
    monitoringContainerSpecs,
    monitoringContainerNames,
    prometheusContainerSpec,
    grafanaContainerSpec,
    nodeExporterContainerSpec,
    gpuExporterContainerSpec,
    MONITORING_ROLES,
} from "./specs";
export type { MonitoringContainerSpec, MonitoringRole, MonitoringSecretName } from "./specs";
export { monitoringContainerArgs } from "./dockerArgs";
export { MilvusMonitoring } from "./milvusMonitoring";
export type { MilvusMonitoringArgs } from "./milvusMonitoring";
