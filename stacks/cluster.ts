import { MilvusCluster } from "../components/cluster/milvusCluster";
import { backupObjectName } from "../components/backup/cronJob";
import { ClusterStackConfig, loadSecrets } from "./config";
import { requireSecret } from "./standalone";
import { verifiedDeployment } from "./verification";

/** Milvus cluster on the Kubernetes cluster of the ambient kubeconfig, then the schema step. */
export function clusterStack(config: ClusterStackConfig) {
    const secrets = loadSecrets();
    const backup = config.backup;
    const milvus = new MilvusCluster(
        "milvus",
        {
            rootPassword: secrets.rootPassword,
            minioAccessKey: secrets.minioAccessKey,
            minioSecretKey: secrets.minioSecretKey,
            ...(backup
                ? {
                      backupCredentials: {
                          accessKey: requireSecret(secrets.backupAccessKey, "backupAccessKey", "backup"),
                          secretKey: requireSecret(secrets.backupSecretKey, "backupSecretKey", "backup"),
                      },
                  }
                : {}),
        },
        { settings: config.cluster, backup },
    );
    const verified = verifiedDeployment(config, milvus, [milvus]);
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
            ...(backup ? { backup: clusterBackupOutput(config) } : {}),
        },
    };
}

/** What `pulumi stack output backup` says in cluster mode: where the runs are and how to read them. */
function clusterBackupOutput(config: ClusterStackConfig) {
    const b = config.backup!;
    const ns = config.cluster.namespace;
    const name = backupObjectName(config.cluster);
    return {
        target: `${b.target.tls ? "https" : "http"}://${b.target.host}:${b.target.port}/${b.target.bucket}/${b.target.prefix}`,
        retain: b.retain,
        ...(b.schedule
            ? {
                  cronJob: name,
                  schedule: `${b.schedule} (UTC)`,
                  // Each run's pod dies with its records file: the Job's log is the record.
                  records: `kubectl -n ${ns} logs job/<job> (jobs: kubectl -n ${ns} get jobs -l app.kubernetes.io/component=backup,app.kubernetes.io/instance=${config.cluster.releaseName})`,
                  onDemand: `kubectl -n ${ns} create job --from=cronjob/${name} ${name}-manual-$(date -u +%Y%m%d%H%M%S)`,
              }
            : { schedule: "none: cluster mode runs backups only on a schedule (on demand is not supported yet without one)" }),
    };
}
