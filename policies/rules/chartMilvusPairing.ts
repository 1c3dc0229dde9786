import { CHART_RELEASES, chartPairing, describeChartTable } from "../../components/cluster/chartReleases";
import { at, isMilvusRelease, isUnknown } from "../inspect";
import { PolicyRule } from "../view";

export const chartMilvusPairing: PolicyRule = {
    name: "chart-milvus-pairing",
    description: "A release of the milvus Helm chart runs the Milvus line that chart version was made for (its appVersion's major.minor), so the chart's templates match the server they deploy.",
    fix: "Use a Milvus tag of the chart's line (chart 5.0.19: v2.6.x, default v2.6.16), or a chart made for your Milvus line; `cluster.acceptUnverifiedPairing: true` deploys another pair on purpose and this rule keeps pointing it out.",
    enforcementLevel: "advisory",
    validateResource: (r, report) => {
        if (!isMilvusRelease(r)) return;
        const version = r.props.version;
        const tag = at(r.props.values, "image", "all", "tag");
        if (typeof version !== "string" || isUnknown(version) || isUnknown(tag)) return;
        const chart = CHART_RELEASES[version];
        if (chart === undefined) {
            report(`chart milvus@${version} is not one whose Milvus line is known (${describeChartTable()}): its pairing with Milvus is unverified`);
            return;
        }
        // No tag: the chart runs its own appVersion.
        if (typeof tag !== "string" || tag === "") return;
        const p = chartPairing(version, tag);
        if (!p.verified) {
            report(`chart milvus@${version} was made for Milvus ${chart.milvusLine} (appVersion ${chart.appVersion}) but runs Milvus ${tag}${p.milvusLine ? ` (line ${p.milvusLine})` : ""}: a pairing nobody has checked`);
        }
    },
};
