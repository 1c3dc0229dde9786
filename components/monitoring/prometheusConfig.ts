import { stringify } from "yaml";
import { MonitoringSettings } from "./config";
import { MonitoredDeployment, WatchedContainer } from "./deployment";
import { GPU_EXPORTER_PORT, MINIO_TOKEN_PATH, NODE_EXPORTER_PORT, PROMETHEUS_PORT, PROMETHEUS_RULES_PATH } from "./paths";

/** Network names of the monitoring containers on the deployment's private network. */
export const MONITORING_SERVICES = { prometheus: "prometheus", grafana: "grafana", nodeExporter: "node-exporter", gpuExporter: "gpu-exporter" } as const;

/** Scrape job names; the alert rules select by them. */
export const JOBS = { milvus: "milvus", etcd: "etcd", minio: "minio", node: "node", gpu: "gpu", prometheus: "prometheus" } as const;

/** MinIO's cluster metrics path (v2 API), which needs a bearer token signed with MinIO's keys. */
export const MINIO_METRICS_PATH = "/minio/v2/metrics/cluster";

/**
 * Labels the official Milvus dashboard filters on (its variables are Kubernetes labels). Set as
 * target labels so its panels find a Docker deployment too: namespace and instance are the
 * deployment's prefix, pod the container.
 */
function targetLabels(d: MonitoredDeployment, c: WatchedContainer, appName: string): Record<string, string> {
    return {
        container: c.containerName,
        namespace: d.namePrefix,
        app_kubernetes_io_instance: d.namePrefix,
        app_kubernetes_io_name: appName,
        pod: c.containerName,
    };
}

interface ScrapeConfig {
    job_name: string;
    metrics_path?: string;
    authorization?: { type: string; credentials_file: string };
    static_configs: { targets: string[]; labels?: Record<string, string> }[];
}

export function scrapeConfigs(d: MonitoredDeployment, m: MonitoringSettings): ScrapeConfig[] {
    const jobs: ScrapeConfig[] = [
        { job_name: JOBS.milvus, metrics_path: "/metrics", static_configs: [{ targets: [`${d.milvus.service}:9091`], labels: targetLabels(d, d.milvus, "milvus") }] },
        { job_name: JOBS.etcd, metrics_path: "/metrics", static_configs: [{ targets: [`${d.etcd.service}:2379`], labels: targetLabels(d, d.etcd, "etcd") }] },
        {
            job_name: JOBS.minio,
            metrics_path: MINIO_METRICS_PATH,
            authorization: { type: "Bearer", credentials_file: MINIO_TOKEN_PATH },
            static_configs: [{ targets: [`${d.minio.service}:9000`], labels: targetLabels(d, d.minio, "minio") }],
        },
        { job_name: JOBS.node, static_configs: [{ targets: [`${MONITORING_SERVICES.nodeExporter}:${NODE_EXPORTER_PORT}`] }] },
    ];
    if (d.gpu && m.gpuExporter) jobs.push({ job_name: JOBS.gpu, static_configs: [{ targets: [`${MONITORING_SERVICES.gpuExporter}:${GPU_EXPORTER_PORT}`] }] });
    jobs.push({ job_name: JOBS.prometheus, static_configs: [{ targets: [`localhost:${PROMETHEUS_PORT}`] }] });
    return jobs;
}

/** prometheus.yml: the scrape jobs and the rule file; no secrets (the MinIO token is read from a file). */
export function prometheusYaml(d: MonitoredDeployment, m: MonitoringSettings): string {
    return stringify({
        global: { scrape_interval: "15s", evaluation_interval: "15s", external_labels: { deployment: d.namePrefix } },
        rule_files: [PROMETHEUS_RULES_PATH],
        scrape_configs: scrapeConfigs(d, m),
    });
}
