import type { ClusterSettings } from "../cluster/config";
import { ConfigError } from "../errors";
import { parseImageRef } from "../standalone/releases";
import { defaultBackupImage, describePairing, judgePairing, pairingFor } from "./compatibility";
import { BackupSettings } from "./config";
import { backupObjectName, CRON_JOB_NAME_LIMIT } from "./cronJob";

/*
 * What the backup block asks for that cluster mode does not do (yet). Checked by MilvusCluster
 * before it registers anything; stacks/config.ts's cluster branch is the better place for the
 * refusals (they would then be reported with every other config problem), see the notes there.
 */

/** Settings cluster mode cannot honour: each a ConfigError naming the field, the value and what works. */
export function clusterBackupProblems(config: ClusterSettings, b: BackupSettings, field = "backup", clusterField = "cluster"): ConfigError[] {
    const out: ConfigError[] = [];
    if (b.restoreFrom !== undefined) {
        out.push(
            new ConfigError(
                `${field}.restoreFrom`,
                b.restoreFrom,
                "no value in cluster mode: restoring into a cluster is not supported yet (restore into a standalone deployment, or run milvus-backup restore against the cluster by hand)",
            ),
        );
    }
    // The stack's config check judges the pair too; a program using the component directly gets it here.
    const version = config.milvus.version;
    const verdict = judgePairing(version, b.image === undefined ? undefined : parseImageRef(b.image).tag);
    if (!verdict.ok) out.push(new ConfigError(b.image === undefined ? field : `${field}.image`, b.image, `${verdict.allowed} (the deployed Milvus is ${version})`));
    else if (b.image === undefined && defaultBackupImage(version) === undefined) {
        const p = pairingFor(version);
        out.push(new ConfigError(`${field}.image`, undefined, `a pinned milvus-backup image: no default is known for Milvus ${version}${p ? `; use ${describePairing(p)}` : ""}`));
    }
    // Kubernetes parses CronJob schedules with robfig/cron, whose day of week is 0-6: a 7 (Sunday, which
    // cron-parser and the standalone scheduler accept) would fail `up` at the API server.
    const dow = b.schedule?.split(" ")[4];
    if (dow !== undefined && /(^|[,-])7($|[,/-])/.test(dow)) {
        out.push(new ConfigError(`${field}.schedule`, b.schedule, `a day of week from 0 to 6 in cluster mode (Sunday is 0): Kubernetes CronJobs refuse 7`));
    }
    const name = backupObjectName(config);
    if (b.schedule !== undefined && name.length > CRON_JOB_NAME_LIMIT) {
        const longest = config.releaseName.length - (name.length - CRON_JOB_NAME_LIMIT);
        out.push(
            new ConfigError(
                `${clusterField}.releaseName`,
                config.releaseName,
                `a name of at most ${longest} characters with backup.schedule set: the CronJob "${name}" would be ${name.length} characters, and Kubernetes allows ${CRON_JOB_NAME_LIMIT} (its Jobs append 11)`,
            ),
        );
    }
    return out;
}

/** What the block asks for that is quietly not done in cluster mode: said on every `up` as a warning. */
export function clusterBackupNotices(b: BackupSettings, field = "backup"): string[] {
    const out: string[] = [];
    if (b.schedule === undefined) {
        out.push(
            `${field}.schedule is not set: in cluster mode backups run only as a scheduled CronJob (on demand there is \`kubectl create job --from=cronjob/<name>\`, which needs the CronJob), so nothing is backed up`,
        );
    }
    if (b.beforeReplace) {
        out.push(`${field}.beforeReplace is not supported in cluster mode yet: a Helm upgrade that replaces Milvus takes no backup first; set it to false to silence this`);
    }
    return out;
}
