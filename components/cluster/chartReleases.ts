/**
 * Which Milvus line each release of the official `milvus` chart was made for, read from the
 * chart's own `Chart.yaml` (`appVersion`) at each `milvus-<version>` tag of
 * zilliztech/milvus-helm and from the repository's published `index.yaml` (generated
 * 2026-04-16; 5.0.18 was never published). Every 5.0.x chart carries a 2.6 appVersion; no
 * chart made for Milvus 3.0 is in that index. A chart renders templates for the Milvus it was
 * made for: the pods, roles and config keys of another line are a pairing nobody checked.
 */
export interface ChartRelease {
    /** The chart's appVersion: the Milvus release it was cut with. */
    appVersion: string;
    /** Milvus line (major.minor) the chart's templates were written for. */
    milvusLine: string;
}

export const CHART_RELEASES: Readonly<Record<string, ChartRelease>> = {
    "5.0.19": { appVersion: "2.6.15", milvusLine: "2.6" },
    "5.0.17": { appVersion: "2.6.14", milvusLine: "2.6" },
    "5.0.16": { appVersion: "2.6.13", milvusLine: "2.6" },
    "5.0.15": { appVersion: "2.6.12", milvusLine: "2.6" },
    "5.0.14": { appVersion: "2.6.11", milvusLine: "2.6" },
    "5.0.13": { appVersion: "2.6.10", milvusLine: "2.6" },
    "5.0.12": { appVersion: "2.6.9", milvusLine: "2.6" },
    "5.0.11": { appVersion: "2.6.8", milvusLine: "2.6" },
    "5.0.10": { appVersion: "2.6.7", milvusLine: "2.6" },
    "5.0.9": { appVersion: "2.6.6", milvusLine: "2.6" },
    "5.0.8": { appVersion: "2.6.6", milvusLine: "2.6" },
    "5.0.7": { appVersion: "2.6.5", milvusLine: "2.6" },
    "5.0.6": { appVersion: "2.6.4", milvusLine: "2.6" },
    "5.0.5": { appVersion: "2.6.3", milvusLine: "2.6" },
    "5.0.4": { appVersion: "2.6.3", milvusLine: "2.6" },
    "5.0.3": { appVersion: "2.6.2", milvusLine: "2.6" },
    "5.0.2": { appVersion: "2.6.1", milvusLine: "2.6" },
    "5.0.1": { appVersion: "2.6.0", milvusLine: "2.6" },
    "5.0.0": { appVersion: "2.6.0", milvusLine: "2.6" },
};

/**
 * Newest Milvus patch release per line, the image a pinned chart runs by default (the chart's
 * own appVersion can lag a patch behind). Keep in step with the release sets of standalone mode.
 */
export const NEWEST_MILVUS_PATCH: Readonly<Record<string, string>> = {
    "2.6": "v2.6.16",
};

/** The chart version the cluster pins by default: the newest release whose templates this package's values were rendered against. */
export const DEFAULT_CHART_VERSION = "5.0.19";

/** "v2.6.16" -> "2.6"; undefined for anything that is not a release tag. */
export function milvusLineOf(tag: string): string | undefined {
    const m = /^v?(\d+)\.(\d+)\.\d+(-gpu)?$/.exec(tag);
    return m ? `${m[1]}.${m[2]}` : undefined;
}

export interface Pairing {
    chartVersion: string;
    milvusVersion: string;
    /** Line the chart was made for; undefined when the chart version is not in the table. */
    chartLine?: string;
    milvusLine?: string;
    /** True when the chart is known and was made for the Milvus line being deployed. */
    verified: boolean;
}

export function chartPairing(chartVersion: string, milvusVersion: string): Pairing {
    const chartLine = CHART_RELEASES[chartVersion]?.milvusLine;
    const milvusLine = milvusLineOf(milvusVersion);
    return { chartVersion, milvusVersion, chartLine, milvusLine, verified: chartLine !== undefined && chartLine === milvusLine };
}

/** The Milvus tag a chart runs by default: the newest patch of its line (the default chart's line for unknown charts). */
export function defaultMilvusVersionFor(chartVersion: string): string {
    const line = CHART_RELEASES[chartVersion]?.milvusLine ?? CHART_RELEASES[DEFAULT_CHART_VERSION].milvusLine;
    return NEWEST_MILVUS_PATCH[line];
}

/** "5.0.0 to 5.0.19 (Milvus 2.6)": the table in one phrase, for error messages. */
export function describeChartTable(): string {
    const byLine = new Map<string, string[]>();
    for (const [version, r] of Object.entries(CHART_RELEASES)) byLine.set(r.milvusLine, [...(byLine.get(r.milvusLine) ?? []), version]);
    const cmp = (a: string, b: string) => {
        const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
        return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
    };
    return [...byLine]
        .map(([line, versions]) => {
            const sorted = versions.sort(cmp);
            return `${sorted[0]} to ${sorted[sorted.length - 1]} (Milvus ${line})`;
        })
        .join(", ");
}

export const DEFAULT_MILVUS_VERSION = defaultMilvusVersionFor(DEFAULT_CHART_VERSION);
