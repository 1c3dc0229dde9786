import { stringify } from "yaml";
import { DashboardSource } from "./config";
import { GRAFANA_DASHBOARD_DIR, GRAFANA_PROVISIONING_DIR, PROMETHEUS_PORT } from "./paths";
import { MONITORING_SERVICES } from "./prometheusConfig";

/** The datasource's fixed uid: dashboards and alerts can refer to it across re-deployments. */
export const PROMETHEUS_DATASOURCE_UID = "milvus-gpu-prometheus";
export const PROMETHEUS_URL = `http://${MONITORING_SERVICES.prometheus}:${PROMETHEUS_PORT}`;
export const DASHBOARD_FILE = `${GRAFANA_DASHBOARD_DIR}/milvus.json`;

export const GRAFANA_DATASOURCE_PATH = `${GRAFANA_PROVISIONING_DIR}/datasources/milvus-gpu.yaml`;
export const GRAFANA_DASHBOARDS_PATH = `${GRAFANA_PROVISIONING_DIR}/dashboards/milvus-gpu.yaml`;

/** Grafana's datasource provisioning: the deployment's Prometheus, on the private network. */
export function grafanaDatasourceYaml(): string {
    return stringify({
        apiVersion: 1,
        datasources: [{ name: "Prometheus", uid: PROMETHEUS_DATASOURCE_UID, type: "prometheus", access: "proxy", url: PROMETHEUS_URL, isDefault: true, editable: false }],
    });
}

/** Grafana's dashboard provider: every JSON file in the dashboards directory, in a "Milvus" folder. */
export function grafanaDashboardsYaml(): string {
    return stringify({
        apiVersion: 1,
        providers: [{ name: "milvus-gpu", folder: "Milvus", type: "file", disableDeletion: true, allowUiUpdates: false, options: { path: GRAFANA_DASHBOARD_DIR } }],
    });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Grafana's entrypoint: fetches the dashboard once (kept on the host across restarts), checks its
 * SHA-256 when one is configured (else records the one it saw beside the file), then starts Grafana.
 * A failed download or a wrong checksum stops the container with the reason in its log.
 */
export function grafanaStartScript(dashboard: DashboardSource | undefined): string {
    const lines = ["#!/bin/sh", "set -eu"];
    if (dashboard) {
        lines.push(
            `URL=${quote(dashboard.url)}`,
            `WANT=${quote(dashboard.sha256 ?? "")}`,
            // Overridable for tests only; the container uses the defaults.
            `FILE=\${DASHBOARD_FILE:-${quote(DASHBOARD_FILE)}}`,
            'mkdir -p "$(dirname "$FILE")"',
            'if [ ! -s "$FILE" ]; then',
            '    echo "milvus-gpu: fetching the Milvus dashboard from $URL"',
            '    if command -v wget >/dev/null 2>&1; then wget -q -O "$FILE.part" "$URL"; else curl -fsSL -o "$FILE.part" "$URL"; fi ||',
            '        { echo "milvus-gpu: cannot download the Milvus dashboard from $URL; set monitoring.grafana.dashboard: false on a host without internet access" >&2; rm -f "$FILE.part"; exit 41; }',
            '    GOT=$(sha256sum "$FILE.part" | cut -d" " -f1)',
            '    if [ -n "$WANT" ] && [ "$GOT" != "$WANT" ]; then',
            '        echo "milvus-gpu: the dashboard at $URL has sha256 $GOT, not the configured $WANT; check the URL or update monitoring.grafana.dashboard.sha256" >&2',
            '        rm -f "$FILE.part"; exit 42',
            "    fi",
            '    mv "$FILE.part" "$FILE"; printf "%s  %s\\n" "$GOT" "$URL" > "$FILE.sha256"',
            '    echo "milvus-gpu: Milvus dashboard sha256 $GOT"',
            "fi",
        );
    }
    // /run.sh: the Grafana image's own entrypoint.
    lines.push('exec "${GRAFANA_RUN:-/run.sh}" "$@"', "");
    return lines.join("\n");
}
