import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { alertRules, longestScheduleGapSeconds } from "../../../components/monitoring/alertRules";
import { grafanaDashboardsYaml, grafanaDatasourceYaml, grafanaStartScript, PROMETHEUS_URL } from "../../../components/monitoring/grafana";
import { MINIO_TOKEN_PATH, PROMETHEUS_CONFIG_PATH, PROMETHEUS_RULES_PATH } from "../../../components/monitoring/paths";
import { prometheusYaml } from "../../../components/monitoring/prometheusConfig";
import { monitoringContainerSpecs, prometheusContainerSpec } from "../../../components/monitoring/specs";
import { deployment, monitoring } from "./fixtures";

describe("prometheus.yml", () => {
    it("scrapes Milvus 9091, etcd 2379, MinIO's cluster metrics with its token file, node-exporter and itself", () => {
        const y = parse(prometheusYaml(deployment(), monitoring()));
        const jobs = Object.fromEntries(y.scrape_configs.map((j: { job_name: string }) => [j.job_name, j]));
        expect(Object.keys(jobs)).toEqual(["milvus", "etcd", "minio", "node", "prometheus"]);
        expect(jobs.milvus.static_configs[0].targets).toEqual(["standalone:9091"]);
        expect(jobs.milvus.metrics_path).toBe("/metrics");
        expect(jobs.etcd.static_configs[0].targets).toEqual(["etcd:2379"]);
        expect(jobs.minio.metrics_path).toBe("/minio/v2/metrics/cluster");
        expect(jobs.minio.authorization).toEqual({ type: "Bearer", credentials_file: MINIO_TOKEN_PATH });
        expect(y.rule_files).toEqual([PROMETHEUS_RULES_PATH]);
    });

    it("labels targets the way the official dashboard's variables filter (namespace, instance, app name, pod)", () => {
        const y = parse(prometheusYaml(deployment(), monitoring()));
        expect(y.scrape_configs[0].static_configs[0].labels).toEqual({
            container: "mon-standalone",
            namespace: "mon",
            app_kubernetes_io_instance: "mon",
            app_kubernetes_io_name: "milvus",
            pod: "mon-standalone",
        });
    });

    it("adds the GPU exporter only where GPUs are reserved and the exporter is on", () => {
        const jobs = (d: ReturnType<typeof deployment>, m: ReturnType<typeof monitoring>) => parse(prometheusYaml(d, m)).scrape_configs.map((j: { job_name: string }) => j.job_name);
        expect(jobs(deployment({ gpu: ["0"] }), monitoring())).toContain("gpu");
        expect(jobs(deployment(), monitoring())).not.toContain("gpu");
        expect(jobs(deployment({ gpu: "all" }), monitoring({ gpuExporter: { enabled: false } }))).not.toContain("gpu");
    });
});

describe("alert rules", () => {
    const byAlert = (rules: ReturnType<typeof alertRules>, name: string) => rules.filter((r) => r.alert === name);

    it("Milvus unhealthy from up{job=milvus}; memory per container against its own limit; disk of the data directory", () => {
        const rules = alertRules(deployment(), monitoring().alerts);
        expect(byAlert(rules, "MilvusUnhealthy")[0].expr).toBe('up{job="milvus"} == 0 or absent(up{job="milvus"})');
        const memory = byAlert(rules, "ContainerMemoryHigh").map((r) => [r.labels?.container, r.expr]);
        expect(memory).toEqual([
            ["mon-standalone", `process_resident_memory_bytes{job="milvus"} > 0.9 * ${8192 * 1024 ** 2}`],
            ["mon-etcd", `process_resident_memory_bytes{job="etcd"} > 0.9 * ${512 * 1024 ** 2}`],
            ["mon-minio", `max(minio_node_process_resident_memory_bytes{job="minio"}) > 0.9 * ${1024 ** 3}`],
        ]);
        expect(byAlert(rules, "DataDiskFull")[0].expr).toMatch(/mountpoint="\/milvus-data".*> 85$/);
        expect(byAlert(rules, "BackupMissing")).toEqual([]);
        expect(byAlert(rules, "RentalEndingSoon")).toEqual([]);
    });

    it("thresholds come from the config", () => {
        const rules = alertRules(deployment(), monitoring({ alerts: { memoryPercent: 75, diskPercent: 70 } }).alerts);
        expect(byAlert(rules, "ContainerMemoryHigh")[0].expr).toMatch(/> 0\.75 \* /);
        expect(byAlert(rules, "DataDiskFull")[0].expr).toMatch(/> 70$/);
    });

    it("backup: the schedule's longest gap plus the grace, on the textfile metric, and when it was never seen", () => {
        expect(longestScheduleGapSeconds("0 3 * * *")).toBe(86400);
        expect(longestScheduleGapSeconds("0 3 * * 1,4")).toBe(4 * 86400);
        expect(longestScheduleGapSeconds("*/15 * * * *")).toBe(900);
        const rules = byAlert(alertRules(deployment({ backup: { stateHostDir: "/data/mon/backup", schedule: "0 3 * * *" } }), monitoring().alerts), "BackupMissing");
        expect(rules.map((r) => [r.expr, r.for])).toEqual([
            ["time() - milvus_gpu_backup_last_success_timestamp_seconds > 90000", "1m"],
            ["absent(milvus_gpu_backup_last_success_timestamp_seconds)", "90000s"],
        ]);
        // On demand only: no window to miss.
        expect(byAlert(alertRules(deployment({ backup: { stateHostDir: "/x" } }), monitoring().alerts), "BackupMissing")).toEqual([]);
    });

    it("rental: the order's end as a recorded series and an alert 24 h before it", () => {
        const rules = alertRules(deployment({ rentalExpiresAt: "2026-12-31T12:00:00Z" }), monitoring().alerts);
        const end = Date.parse("2026-12-31T12:00:00Z") / 1000;
        expect(rules.find((r) => r.record)?.expr).toBe(`vector(${end})`);
        expect(byAlert(rules, "RentalEndingSoon")[0].expr).toBe("milvus_gpu:rental_expires_timestamp_seconds - time() < 86400");
        expect(() => alertRules(deployment({ rentalExpiresAt: "soon" }), monitoring().alerts)).toThrow(/rental.expiresAt: invalid value "soon"/);
    });
});

describe("Grafana provisioning", () => {
    it("one default Prometheus datasource pointing at the deployment's Prometheus", () => {
        const ds = parse(grafanaDatasourceYaml());
        expect(ds.datasources).toHaveLength(1);
        expect(ds.datasources[0]).toMatchObject({ type: "prometheus", url: "http://prometheus:9090", isDefault: true, access: "proxy" });
        expect(PROMETHEUS_URL).toBe("http://prometheus:9090");
    });

    it("a file dashboard provider reading the directory the start script fetches into", () => {
        const p = parse(grafanaDashboardsYaml()).providers[0];
        expect(p.type).toBe("file");
        expect(grafanaStartScript({ url: "https://x/d.json" })).toContain(`FILE=${"$"}{DASHBOARD_FILE:-'${p.options.path}/milvus.json'}`);
        expect(grafanaStartScript(undefined)).not.toContain("wget");
    });
});

describe("container specs", () => {
    it("node-exporter, Prometheus, Grafana (no GPU exporter without GPUs), each memory-limited with its role", () => {
        const specs = monitoringContainerSpecs(deployment(), monitoring());
        expect(specs.map((s) => [s.role, s.containerName, s.memoryBytes])).toEqual([
            ["node-exporter", "mon-node-exporter", 64 * 1024 ** 2],
            ["prometheus", "mon-prometheus", 1024 ** 3],
            ["grafana", "mon-grafana", 512 * 1024 ** 2],
        ]);
        expect(monitoringContainerSpecs(deployment({ gpu: ["0"] }), monitoring()).find((s) => s.role === "gpu-exporter")?.gpu).toEqual(["0"]);
    });

    it("Prometheus: loopback port, data on the host, config files without secrets, the token as a secret env", () => {
        const p = prometheusContainerSpec(deployment(), monitoring());
        expect(p.ports).toEqual([{ container: 9090, published: { host: "127.0.0.1", port: 9090 } }]);
        expect(p.volumes).toEqual([{ hostPath: "/data/mon/monitoring/prometheus", containerPath: "/prometheus" }]);
        expect(p.files?.map((f) => f.path)).toEqual([PROMETHEUS_CONFIG_PATH, PROMETHEUS_RULES_PATH]);
        expect(p.env.MINIO_METRICS_TOKEN).toEqual({ secret: "minioMetricsToken" });
        expect(p.command).toContain("--storage.tsdb.retention.time=15d");
    });

    it("Grafana: the admin password is a secret reference, anonymous access off", () => {
        const g = monitoringContainerSpecs(deployment(), monitoring()).find((s) => s.role === "grafana")!;
        expect(g.env.GF_SECURITY_ADMIN_PASSWORD).toEqual({ secret: "grafanaAdminPassword" });
        expect(g.env.GF_AUTH_ANONYMOUS_ENABLED).toBe("false");
    });

    it("node-exporter sees the data directory and the backup records read-only", () => {
        const n = monitoringContainerSpecs(deployment({ backup: { stateHostDir: "/data/mon/backup", schedule: "0 3 * * *" } }), monitoring())[0];
        expect(n.volumes).toEqual([
            { hostPath: "/data/mon", containerPath: "/milvus-data", readOnly: true },
            { hostPath: "/data/mon/backup", containerPath: "/backup-state", readOnly: true },
        ]);
    });
});
