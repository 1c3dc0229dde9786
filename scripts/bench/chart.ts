// vega-lite's types sit behind "exports", which this project's node10 resolution does not read.
import type { TopLevelSpec } from "vega-lite/build/index";
import { BenchReport } from "../../components/bench/report";

/**
 * The bench chart as SVG, drawn by Vega-Lite (rendered headless by Vega, no canvas):
 * left, QPS against p99 latency, one line per index and client, a point per concurrency
 * level (up and to the left is better); right, recall@k per index, plain and filtered.
 */
export function benchChartSpec(report: BenchReport): TopLevelSpec {
    const other = report.comparisonClient?.split(" ")[0];
    const points = report.indexes.flatMap((ix) => [
        ...ix.levels.map((l) => ({ series: `${ix.label} · node`, concurrency: l.concurrency, qps: l.node.qps, p99: l.node.latencyMs.p99 })),
        ...ix.levels.flatMap((l) =>
            l.comparison ? [{ series: `${ix.label} · ${other}`, concurrency: l.concurrency, qps: l.comparison.qps, p99: l.comparison.latencyMs.p99 }] : [],
        ),
        ...ix.filtered.map((f) => ({ series: `${ix.label} · node, filtered`, concurrency: f.concurrency, qps: f.qps, p99: f.latencyMs.p99 })),
    ]);
    const recall = report.indexes.flatMap((ix) => [
        ...(ix.recall !== undefined ? [{ index: ix.label, kind: "recall", value: ix.recall }] : []),
        ...(ix.filteredRecall !== undefined ? [{ index: ix.label, kind: "filtered recall", value: ix.filteredRecall }] : []),
    ]);
    const w = report.workload;
    return {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        title: {
            text: `Milvus bench: ${w.rows.toLocaleString("en-US")} x ${w.dim}, top-${w.topK}, ${w.durationSeconds} s per level`,
            subtitle: `${report.target.embedded ? "embedded Milvus Lite" : report.target.address} (${report.target.serverVersion}), ${report.machine.cpus} CPUs, ${report.startedAt.slice(0, 16)}Z`,
        },
        config: { font: "sans-serif" },
        hconcat: [
            {
                width: 460,
                height: 320,
                title: "QPS vs p99 latency (labels: concurrency)",
                data: { values: points },
                encoding: {
                    x: { field: "p99", type: "quantitative", title: "p99 latency (ms)", scale: { zero: true } },
                    y: { field: "qps", type: "quantitative", title: "queries per second", scale: { zero: true } },
                    color: { field: "series", type: "nominal", title: null, legend: { orient: "bottom", columns: 1, labelLimit: 400 } },
                },
                layer: [
                    { mark: { type: "line", point: true }, encoding: { order: { field: "concurrency", type: "quantitative" } } },
                    { mark: { type: "text", dx: 8, dy: -8, fontSize: 10 }, encoding: { text: { field: "concurrency", type: "quantitative" } } },
                ],
            },
            {
                width: Math.max(120, 70 * report.indexes.length),
                height: 320,
                title: `recall@${w.topK} (${w.recallQueries} queries vs exact search)`,
                data: { values: recall },
                mark: "bar",
                encoding: {
                    x: { field: "index", type: "nominal", title: null, axis: { labelAngle: -30, labelLimit: 200 } },
                    xOffset: { field: "kind" },
                    y: { field: "value", type: "quantitative", title: "recall", scale: { domain: [0, 1] } },
                    color: { field: "kind", type: "nominal", title: null, scale: { scheme: "tableau10" }, legend: { orient: "bottom" } },
                },
            },
        ],
        resolve: { scale: { color: "independent" } },
    };
}

export async function renderBenchChart(report: BenchReport): Promise<string> {
    // Both are ES modules with top-level await: loaded with import(), not require().
    const vega = await import("vega");
    const vegaLite = (await import("vega-lite" as string)) as typeof import("vega-lite/build/index");
    const { spec } = vegaLite.compile(benchChartSpec(report));
    const view = new vega.View(vega.parse(spec), { renderer: "none" });
    try {
        return await view.toSVG();
    } finally {
        view.finalize();
    }
}
