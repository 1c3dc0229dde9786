import { BackupSettings } from "./config";
import { OPS_PATH } from "./specs";

/*
 * Scripts run on the Docker host around the backup container: a backup before Milvus is
 * replaced, and the restore of a new deployment. Pure: names in, script text out.
 */

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Takes a backup while the Milvus that is about to be replaced still runs. The step itself is
 * replaced (and so run) whenever Milvus's container spec changes; on the first deployment there
 * is no Milvus container yet and nothing to keep.
 */
export function beforeReplaceScript(args: { milvusContainer: string; backupContainer: string }): string {
    const milvus = quote(args.milvusContainer);
    const backup = quote(args.backupContainer);
    return [
        "set -u",
        `state=$(docker inspect --format '{{.State.Running}}' ${milvus} 2>/dev/null) || { echo "no Milvus container ${args.milvusContainer} yet: nothing to back up"; exit 0; }`,
        'if [ "$state" != true ]; then',
        `  echo "milvus-gpu: ${args.milvusContainer} is about to be replaced but is not running, so no backup can be taken first; start it, or set backup.beforeReplace: false to replace it without one" >&2`,
        "  exit 31",
        "fi",
        `echo "backing up before ${args.milvusContainer} is replaced"`,
        `docker exec ${backup} /bin/sh ${OPS_PATH} run before-replace || { echo "milvus-gpu: the backup before replacing ${args.milvusContainer} failed (above); nothing was replaced. Fix the target, or set backup.beforeReplace: false" >&2; exit 32; }`,
    ].join("\n");
}

/** Restores `restoreFrom` into the freshly made Milvus; milvus-backup refuses collections that already exist. */
export function restoreScript(args: { backupContainer: string; restoreFrom: string }): string {
    const backup = quote(args.backupContainer);
    return [
        "set -u",
        `out=$(docker exec ${backup} /bin/sh ${OPS_PATH} restore ${quote(args.restoreFrom)} 2>&1); rc=$?`,
        'printf "%s\\n" "$out"',
        'if [ $rc != 0 ]; then',
        `  echo "milvus-gpu: backup.restoreFrom ${args.restoreFrom}: $(printf "%s" "$out" | grep "^backup-ops: FAILED" | tail -n 1 | sed "s/^backup-ops: FAILED //")" >&2`,
        "  exit 33",
        "fi",
    ].join("\n");
}

/** Fails `up` with the target's problem (unreachable, no bucket, unknown or wrong key) before Milvus is touched. */
export function targetCheckScript(args: { backupContainer: string }): string {
    const backup = quote(args.backupContainer);
    return [
        "set -u",
        `out=$(docker exec ${backup} /bin/sh ${OPS_PATH} check 2>&1); rc=$?`,
        'printf "%s\n" "$out"',
        `[ $rc = 0 ] || { echo "milvus-gpu: backup.target: $(printf "%s" "$out" | grep "^backup-ops: FAILED" | tail -n 1 | sed "s/^backup-ops: FAILED: //")" >&2; exit 34; }`,
    ].join("\n");
}

/** What decides whether the before-replace step is re-run: the Milvus container's whole spec. */
export function wantsBeforeReplace(b: BackupSettings | undefined): boolean {
    return b !== undefined && b.beforeReplace;
}
