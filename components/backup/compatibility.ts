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
    /** Newest milvus-backup release known to restore into the line, inclusive; open when undefined. */
    through?: string;
    /** Milvus patch releases of the line that no milvus-backup serves. */
    excludedMilvus?: string[];
    /** The release used when backup.image is not set; none: the operator must pin one. */
    defaultTool?: string;
    source: string;
}

const REPO = "https://github.com/zilliztech/milvus-backup";

/*
 * Read from the milvus-backup repository (tags v0.3.0 to v0.5.16, README at each tag) and its
 * issue tracker, December 2026. The README from v0.3.1 to v0.4.18 pairs Milvus 2.3.0+ with v0.4.0+,
 * 2.2.9+ with v0.3.0+; v0.4.30's CI backs up 2.3 and restores into 2.4. The 0.5 line's README (from v0.5.8 on) lists restore targets
 * 2.4 and newer only, so 2.2 and 2.3 stay on the last 0.4 release; 2.6 first appears in the
 * v0.5.9 README; pull request #1224 (September 2026, after v0.5.16) drops restore into 2.4, and
 * #1223 adds Milvus 3.0 (3.0.1 and later) in a release newer than any tag seen here.
 */
export const BACKUP_TOOL_PAIRINGS: readonly BackupToolPairing[] = [
    { milvusLine: "2.2", since: "v0.3.0", through: "v0.4.30", defaultTool: "v0.4.30", source: `${REPO}/issues/151; README of v0.5.8` },
    { milvusLine: "2.3", since: "v0.4.0", through: "v0.4.30", defaultTool: "v0.4.30", source: `README of v0.4.18 (2.3.0+ needs v0.4.0+); ${REPO}/issues/328; README of v0.5.8` },
    { milvusLine: "2.4", since: "v0.4.0", through: "v0.5.16", defaultTool: "v0.5.16", source: `README of v0.5.16; ${REPO}/pull/1224` },
    { milvusLine: "2.5", since: "v0.5.0", defaultTool: "v0.5.16", source: "README of v0.5.8 and later" },
    { milvusLine: "2.6", since: "v0.5.9", defaultTool: "v0.5.16", source: "README of v0.5.9 and later" },
    { milvusLine: "3.0", since: "v0.5.17", excludedMilvus: ["v3.0.0"], source: `${REPO}/pull/1223; ${REPO}/pull/1224` },
];

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
    const range = p.through ? `${p.since} to ${p.through}` : `${p.since} or later`;
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
    const through = p.through ? parseSemver(p.through) : undefined;
    if (compareSemver(tool, since) < 0 || (through && compareSemver(tool, through) > 0)) return { ok: false, allowed: describePairing(p) };
    return { ok: true };
}

/** The pinned default image for a Milvus version, or undefined when no release serves it. */
export function defaultBackupImage(milvusVersion: string): string | undefined {
    const tag = pairingFor(milvusVersion)?.defaultTool;
    return tag ? `${BACKUP_IMAGE_REPOSITORY}:${tag}` : undefined;
}
