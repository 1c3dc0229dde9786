import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BackupSettings } from "../backup/config";
import { BackupSecretKey, clusterBackupObjects } from "../backup/cronJob";
import type { ClusterSettings } from "./config";

export interface ClusterBackupArgs {
    config: ClusterSettings;
    backup: BackupSettings;
    namespace: pulumi.Input<string>;
    /** The MinIO keys (the chart's) and the target's keys; every one is stored as a Pulumi secret. */
    secrets: Record<BackupSecretKey, pulumi.Input<string>>;
    /** The namespace (when the component makes it) and the root password Secret the job reads. */
    dependsOn: pulumi.Resource[];
    /** The release: the first run should find Milvus. */
    release: pulumi.Resource;
}

export interface ClusterBackupResources {
    configMap: k8s.core.v1.ConfigMap;
    secret: k8s.core.v1.Secret;
    cronJob?: k8s.batch.v1.CronJob;
}

/** The backup objects of clusterBackupObjects, deployed as built (the render prints the same manifests). */
export function createClusterBackup(name: string, args: ClusterBackupArgs, parent: pulumi.Resource): ClusterBackupResources {
    const objects = clusterBackupObjects(args.config, args.backup, args.config.milvus.version, args.secrets);
    const inNamespace = <T extends { metadata: object }>(o: T) => ({ ...o.metadata, namespace: args.namespace });
    const configMap = new k8s.core.v1.ConfigMap(
        `${name}-backup-config`,
        { metadata: inNamespace(objects.configMap), data: objects.configMap.data },
        { parent, dependsOn: args.dependsOn },
    );
    const secret = new k8s.core.v1.Secret(
        `${name}-backup-keys`,
        { metadata: inNamespace(objects.secret), type: objects.secret.type, stringData: pulumi.secret(objects.secret.stringData) },
        { parent, dependsOn: args.dependsOn, additionalSecretOutputs: ["stringData", "data"] },
    );
    const cronJob = objects.cronJob
        ? new k8s.batch.v1.CronJob(
              `${name}-backup`,
              { metadata: inNamespace(objects.cronJob), spec: objects.cronJob.spec },
              { parent, dependsOn: [...args.dependsOn, configMap, secret, args.release] },
          )
        : undefined;
    return { configMap, secret, ...(cronJob ? { cronJob } : {}) };
}
