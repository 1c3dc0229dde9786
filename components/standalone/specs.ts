import { ContainerSpec } from "./containerSpec";
import { StandaloneSettings } from "./settings";
import { TLS_CONTAINER_DIR, tlsEnv, tlsHostDir } from "./tlsCertificate";

/*
 * Pure builders: settings -> container specs. The program, the offline renderer and the
 * policy checks all read these, so what is rendered is what is deployed.
 */

/** Docker names of a deployment's containers. */
export const containerNames = (s: StandaloneSettings) => ({
    etcd: `${s.namePrefix}-etcd`,
    minio: `${s.namePrefix}-minio`,
    milvus: `${s.namePrefix}-standalone`,
    attu: `${s.namePrefix}-attu`,
});

export function etcdContainerSpec(s: StandaloneSettings): ContainerSpec {
    return {
        service: "etcd",
        role: "etcd",
        containerName: containerNames(s).etcd,
        image: s.etcd.image,
        env: {
            // The seed's compaction and quota settings keep etcd's database bounded.
            ETCD_AUTO_COMPACTION_MODE: "revision",
            ETCD_AUTO_COMPACTION_RETENTION: "1000",
            ETCD_QUOTA_BACKEND_BYTES: "4294967296",
            ETCD_SNAPSHOT_COUNT: "50000",
        },
        command: [
            "etcd",
            "-advertise-client-urls=http://127.0.0.1:2379",
            "-listen-client-urls",
            "http://0.0.0.0:2379",
            "--data-dir",
            "/etcd",
        ],
        healthcheck: { test: ["CMD", "etcdctl", "endpoint", "health"], intervalSeconds: 30, timeoutSeconds: 20, retries: 3 },
        memoryBytes: s.etcd.memoryBytes,
        ports: s.etcd.publish ? [{ container: 2379, published: s.etcd.publish }] : [],
        volumes: [{ hostPath: `${s.dataDir}/etcd`, containerPath: "/etcd" }],
        securityOpts: [],
        restart: s.restart,
        dependsOn: [],
    };
}

export function minioContainerSpec(s: StandaloneSettings): ContainerSpec {
    const ports = [
        ...(s.minio.publishApi ? [{ container: 9000, published: s.minio.publishApi }] : []),
        ...(s.minio.publishConsole ? [{ container: 9001, published: s.minio.publishConsole }] : []),
    ];
    return {
        service: "minio",
        role: "minio",
        containerName: containerNames(s).minio,
        image: s.minio.image,
        // Generated keys, never the minioadmin default the seed uses.
        env: {
            MINIO_ACCESS_KEY: { secret: "minioAccessKey" },
            MINIO_SECRET_KEY: { secret: "minioSecretKey" },
        },
        command: ["minio", "server", "/minio_data", "--console-address", ":9001"],
        healthcheck: {
            test: ["CMD", "curl", "-f", "http://localhost:9000/minio/health/live"],
            intervalSeconds: 30,
            timeoutSeconds: 20,
            retries: 3,
        },
        memoryBytes: s.minio.memoryBytes,
        ports,
        volumes: [{ hostPath: `${s.dataDir}/minio`, containerPath: "/minio_data" }],
        securityOpts: [],
        restart: s.restart,
        dependsOn: [],
    };
}

export function milvusContainerSpec(s: StandaloneSettings): ContainerSpec {
    const m = s.milvus;
    const env: ContainerSpec["env"] = {
        ETCD_ENDPOINTS: "etcd:2379",
        MINIO_ADDRESS: "minio:9000",
        // Milvus must use the same generated keys as MinIO (its built-in default is minioadmin).
        MINIO_ACCESS_KEY_ID: { secret: "minioAccessKey" },
        MINIO_SECRET_ACCESS_KEY: { secret: "minioSecretKey" },
    };
    if (m.auth) {
        env.COMMON_SECURITY_AUTHORIZATIONENABLED = "true";
        // Applied when Milvus first creates its root user; later changes go through the API.
        env.COMMON_SECURITY_DEFAULTROOTPASSWORD = { secret: "milvusRootPassword" };
    }
    if (m.tls) Object.assign(env, tlsEnv());
    if (m.gpu) {
        env.NVIDIA_VISIBLE_DEVICES = m.gpu === "all" ? "all" : m.gpu.join(",");
        env.NVIDIA_DRIVER_CAPABILITIES = "compute,utility";
    }
    return {
        service: "standalone",
        role: "milvus",
        containerName: containerNames(s).milvus,
        image: m.image,
        command: ["milvus", "run", "standalone"],
        env,
        healthcheck: {
            test: ["CMD", "curl", "-f", "http://localhost:9091/healthz"],
            intervalSeconds: 30,
            startPeriodSeconds: 90,
            timeoutSeconds: 20,
            retries: 3,
        },
        memoryBytes: m.memoryBytes,
        gpu: m.gpu,
        ports: [
            { container: 19530, published: m.grpc },
            { container: 9091, published: m.http },
        ],
        volumes: [
            { hostPath: `${s.dataDir}/milvus`, containerPath: "/var/lib/milvus" },
            // Certificate and key, put on the host by the TLS step; Milvus only reads them.
            ...(m.tls ? [{ hostPath: tlsHostDir(s.dataDir), containerPath: TLS_CONTAINER_DIR, readOnly: true }] : []),
        ],
        // As in the seed: Milvus's allocator needs syscalls Docker's default profile blocks.
        securityOpts: ["seccomp:unconfined"],
        restart: s.restart,
        dependsOn: ["etcd", "minio"],
    };
}

export function attuContainerSpec(s: StandaloneSettings): ContainerSpec | undefined {
    if (!s.attu) return undefined;
    return {
        service: "attu",
        role: "attu",
        containerName: containerNames(s).attu,
        image: s.attu.image,
        env: { MILVUS_URL: "standalone:19530" },
        healthcheck: {
            test: ["CMD-SHELL", "wget -q -O /dev/null http://localhost:3000 || exit 1"],
            intervalSeconds: 30,
            timeoutSeconds: 10,
            retries: 3,
        },
        memoryBytes: s.attu.memoryBytes,
        ports: [{ container: 3000, published: s.attu.publish }],
        volumes: [],
        securityOpts: [],
        restart: s.restart,
        dependsOn: ["standalone"],
    };
}

/** All containers of a standalone deployment, in start order. */
export function standaloneContainerSpecs(s: StandaloneSettings): ContainerSpec[] {
    const attu = attuContainerSpec(s);
    return [etcdContainerSpec(s), minioContainerSpec(s), milvusContainerSpec(s), ...(attu ? [attu] : [])];
}

/** Host directories the deployment writes to; host preparation creates them. */
export function dataDirectories(s: StandaloneSettings): string[] {
    return [`${s.dataDir}/etcd`, `${s.dataDir}/minio`, `${s.dataDir}/milvus`];
}
