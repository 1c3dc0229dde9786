import { bool, block, hostAddress, int, mapping, matching, memory, parseWith, port, str, z } from "../configSchema";
import { isPinnedImage } from "../standalone/releases";
import { PublishedPort } from "../standalone/settings";

/**
 * `milvus-gpu:monitoring`: Prometheus (with alert rules), Grafana and the exporters beside a
 * standalone deployment. Off by default: it adds four containers and a gigabyte of memory.
 */

export const DEFAULT_MONITORING_IMAGES = {
    prometheus: "prom/prometheus:v3.16.0",
    grafana: "grafana/grafana:12.2.1",
    nodeExporter: "prom/node-exporter:v1.12.1",
    gpuExporter: "nvcr.io/nvidia/k8s/dcgm-exporter:3.3.9-3.6.1-ubuntu22.04",
} as const;

/**
 * The official Milvus dashboard, fetched on the host when Grafana starts (never copied into this
 * package). The URL names a release tag, so the bytes do not move under a deployment.
 */
export const OFFICIAL_DASHBOARD_URL = "https://raw.githubusercontent.com/milvus-io/milvus/v2.3.5/deployments/monitor/grafana/milvus-dashboard.json";

export interface PrometheusSettings {
    image: string;
    memoryBytes: number;
    /** Where the web UI and API are published; undefined: not published (Grafana reaches it on the private network). */
    publish?: PublishedPort;
    /** How long samples are kept, in Prometheus's duration form ("15d"). */
    retention: string;
}

export interface DashboardSource {
    url: string;
    /** Hex SHA-256 the download must have; undefined: the checksum seen is recorded beside the file and logged. */
    sha256?: string;
}

export interface GrafanaSettings {
    image: string;
    memoryBytes: number;
    publish?: PublishedPort;
    /** The Milvus dashboard to provision; undefined: the datasource only. */
    dashboard?: DashboardSource;
}

export interface ExporterSettings {
    image: string;
    memoryBytes: number;
}

export interface AlertThresholds {
    /** Memory in use as a percentage of the container's limit. */
    memoryPercent: number;
    /** Used space of the data directory's filesystem, in percent. */
    diskPercent: number;
    /** Warn this many hours before the Clore rental ends. */
    rentalHours: number;
    /** Slack after the schedule's longest gap before a missing backup alerts (a backup takes time). */
    backupGraceMinutes: number;
}

export interface MonitoringSettings {
    prometheus: PrometheusSettings;
    grafana?: GrafanaSettings;
    /** Host metrics (disk of the data directory) and the textfile metrics (last backup). */
    nodeExporter: ExporterSettings;
    /** NVIDIA DCGM exporter; deployed only where Milvus has GPUs reserved. undefined: never. */
    gpuExporter?: ExporterSettings;
    alerts: AlertThresholds;
}

/** The block as a user writes it (stack file or component args). */
export interface MonitoringArgs {
    enabled?: boolean;
    prometheus?: { image?: string; memory?: string; publish?: boolean | { host?: string; port?: number }; retention?: string };
    grafana?: {
        enabled?: boolean;
        image?: string;
        memory?: string;
        publish?: boolean | { host?: string; port?: number };
        dashboard?: boolean | { url: string; sha256?: string };
    };
    nodeExporter?: { image?: string; memory?: string };
    gpuExporter?: { enabled?: boolean; image?: string; memory?: string };
    alerts?: { memoryPercent?: number; diskPercent?: number; rentalHours?: number; backupGraceMinutes?: number };
}

const LOOPBACK = "127.0.0.1";
const PINNED = "an image pinned to an exact tag or digest (for example prom/prometheus:v3.16.0), not latest or untagged";
const pinned = (fallback: string) => str(PINNED).refine(isPinnedImage, { error: PINNED }).default(fallback);

/** `true`/absent: loopback at the default port; `false`: not published; or {host, port}. */
function publish(defaultPort: number, name: string) {
    const where = mapping({ host: hostAddress().default(LOOPBACK), port: port().default(defaultPort) }, name);
    return z
        .union([z.literal(true), z.literal(false), z.literal("true"), z.literal("false"), where], {
            error: `true, false or {host, port} (where ${name} is published; default host ${LOOPBACK}, port ${defaultPort})`,
        })
        .default(true)
        .transform((v): PublishedPort | undefined => {
            if (v === false || v === "false") return undefined;
            if (v === true || v === "true") return { host: LOOPBACK, port: defaultPort };
            return v;
        });
}

const DURATION_ALLOWED = 'a Prometheus duration such as "15d", "12h" or "4w" (units ms, s, m, h, d, w, y)';
const SHA256_ALLOWED = "64 hexadecimal characters (the sha256sum of the dashboard file)";
const URL_ALLOWED = "an https:// URL of a Grafana dashboard JSON file, pinned to a tag or commit";

const dashboardSchema = z
    .union(
        [
            z.literal(true),
            z.literal(false),
            mapping(
                {
                    url: matching(/^https:\/\/\S+$/, URL_ALLOWED).describe("where the dashboard JSON is downloaded from on the host"),
                    sha256: matching(/^[0-9a-fA-F]{64}$/, SHA256_ALLOWED).optional().describe("checksum the download must match"),
                },
                "monitoring.grafana.dashboard",
            ),
        ],
        { error: `true (the official Milvus dashboard), false, or {url, sha256}` },
    )
    .default(true)
    .transform((v): DashboardSource | undefined => {
        if (v === false) return undefined;
        if (v === true) return { url: OFFICIAL_DASHBOARD_URL };
        return { url: v.url, ...(v.sha256 ? { sha256: v.sha256.toLowerCase() } : {}) };
    });

const percent = (fallback: number) => int({ min: 1, max: 99 }).default(fallback);

export const monitoringShape = {
    enabled: bool().default(false).describe("deploy Prometheus, Grafana and the exporters beside Milvus (off by default)"),
    prometheus: block(
        {
            image: pinned(DEFAULT_MONITORING_IMAGES.prometheus).describe("Prometheus image"),
            memory: memory().prefault("1g").describe("memory limit of the Prometheus container"),
            publish: publish(9090, "Prometheus").describe("publish the web UI and API on the host (loopback by default; Prometheus has no login here)"),
            retention: matching(/^(\d+(ms|s|m|h|d|w|y))+$/, DURATION_ALLOWED).default("15d").describe("how long samples are kept"),
        },
        "monitoring.prometheus",
    ),
    grafana: block(
        {
            enabled: bool().default(true).describe("deploy Grafana"),
            image: pinned(DEFAULT_MONITORING_IMAGES.grafana).describe("Grafana image"),
            memory: memory().prefault("512m").describe("memory limit of the Grafana container"),
            publish: publish(3000, "Grafana").describe("publish Grafana on the host (loopback by default)"),
            dashboard: dashboardSchema.describe("the Milvus dashboard provisioned: true = the official one, fetched on the host at start"),
        },
        "monitoring.grafana",
    ),
    nodeExporter: block(
        {
            image: pinned(DEFAULT_MONITORING_IMAGES.nodeExporter).describe("node-exporter image (disk of the data directory, backup metrics)"),
            memory: memory().prefault("64m").describe("memory limit of the node-exporter container"),
        },
        "monitoring.nodeExporter",
    ),
    gpuExporter: block(
        {
            enabled: bool().default(true).describe("deploy the NVIDIA DCGM exporter when Milvus has GPUs reserved"),
            image: pinned(DEFAULT_MONITORING_IMAGES.gpuExporter).describe("DCGM exporter image"),
            memory: memory().prefault("256m").describe("memory limit of the GPU exporter container"),
        },
        "monitoring.gpuExporter",
    ),
    alerts: block(
        {
            memoryPercent: percent(90).describe("alert when a container's memory passes this share of its limit"),
            diskPercent: percent(85).describe("alert when the data directory's filesystem is this full"),
            rentalHours: int({ min: 1, max: 720 }).default(24).describe("alert this many hours before a Clore rental ends"),
            backupGraceMinutes: int({ min: 1, max: 1440 }).default(60).describe("minutes after the schedule's longest gap before a missing backup alerts"),
        },
        "monitoring.alerts",
    ),
};

const description = "Prometheus with alert rules, Grafana with the Milvus dashboard, node and GPU exporters beside a standalone deployment (off by default)";

/** The block as stack files hold it (for the JSON Schema). */
export const monitoringSettingsSchema = block(monitoringShape, "monitoring").describe(description);

const monitoringSchema = block(monitoringShape, "monitoring")
    .transform((m): MonitoringSettings | undefined => {
        if (!m.enabled) return undefined;
        const p = m.prometheus;
        const g = m.grafana;
        return {
            prometheus: { image: p.image, memoryBytes: p.memory, retention: p.retention, ...(p.publish ? { publish: p.publish } : {}) },
            ...(g.enabled
                ? { grafana: { image: g.image, memoryBytes: g.memory, ...(g.publish ? { publish: g.publish } : {}), ...(g.dashboard ? { dashboard: g.dashboard } : {}) } }
                : {}),
            nodeExporter: { image: m.nodeExporter.image, memoryBytes: m.nodeExporter.memory },
            ...(m.gpuExporter.enabled ? { gpuExporter: { image: m.gpuExporter.image, memoryBytes: m.gpuExporter.memory } } : {}),
            alerts: { ...m.alerts },
        };
    })
    .describe(description);

/** Validates `milvus-gpu:monitoring`; undefined when it is absent or not enabled. */
export function parseMonitoringSettings(raw: unknown, field = "monitoring"): MonitoringSettings | undefined {
    if (raw === undefined || raw === null) return undefined;
    return parseWith(monitoringSchema, raw, field);
}
