import { describe, expect, it } from "vitest";
import { ContainerSpec, isSecretRef } from "../../../components/standalone/containerSpec";
import { parseStandaloneSettings } from "../../../components/standalone/settings";
import { standaloneContainerSpecs } from "../../../components/standalone/specs";

const byService = (specs: ContainerSpec[]) => Object.fromEntries(specs.map((s) => [s.service, s]));
const plain = byService(standaloneContainerSpecs(parseStandaloneSettings({ dataDir: "/srv/milvus" })));
const gpuAll = byService(standaloneContainerSpecs(parseStandaloneSettings({ milvus: { gpu: true } })));
const gpuIds = byService(standaloneContainerSpecs(parseStandaloneSettings({ milvus: { gpu: [0, "2"] } })));

describe("GPU request", () => {
    it("is absent on every container when no GPU is configured, and the plain image is used", () => {
        for (const spec of Object.values(plain)) expect(spec.gpu).toBeUndefined();
        expect(plain.standalone.image).toBe("milvusdb/milvus:v3.0.2");
        expect(plain.standalone.env.NVIDIA_VISIBLE_DEVICES).toBeUndefined();
    });

    it("is on Milvus only, with the -gpu image, when a GPU is configured", () => {
        expect(gpuAll.standalone.gpu).toBe("all");
        expect(gpuAll.standalone.image).toBe("milvusdb/milvus:v3.0.2-gpu");
        expect(gpuAll.etcd.gpu).toBeUndefined();
        expect(gpuAll.minio.gpu).toBeUndefined();
        expect(gpuAll.standalone.env.NVIDIA_DRIVER_CAPABILITIES).toBe("compute,utility");
    });

    it("names the given device ids", () => {
        expect(gpuIds.standalone.gpu).toEqual(["0", "2"]);
        expect(gpuIds.standalone.env.NVIDIA_VISIBLE_DEVICES).toBe("0,2");
    });
});

describe("healthchecks follow the seed's probes and timings", () => {
    it("etcd", () => {
        expect(plain.etcd.healthcheck).toEqual({ test: ["CMD", "etcdctl", "endpoint", "health"], intervalSeconds: 30, timeoutSeconds: 20, retries: 3 });
    });
    it("MinIO", () => {
        expect(plain.minio.healthcheck.test).toEqual(["CMD", "curl", "-f", "http://localhost:9000/minio/health/live"]);
        expect(plain.minio.healthcheck).toMatchObject({ intervalSeconds: 30, timeoutSeconds: 20, retries: 3 });
    });
    it("Milvus, with the 90 s start period", () => {
        expect(plain.standalone.healthcheck).toEqual({
            test: ["CMD", "curl", "-f", "http://localhost:9091/healthz"],
            intervalSeconds: 30,
            startPeriodSeconds: 90,
            timeoutSeconds: 20,
            retries: 3,
        });
    });
});

describe("memory limits", () => {
    it("default on every container", () => {
        expect(plain.etcd.memoryBytes).toBe(2 * 1024 ** 3);
        expect(plain.minio.memoryBytes).toBe(4 * 1024 ** 3);
        expect(plain.standalone.memoryBytes).toBe(16 * 1024 ** 3);
    });
    it("follow config", () => {
        const s = byService(standaloneContainerSpecs(parseStandaloneSettings({ milvus: { memory: "24g" }, etcd: { memory: "768m" } })));
        expect(s.standalone.memoryBytes).toBe(24 * 1024 ** 3);
        expect(s.etcd.memoryBytes).toBe(768 * 1024 ** 2);
    });
});

describe("volumes", () => {
    it("put each service's data under the configured host directory", () => {
        expect(plain.etcd.volumes).toEqual([{ hostPath: "/srv/milvus/etcd", containerPath: "/etcd" }]);
        expect(plain.minio.volumes).toEqual([{ hostPath: "/srv/milvus/minio", containerPath: "/minio_data" }]);
        expect(plain.standalone.volumes).toEqual([{ hostPath: "/srv/milvus/milvus", containerPath: "/var/lib/milvus" }]);
    });
});

describe("credentials", () => {
    it("are secret references, never literal values, and never the defaults", () => {
        for (const spec of Object.values(plain)) {
            for (const [key, value] of Object.entries(spec.env)) {
                if (/KEY|PASSWORD|SECRET/.test(key)) expect(isSecretRef(value), `${spec.service}.${key}`).toBe(true);
                expect(JSON.stringify(value)).not.toMatch(/minioadmin|"Milvus"/);
            }
        }
    });
    it("Milvus uses the same MinIO keys as MinIO, and authentication is on", () => {
        expect(plain.standalone.env.MINIO_ACCESS_KEY_ID).toEqual({ secret: "minioAccessKey" });
        expect(plain.minio.env.MINIO_ACCESS_KEY).toEqual({ secret: "minioAccessKey" });
        expect(plain.standalone.env.COMMON_SECURITY_AUTHORIZATIONENABLED).toBe("true");
        expect(plain.standalone.env.COMMON_SECURITY_DEFAULTROOTPASSWORD).toEqual({ secret: "milvusRootPassword" });
    });
});

describe("published ports", () => {
    it("are 19530 and 9091 for Milvus, none for etcd and MinIO by default", () => {
        expect(plain.standalone.ports.map((p) => [p.container, p.published.port])).toEqual([
            [19530, 19530],
            [9091, 9091],
        ]);
        expect(plain.etcd.ports).toEqual([]);
        expect(plain.minio.ports).toEqual([]);
    });
    it("publish etcd and MinIO on loopback only when asked", () => {
        const s = byService(standaloneContainerSpecs(parseStandaloneSettings({ etcd: { publish: true }, minio: { publishConsole: { port: 9901 } } })));
        expect(s.etcd.ports).toEqual([{ container: 2379, published: { host: "127.0.0.1", port: 2379 } }]);
        expect(s.minio.ports).toEqual([{ container: 9001, published: { host: "127.0.0.1", port: 9901 } }]);
    });
});

describe("Milvus container", () => {
    it("runs standalone with seccomp unconfined, after etcd and MinIO", () => {
        expect(plain.standalone.command).toEqual(["milvus", "run", "standalone"]);
        expect(plain.standalone.securityOpts).toEqual(["seccomp:unconfined"]);
        expect(plain.standalone.dependsOn).toEqual(["etcd", "minio"]);
        expect(plain.standalone.env.ETCD_ENDPOINTS).toBe("etcd:2379");
        expect(plain.standalone.env.MINIO_ADDRESS).toBe("minio:9000");
    });
    it("adds Attu only when enabled", () => {
        expect(plain.attu).toBeUndefined();
        const s = byService(standaloneContainerSpecs(parseStandaloneSettings({ attu: { enabled: true } })));
        expect(s.attu.env.MILVUS_URL).toBe("standalone:19530");
        expect(s.attu.ports[0].published.host).toBe("127.0.0.1");
    });
});
