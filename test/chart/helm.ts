import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { DEFAULT_CHART_VERSION } from "../../components/cluster/chartReleases";

/**
 * Finds what `helm template` of the pinned chart needs: a helm binary (`HELM_BIN`, else
 * `helm` on PATH) and the unpacked chart with its vendored subcharts (`MILVUS_CHART_DIR`).
 * Nothing of the chart is in the repository; without both the render test is skipped and
 * says why.
 */
export interface ChartSetup {
    helm: string;
    chartDir: string;
    chart: { version: string; appVersion: string };
}

export type Availability = { ok: true; setup: ChartSetup } | { ok: false; reason: string };

function findHelm(): string | undefined {
    const explicit = process.env.HELM_BIN;
    if (explicit) return fs.existsSync(explicit) ? explicit : undefined;
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, "helm");
        if (dir && fs.existsSync(candidate)) return candidate;
    }
    return undefined;
}

/** MILVUS_CHART_DIR may name the chart itself or a tree holding it at charts/milvus (an exported tag). */
function findChart(dir: string): string | undefined {
    for (const candidate of [dir, path.join(dir, "charts", "milvus"), path.join(dir, "milvus")]) {
        if (fs.existsSync(path.join(candidate, "Chart.yaml"))) return candidate;
    }
    return undefined;
}

export function chartAvailability(): Availability {
    const helm = findHelm();
    if (!helm) return { ok: false, reason: process.env.HELM_BIN ? `HELM_BIN=${process.env.HELM_BIN} does not exist` : "no helm on PATH and HELM_BIN unset" };
    const dir = process.env.MILVUS_CHART_DIR;
    if (!dir) return { ok: false, reason: "MILVUS_CHART_DIR unset (the directory of the unpacked milvus chart)" };
    const chartDir = findChart(dir);
    if (!chartDir) return { ok: false, reason: `no Chart.yaml in MILVUS_CHART_DIR=${dir} (nor in its charts/milvus)` };
    const chart = parse(fs.readFileSync(path.join(chartDir, "Chart.yaml"), "utf8")) as { version: string; appVersion: string };
    if (String(chart.version) !== DEFAULT_CHART_VERSION) {
        return { ok: false, reason: `the chart in ${chartDir} is version ${chart.version}; the pinned chart is ${DEFAULT_CHART_VERSION}` };
    }
    // The subcharts are vendored as .tgz; `helm dependency build` would need the internet.
    const requirements = path.join(chartDir, "requirements.yaml");
    const deps = (parse(fs.existsSync(requirements) ? fs.readFileSync(requirements, "utf8") : "") as { dependencies?: { name: string; version: string }[] } | null)?.dependencies ?? [];
    const missing = deps.filter((d) => !fs.existsSync(path.join(chartDir, "charts", `${d.name}-${d.version}.tgz`)));
    if (missing.length > 0) {
        return { ok: false, reason: `subcharts missing from ${chartDir}/charts: ${missing.map((d) => `${d.name}-${d.version}.tgz`).join(", ")}` };
    }
    return { ok: true, setup: { helm, chartDir, chart: { version: String(chart.version), appVersion: String(chart.appVersion) } } };
}

export type Manifest = Record<string, any>;

/**
 * Kubernetes version the charts are rendered for. A helm built with `go install` (no release
 * ldflags) assumes v1.20 and the subcharts then pick APIs removed since (policy/v1beta1).
 */
export const KUBE_VERSION = "1.31.0";

/** `helm template <release> <chart> -n <namespace> -f <values>`, parsed into its documents. */
export function helmTemplate(setup: ChartSetup, release: string, namespace: string, values: unknown): Manifest[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "milvus-values-"));
    const file = path.join(dir, "values.json");
    try {
        // JSON is YAML: helm reads the builder's values exactly as the component hands them over.
        fs.writeFileSync(file, JSON.stringify(values));
        const out = execFileSync(setup.helm, ["template", release, setup.chartDir, "--namespace", namespace, "--kube-version", KUBE_VERSION, "--values", file], {
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        return parseAllDocuments(out)
            .map((d) => d.toJSON() as Manifest | null)
            .filter((d): d is Manifest => d !== null && typeof d === "object" && typeof d.kind === "string");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
