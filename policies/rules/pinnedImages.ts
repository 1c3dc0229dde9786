import { isPinnedImage } from "../../components/standalone/releases";
import { deployedImages, isUnknown, TYPES } from "../inspect";
import { PolicyRule } from "../view";

const EXACT_CHART_VERSION = /^\d+\.\d+\.\d+$/;

function check(image: unknown, where: string, report: (m: string) => void): void {
    if (typeof image !== "string" || image === "" || isUnknown(image)) return;
    // A Docker image id is one exact build already.
    if (/^sha256:[0-9a-f]{64}$/.test(image)) return;
    if (!isPinnedImage(image)) report(`${where} uses image "${image}", which is not pinned to a version or digest`);
}

export const pinnedImages: PolicyRule = {
    name: "pinned-images",
    description: "Every image is pinned to an exact version tag or digest (no `latest`, no missing tag), and Helm charts to an exact version.",
    fix: 'Use a release tag such as "milvusdb/milvus:v3.0.2" or a digest "@sha256:..."; set an exact chart version such as "5.0.19".',
    enforcementLevel: "mandatory",
    validateResource: (r, report) => {
        for (const { image, where } of deployedImages(r)) check(image, where, report);
        if (r.type === TYPES.helmRelease) {
            const version = r.props.version;
            if (!isUnknown(version) && (typeof version !== "string" || !EXACT_CHART_VERSION.test(version))) {
                report(`Helm chart "${String(r.props.chart)}" has version ${JSON.stringify(version ?? null)}: not an exact chart version`);
            }
        }
    },
};
