import * as pulumi from "@pulumi/pulumi";
import { MilvusCluster } from "../components/cluster/milvusCluster";
import { ClusterStackConfig, loadSecrets } from "./config";
import { verifiedDeployment } from "./verification";

/** Milvus cluster on the Kubernetes cluster of the ambient kubeconfig, then the schema step. */
export function clusterStack(config: ClusterStackConfig) {
    const secrets = loadSecrets();
    const milvus = new MilvusCluster(
        "milvus",
        { rootPassword: secrets.rootPassword, minioAccessKey: secrets.minioAccessKey, minioSecretKey: secrets.minioSecretKey },
        { settings: config.cluster },
    );
    const verified = verifiedDeployment(config, {
        endpoint: milvus.address,
        healthUrl: milvus.healthUrl,
        username: milvus.username,
        rootPassword: milvus.rootPassword,
        token: pulumi.secret(pulumi.interpolate`root:${milvus.rootPassword}`),
        dependsOn: [milvus],
    });
    return {
        milvus,
        schema: verified.schema,
        outputs: {
            ...verified.outputs,
            minioAccessKey: milvus.minioAccessKey,
            minioSecretKey: milvus.minioSecretKey,
            namespace: milvus.namespace,
            ...(milvus.externalServiceName ? { externalService: milvus.externalServiceName } : {}),
            chart: `${config.cluster.chart.name}@${config.cluster.chart.version}`,
            images: { milvus: `${config.cluster.milvus.repository}:${config.cluster.milvus.imageTag}` },
        },
    };
}
