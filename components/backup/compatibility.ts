/**
 * Which milvus-backup release may back up and restore which Milvus line. A backup is only
 * useful if it can be restored into the same line, so a pair is accepted only where both
 * directions work for that line. Each row cites where the limits are stated.
 */
export interface BackupToolPairing {
    /** Milvus minor line, e.g. "2.3". */
    milvusLine: string;
    /** Oldest milvus-backup release that serves the line, inclusive. */
    since: string;
    /** First milvus-backup release that no longer restores into the line (exclusive); open when undefined. */
    until?: string;
    /** Milvus patch releases of the line that no milvus-backup serves. */
    excludedMilvus?: string[];
    source: string;
}

const README = "https://github.com/zilliztech/milvus-backup#compatibility";

export const BACKUP_TOOL_PAIRINGS: readonly BackupToolPairing[] = [
    // v0.3.0 added Milvus 2.2.9+ (maintainer's table, issue #151); 2.2 restore targets went with the 2.4 floor.
    { milvusLine: "2.2", since: "v0.3.0", until: "v0.5.0", source: "https://github.com/zilliztech/milvus-backup/issues/151" },
    // The 0.4 line restores into 2.3 (issue #328 restores with v0.4.12 into 2.3.9); the 0.5 README
    // sets the restore floor at 2.4 ("Restore is supported to Milvus 2.4+").
    { milvusLine: "2.3", since: "v0.4.0", until: "v0.5.0", source: `${README}; https://github.com/zilliztech/milvus-backup/issues/328` },
    // Restore into 2.4 dropped when the floor moved to 2.5 (pull request #1224, 2026-09-17).
    { milvusLine: "2.4", since: "v0.4.0", until: "v0.6.0", source: `${README}; https://github.com/zilliztech/milvus-backup/pull/1224` },
    { milvusLine: "2.5", since: "v0.5.0", source: README },
    { milvusLine: "2.6", since: "v0.5.0", source: README },
    // 3.0.0 is served in neither direction; 3.0.1 and later from the release that added 3.0 (pull requests #1223, #1224).
    { milvusLine: "3.0", since: "v0.6.0", excludedMilvus: ["v3.0.0"], source: "https://github.com/zilliztech/milvus-backup/pull/1224" },
];

/** The milvus-backup image used when none is given: the newest release that serves the Milvus line. */
export const DEFAULT_BACKUP_TOOL: Readonly<Record<string, string>> = {
    "2.2": "v0.4.31",
    "2.3": "v0.4.31",
    "2.4": "v0.5.14",
    "2.5": "v0.6.2",
    "2.6": "v0.6.2",
    "3.0": "v0.6.2",
};

export const BACKUP_IMAGE_REPOSITORY = "milvusdb/milvus-backup";

type Semver = [number, number, number];

export function parseSemver(tag: string): Semver | undefined {
    const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(tag.trim());
    return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareSemver(a: Semver, b: Semver): number {
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
}

/** "v2.3.5" -> "2.3"; undefined for anything that is not a release tag. */
export function milvusLine(version: string): string | undefined {
    const v = parseSemver(version.replace(/-gpu$/, ""));
    return v ? `${v[0]}.${v[1]}` : undefined;
}

export function pairingFor(milvusVersion: string): BackupToolPairing | undefined {
    const line = milvusLine(milvusVersion);
    return BACKUP_TOOL_PAIRINGS.find((p) => p.milvusLine === line);
}

/** Words for the error message: which tool releases serve the Milvus version, with the source. */
export function describePairing(p: BackupToolPairing): string {
    const range = p.until ? `from ${p.since} up to, not including, ${p.until}` : `${p.since} or later`;
    const excluded = p.excludedMilvus?.length ? ` (not Milvus ${p.excludedMilvus.join(", ")})` : "";
    return `milvus-backup ${range} for Milvus ${p.milvusLine}${excluded} (${p.source})`;
}

export type PairingVerdict = { ok: true } | { ok: false; allowed: string };

/**
 * Judges a (Milvus version, milvus-backup tag) pair against the table. A tool tag that is not
 * a release (a digest, a local build) cannot be judged and is accepted: the operator chose it.
 */
export function judgePairing(milvusVersion: string, toolTag: string | undefined): PairingVerdict {
    const p = pairingFor(milvusVersion);
    if (!p) {
        const lines = BACKUP_TOOL_PAIRINGS.map((r) => r.milvusLine).join(", ");
        return { ok: false, allowed: `a Milvus line milvus-backup serves (${lines}); Milvus ${milvusVersion} is not in the table` };
    }
    if (p.excludedMilvus?.includes(milvusVersion.replace(/-gpu$/, ""))) return { ok: false, allowed: describePairing(p) };
    const tool = toolTag === undefined ? undefined : parseSemver(toolTag);
    if (!tool) return { ok: true };
    const since = parseSemver(p.since)!;
    const until = p.until ? parseSemver(p.until) : undefined;
    if (compareSemver(tool, since) < 0 || (until && compareSemver(tool, until) >= 0)) return { ok: false, allowed: describePairing(p) };
    return { ok: true };
}

/** The pinned default image for a Milvus version, or undefined when no release serves it. */
export function defaultBackupImage(milvusVersion: string): string | undefined {
    const line = milvusLine(milvusVersion);
    const tag = line ? DEFAULT_BACKUP_TOOL[line] : undefined;
    return tag ? `${BACKUP_IMAGE_REPOSITORY}:${tag}` : undefined;
}
