import { describe, expect, it } from "vitest";
import { DEFAULT_MONITORING_IMAGES, OFFICIAL_DASHBOARD_URL, parseMonitoringSettings } from "../../../components/monitoring/config";
import { configErrorsOf } from "../../helpers/configErrors";

describe("milvus-gpu:monitoring config", () => {
    it("is off when absent or not enabled", () => {
        expect(parseMonitoringSettings(undefined)).toBeUndefined();
        expect(parseMonitoringSettings({})).toBeUndefined();
        expect(parseMonitoringSettings({ enabled: false, prometheus: { memory: "2g" } })).toBeUndefined();
    });

    it("enabled: pinned images, memory limits, loopback publishing, the official dashboard and 90/85/24 thresholds", () => {
        const m = parseMonitoringSettings({ enabled: true })!;
        expect(m.prometheus).toEqual({ image: DEFAULT_MONITORING_IMAGES.prometheus, memoryBytes: 1024 ** 3, retention: "15d", publish: { host: "127.0.0.1", port: 9090 } });
        expect(m.grafana).toEqual({
            image: DEFAULT_MONITORING_IMAGES.grafana,
            memoryBytes: 512 * 1024 ** 2,
            publish: { host: "127.0.0.1", port: 3000 },
            dashboard: { url: OFFICIAL_DASHBOARD_URL },
        });
        expect(m.nodeExporter.image).toBe(DEFAULT_MONITORING_IMAGES.nodeExporter);
        expect(m.gpuExporter?.image).toBe(DEFAULT_MONITORING_IMAGES.gpuExporter);
        expect(m.alerts).toEqual({ memoryPercent: 90, diskPercent: 85, rentalHours: 24, backupGraceMinutes: 60 });
    });

    it("takes explicit publishing, no Grafana, no GPU exporter and a checksummed dashboard", () => {
        const sha = "AB".repeat(32);
        const m = parseMonitoringSettings({
            enabled: "true",
            prometheus: { publish: false, retention: "30d" },
            grafana: { publish: { host: "0.0.0.0", port: 3300 }, dashboard: { url: "https://example.com/d.json", sha256: sha } },
            gpuExporter: { enabled: false },
        })!;
        expect(m.prometheus.publish).toBeUndefined();
        expect(m.prometheus.retention).toBe("30d");
        expect(m.grafana?.publish).toEqual({ host: "0.0.0.0", port: 3300 });
        expect(m.grafana?.dashboard).toEqual({ url: "https://example.com/d.json", sha256: sha.toLowerCase() });
        expect(m.gpuExporter).toBeUndefined();
        expect(parseMonitoringSettings({ enabled: true, grafana: { enabled: false } })!.grafana).toBeUndefined();
        expect(parseMonitoringSettings({ enabled: true, grafana: { dashboard: false } })!.grafana?.dashboard).toBeUndefined();
    });

    it("refuses bad values naming the field, the value and what is allowed", () => {
        const errors = configErrorsOf(() =>
            parseMonitoringSettings({
                enabled: true,
                prometheus: { image: "prom/prometheus:latest", retention: "two weeks" },
                grafana: { dashboard: { url: "http://example.com/d.json", sha256: "abc" } },
                alerts: { diskPercent: 100 },
                extra: 1,
            }),
        );
        const byField = Object.fromEntries(errors.map((e) => [e.field, e.message]));
        expect(byField["monitoring.prometheus.image"]).toMatch(/invalid value "prom\/prometheus:latest"; expected an image pinned/);
        expect(byField["monitoring.prometheus.retention"]).toMatch(/"two weeks".*Prometheus duration/);
        expect(byField["monitoring.grafana.dashboard.url"]).toMatch(/https:\/\//);
        expect(byField["monitoring.grafana.dashboard.sha256"]).toMatch(/64 hexadecimal/);
        expect(byField["monitoring.alerts.diskPercent"]).toMatch(/100.*from 1 to 99/);
        expect(Object.keys(byField).some((f) => f.startsWith("monitoring"))).toBe(true);
        expect(errors.some((e) => /extra/.test(e.message) || e.field.endsWith("extra"))).toBe(true);
    });
});

describe("milvus-gpu:monitoring JSON Schema (for stack files)", () => {
    it("is generated from the same definitions: accepts what the parser accepts, refuses unknown keys and wrong types", async () => {
        const { default: Ajv } = await import("ajv");
        const { toJsonSchema } = await import("../../../components/configSchema");
        const { monitoringSettingsSchema } = await import("../../../components/monitoring/config");
        const validate = new Ajv({ strict: false }).compile(toJsonSchema(monitoringSettingsSchema));
        const good = { enabled: true, prometheus: { publish: false, memory: "2g" }, grafana: { dashboard: { url: "https://example.com/d.json" } }, alerts: { diskPercent: 80 } };
        expect(validate(good), JSON.stringify(validate.errors)).toBe(true);
        expect(parseMonitoringSettings(good)).toBeDefined();
        expect(validate({ enabled: true, prometheus: { retention: 15 } })).toBe(false);
        expect(validate({ enabled: true, grafana: { colour: "blue" } })).toBe(false);
    });
});
