import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { DockerHostTarget } from "../host/hostShell";
import { SecretResolver } from "../standalone/dockerArgs";
import { createServiceContainer } from "../standalone/serviceContainer";
import { StandaloneSettings } from "../standalone/settings";
import { containerNames } from "../standalone/specs";
import { BackupSettings } from "./config";
import { beforeReplaceScript, restoreScript, targetCheckScript } from "./hostSteps";
import { backupContainerName, backupContainerSpec, backupStateHostDir } from "./specs";

export interface MilvusBackupArgs {
    /** The deployment's private network (Milvus is `standalone`, MinIO `minio` there). */
    network: pulumi.Input<string>;
    /** The deployment's credentials and the target's keys, as secrets. */
    resolveSecret: SecretResolver;
    /** Changes whenever the Milvus container will be replaced: the before-replace backup runs then. */
    milvusSpec: pulumi.Input<string>;
    /** What must be ready before the backup container starts (MinIO). */
    after: pulumi.Resource[];
}

export interface MilvusBackupOptions extends pulumi.ComponentResourceOptions {
    settings: StandaloneSettings;
    config: BackupSettings;
    /** The Milvus version deployed, for the default milvus-backup release. */
    milvusVersion: string;
    /** Where the host steps run (the before-replace backup, the restore). */
    host: DockerHostTarget;
}

/**
 * milvus-backup beside a standalone deployment: a container on its network that backs up to the
 * target bucket on schedule (with retention) and on demand, and a host step that takes a backup
 * before the Milvus container is replaced. `restore` adds the step that fills a new deployment.
 */
export class MilvusBackup extends pulumi.ComponentResource {
    readonly container: docker.Container;
    /** Done once the backup container is healthy and its target answered with the keys. */
    readonly ready: pulumi.Resource;
    /** The backup taken before Milvus is replaced (when beforeReplace is on): Milvus waits for it (or for `ready`). */
    readonly beforeReplace?: pulumi.Resource;
    /** Docker name of the backup container, for `npm run backup` and `restore`. */
    readonly containerName: string;
    /** Host directory with the run records (runs.jsonl). */
    readonly stateDir: string;

    private readonly host: DockerHostTarget;
    private readonly backupConfig: BackupSettings;

    constructor(name: string, args: MilvusBackupArgs, options: MilvusBackupOptions) {
        const { settings, config, milvusVersion, host, ...opts } = options;
        // The container's spec is pure: built (and so checked) before anything is registered.
        const spec = backupContainerSpec(settings, config, milvusVersion);
        super("milvus-gpu:index:MilvusBackup", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "milvus-gpu:backup:MilvusBackup" }] });
        this.host = host;
        this.backupConfig = config;
        this.containerName = backupContainerName(settings);
        this.stateDir = backupStateHostDir(settings);
        const service = createServiceContainer(
            `${name}-container`,
            {
                spec,
                network: args.network,
                resolveSecret: args.resolveSecret,
                waitTimeoutSeconds: settings.waitTimeoutSeconds,
                after: args.after,
                host,
            },
            this,
        );
        this.container = service.container;
        // Healthy and able to write to the target: a bad target fails here, before Milvus is replaced.
        this.ready = host.script(
            `${name}-target-check`,
            { create: "/bin/sh -s", stdin: targetCheckScript({ backupContainer: this.containerName }), triggers: [service.container.id] },
            { parent: this, dependsOn: [service.ready] },
        );
        if (config.beforeReplace) {
            this.beforeReplace = host.script(
                `${name}-before-replace`,
                {
                    create: "/bin/sh -s",
                    stdin: beforeReplaceScript({ milvusContainer: containerNames(settings).milvus, backupContainer: this.containerName }),
                    triggers: [args.milvusSpec],
                },
                { parent: this, dependsOn: [this.ready] },
            );
        }
        this.registerOutputs({ containerName: this.containerName, stateDir: this.stateDir });
    }

    /**
     * The step that restores `restoreFrom` once Milvus is healthy, made only with the deployment:
     * changing restoreFrom later runs it again, and milvus-backup then refuses the collections
     * that exist, changing nothing.
     */
    restore(name: string, milvusReady: pulumi.Resource[], parent: pulumi.Resource): pulumi.Resource | undefined {
        const from = this.backupConfig.restoreFrom;
        if (!from) return undefined;
        return this.host.script(
            `${name}-restore`,
            { create: "/bin/sh -s", stdin: restoreScript({ backupContainer: this.containerName, restoreFrom: from }), triggers: [from] },
            { parent, dependsOn: [this.ready, ...milvusReady] },
        );
    }
}
