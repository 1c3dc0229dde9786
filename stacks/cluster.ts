import * as pulumi from "@pulumi/pulumi";
import { MilvusCluster } from "../components/cluster/milvusCluster";
import { ClusterStackConfig, loadSecrets } from "./config";
import { schemaStep } from "./verification";

/** Milvus cluster on the Kubernetes cluster of the ambient kubeconfig, then the schema step. */
export function clusterStack(config: ClusterStackConfig) {
    const secrets = loadSecrets();
    const milvus = new MilvusCluster("milvus", {
        config: config.cluster,
        rootPassword: secrets.rootPassword,
        minioAccessKey: secrets.minioAccessKey,
        minioSecretKey: secrets.minioSecretKey,
    });
    const token = pulumi.secret(pulumi.interpolate`root:${milvus.rootPassword}`);
    const verification = schemaStep(config, { address: milvus.address, token, dependsOn: [milvus] });
    return {
        milvus,
        schema: verification.schema,
        outputs: {
            mode: config.mode,
            endpoint: milvus.address,
            healthUrl: milvus.healthUrl,
            username: milvus.username,
            rootPassword: milvus.rootPassword,
            minioAccessKey: milvus.minioAccessKey,
            minioSecretKey: milvus.minioSecretKey,
            namespace: milvus.namespace,
            chart: `${config.cluster.chart.name}@${config.cluster.chart.version}`,
            images: { milvus: `${config.cluster.milvus.repository}:${config.cluster.milvus.imageTag}` },
            schemaReport: verification.report,
        },
    };
}
