import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BackupArgs, BackupSettings, parseBackupSettings } from "../backup/config";
import { clusterBackupNotices, clusterBackupProblems } from "../backup/clusterChecks";
import { MilvusCredentials } from "../credentials";
import type { MilvusEndpoint, MilvusTls } from "../endpoint";
import { ConfigErrors } from "../errors";
import { ClusterBackupResources, createClusterBackup } from "./clusterBackup";
import type { ClusterArgs } from "./clusterArgs";
import { ClusterSettings, parseClusterSettings } from "./config";
import { disruptionBudgets, externalService } from "./extraObjects";
import { rootPasswordSecretName } from "./names";
import { clusterAddress, clusterHealthUrl, milvusClusterValues, ROOT_PASSWORD_SECRET_KEY } from "./values";

export interface MilvusClusterArgs {
    /** The settings as in stack config `milvus-gpu:cluster`; checked by parseClusterSettings (errors name `config.<field>`). */
    config?: ClusterArgs;
    /** Bring your own root password; otherwise one is generated. Always kept secret. */
    rootPassword?: pulumi.Input<string>;
    minioAccessKey?: pulumi.Input<string>;
    minioSecretKey?: pulumi.Input<string>;
    /** Scheduled backups (the `milvus-gpu:backup` block as a stack file holds it): a CronJob running milvus-backup. */
    backup?: BackupArgs;
    /** The backup target's keys (kept secret); required with `backup`. */
    backupCredentials?: { accessKey: pulumi.Input<string>; secretKey: pulumi.Input<string> };
}

/** What only a TypeScript program can pass: settings already parsed. */
export interface MilvusClusterOptions extends pulumi.ComponentResourceOptions {
    /** Settings already validated by parseClusterSettings (the stack program's path); override `args.config`. */
    settings?: ClusterSettings;
    /** Backup config already validated by parseBackupSettings; overrides args.backup. */
    backup?: BackupSettings;
}

/**
 * Milvus in cluster mode on Kubernetes: an optional namespace, generated credentials
 * (root password, MinIO keys: never the chart's minioadmin defaults), a Helm release
 * of the official chart with values from milvusClusterValues, and what the chart lacks
 * (extraObjects): PodDisruptionBudgets for the Milvus roles and MinIO, and the Service that
 * reaches the proxies from outside when `service.type` asks for one. Give it a
 * `k8s.Provider` through `opts.provider(s)` to target a cluster other than the ambient one.
 */
export class MilvusCluster extends pulumi.ComponentResource implements MilvusEndpoint {
    /** gRPC endpoint inside the cluster, `host:19530`. */
    readonly address: pulumi.Output<string>;
    /** Liveness endpoint of the proxies (`/healthz` on the metrics port). */
    readonly healthUrl: pulumi.Output<string>;
    readonly username: pulumi.Output<string>;
    readonly rootPassword: pulumi.Output<string>;
    /** Secret `root:<password>` for SDKs. */
    readonly token: pulumi.Output<string>;
    /** Plaintext gRPC inside the cluster: the chart's values turn no Milvus TLS on. */
    readonly tls: pulumi.Output<MilvusTls>;
    readonly minioAccessKey: pulumi.Output<string>;
    readonly minioSecretKey: pulumi.Output<string>;
    readonly namespace: pulumi.Output<string>;
    readonly release: k8s.helm.v3.Release;
    /** Name of the LoadBalancer/NodePort Service for clients outside the cluster; undefined when the service is ClusterIP. */
    readonly externalServiceName?: pulumi.Output<string>;
    /** With backups: the ConfigMap, the keys' Secret and (with a schedule) the CronJob. */
    readonly backup?: ClusterBackupResources;

    constructor(name: string, args: MilvusClusterArgs = {}, options: MilvusClusterOptions = {}) {
        const { settings, backup: validatedBackup, ...opts } = options;
        // Parsed before anything is registered, so bad settings fail with nothing half-made.
        const config = settings ?? parseClusterSettings(args.config ?? {}, "config");
        const backupConfig = validatedBackup ?? parseBackupSettings(args.backup);
        if (backupConfig) {
            const problems = clusterBackupProblems(config, backupConfig, "backup", settings ? "cluster" : "config");
            if (problems.length === 1) throw problems[0];
            if (problems.length > 1) throw new ConfigErrors(problems);
            if (!args.backupCredentials) throw new Error("MilvusCluster: backup needs args.backupCredentials (the target bucket's access key and secret key)");
        }
        super("milvus-gpu:index:MilvusCluster", name, {}, { ...opts, aliases: [...(opts.aliases ?? []), { type: "milvus-gpu:cluster:MilvusCluster" }] });
        for (const notice of backupConfig ? clusterBackupNotices(backupConfig) : []) pulumi.log.warn(notice, this);

        // Named like the component so the generated passwords keep their resource names.
        const credentials = new MilvusCredentials(
            name,
            { rootPassword: args.rootPassword, minioAccessKey: args.minioAccessKey, minioSecretKey: args.minioSecretKey },
            { parent: this },
        );
        this.rootPassword = credentials.rootPassword;
        this.minioAccessKey = credentials.minioAccessKey;
        this.minioSecretKey = credentials.minioSecretKey;
        this.username = pulumi.output("root");
        this.token = pulumi.secret(pulumi.interpolate`root:${this.rootPassword}`);
        this.tls = pulumi.output({ enabled: false });

        const namespace = config.createNamespace
            ? new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: config.namespace } }, { parent: this })
            : undefined;
        this.namespace = namespace ? namespace.metadata.name : pulumi.output(config.namespace);

        const rootSecret = new k8s.core.v1.Secret(
            `${name}-root-password`,
            {
                metadata: { name: rootPasswordSecretName(config.releaseName), namespace: this.namespace },
                type: "Opaque",
                stringData: { [ROOT_PASSWORD_SECRET_KEY]: this.rootPassword },
            },
            { parent: this, additionalSecretOutputs: ["stringData", "data"] },
        );

        const values = pulumi
            .all([this.minioAccessKey, this.minioSecretKey, rootSecret.metadata.name])
            .apply(([minioAccessKey, minioSecretKey, rootPasswordSecretName]) =>
                milvusClusterValues(config, { minioAccessKey, minioSecretKey, rootPasswordSecretName }),
            );

        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            {
                name: config.releaseName,
                namespace: this.namespace,
                chart: config.chart.name,
                version: config.chart.version,
                repositoryOpts: { repo: config.chart.repository },
                // The values carry the MinIO keys.
                values: pulumi.secret(values),
                timeout: config.timeoutSeconds,
                // A failed upgrade rolls back to the last good release; PVCs are never touched by a rollback.
                atomic: true,
                cleanupOnFail: true,
                maxHistory: 10,
            },
            { parent: this, dependsOn: namespace ? [namespace, rootSecret] : [rootSecret] },
        );

        const inNamespace = namespace ? [namespace] : [];
        for (const budget of disruptionBudgets(config)) {
            new k8s.policy.v1.PodDisruptionBudget(
                `${name}-pdb-${budget.metadata.name}`,
                { metadata: { ...budget.metadata, namespace: this.namespace }, spec: budget.spec },
                { parent: this, dependsOn: inNamespace },
            );
        }
        const external = externalService(config);
        if (external) {
            const svc = new k8s.core.v1.Service(
                `${name}-external`,
                { metadata: { ...external.metadata, namespace: this.namespace }, spec: external.spec },
                // The proxies it selects come with the release.
                { parent: this, dependsOn: [this.release] },
            );
            this.externalServiceName = svc.metadata.name;
        }

        if (backupConfig && args.backupCredentials) {
            this.backup = createClusterBackup(
                name,
                {
                    config,
                    backup: backupConfig,
                    namespace: this.namespace,
                    secrets: {
                        minioAccessKey: this.minioAccessKey,
                        minioSecretKey: this.minioSecretKey,
                        targetAccessKey: args.backupCredentials.accessKey,
                        targetSecretKey: args.backupCredentials.secretKey,
                    },
                    dependsOn: [...inNamespace, rootSecret],
                    release: this.release,
                },
                this,
            );
        }

        this.address = this.release.status.apply(() => clusterAddress(config));
        this.healthUrl = this.release.status.apply(() => clusterHealthUrl(config));
        this.registerOutputs({
            address: this.address,
            healthUrl: this.healthUrl,
            username: this.username,
            rootPassword: this.rootPassword,
            token: this.token,
            tls: this.tls,
            minioAccessKey: this.minioAccessKey,
            minioSecretKey: this.minioSecretKey,
            namespace: this.namespace,
            externalServiceName: this.externalServiceName,
        });
    }
}
