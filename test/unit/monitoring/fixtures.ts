import { parseMonitoringSettings, MonitoringSettings } from "../../../components/monitoring/config";
import { MonitoredDeployment } from "../../../components/monitoring/deployment";

const MiB = 1024 ** 2;

export function deployment(extra: Partial<MonitoredDeployment> = {}): MonitoredDeployment {
    return {
        namePrefix: "mon",
        dataDir: "/data/mon",
        restart: "unless-stopped",
        milvus: { containerName: "mon-standalone", service: "standalone", memoryBytes: 8192 * MiB },
        etcd: { containerName: "mon-etcd", service: "etcd", memoryBytes: 512 * MiB },
        minio: { containerName: "mon-minio", service: "minio", memoryBytes: 1024 * MiB },
        ...extra,
    };
}

export function monitoring(raw: Record<string, unknown> = {}): MonitoringSettings {
    const m = parseMonitoringSettings({ enabled: true, ...raw });
    if (!m) throw new Error("monitoring is off");
    return m;
}
