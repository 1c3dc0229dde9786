import * as pulumi from "@pulumi/pulumi";
import { DockerHost } from "../components/host/dockerHost";
import { MilvusStandalone } from "../components/standalone/milvusStandalone";
import { dataDirectories } from "../components/standalone/specs";
import { loadSecrets, StandaloneStackConfig } from "./config";

export interface StandaloneStackOutputs {
    mode: string;
    endpoint: pulumi.Output<string>;
    healthUrl: pulumi.Output<string>;
    username: pulumi.Output<string | undefined>;
    rootPassword: pulumi.Output<string | undefined>;
    minioAccessKey: pulumi.Output<string>;
    minioSecretKey: pulumi.Output<string>;
    images: Record<string, string>;
    gpu: string;
    hostReport: pulumi.Output<string>;
}

/** A Docker host (local or SSH) carrying etcd, MinIO and Milvus standalone. */
export function standaloneStack(config: StandaloneStackConfig): { outputs: StandaloneStackOutputs; milvus: MilvusStandalone; host: DockerHost } {
    const secrets = loadSecrets();
    const s = config.standalone;
    const h = config.host;
    const host = new DockerHost("host", {
        ssh: h.type === "ssh" ? { address: h.address, port: h.port, user: h.user, privateKey: secrets.sshPrivateKey, sshOpts: h.sshOpts } : undefined,
        dataDirs: dataDirectories(s),
        gpu: s.milvus.gpu !== undefined,
    });
    const milvus = new MilvusStandalone(
        "milvus",
        {
            settings: s,
            credentials: { rootPassword: secrets.rootPassword, minioAccessKey: secrets.minioAccessKey, minioSecretKey: secrets.minioSecretKey },
            publicHost: h.type === "ssh" ? h.address : undefined,
        },
        { provider: host.provider, dependsOn: [host] },
    );
    return {
        host,
        milvus,
        outputs: {
            mode: "standalone",
            endpoint: milvus.endpoint,
            healthUrl: milvus.healthUrl,
            username: milvus.username,
            rootPassword: milvus.rootPassword,
            minioAccessKey: milvus.credentials.minioAccessKey,
            minioSecretKey: milvus.credentials.minioSecretKey,
            images: { etcd: s.etcd.image, minio: s.minio.image, milvus: s.milvus.image },
            gpu: s.milvus.gpu === undefined ? "none" : s.milvus.gpu === "all" ? "all" : s.milvus.gpu.join(","),
            hostReport: host.report,
        },
    };
}

