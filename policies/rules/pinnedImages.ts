import { isPinnedImage } from "../../components/standalone/releases";
import { asArray, at, isCloreOrder, isMilvusRelease, isObj, isUnknown, isWorkload, podContainers, resourceName, TYPES, walk } from "../inspect";
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
        if (r.type === TYPES.remoteImage) check(r.props.name, "the image pull", report);
        else if (r.type === TYPES.container) check(r.props.image, `container ${resourceName(r)}`, report);
        else if (isCloreOrder(r)) check(r.props.image, "the Clore.ai order", report);
        else if (isWorkload(r)) {
            for (const c of podContainers(r)) check(c.image, `container ${c.name}`, report);
            for (const c of asArray(at(r.props, "spec", "template", "spec", "initContainers")).filter(isObj)) {
                check(c.image, `init container ${String(c.name ?? "")}`, report);
            }
        } else if (r.type === TYPES.helmRelease) {
            const version = r.props.version;
            if (!isUnknown(version) && (typeof version !== "string" || !EXACT_CHART_VERSION.test(version))) {
                report(`Helm chart "${String(r.props.chart)}" has version ${JSON.stringify(version ?? null)}: not an exact chart version`);
            }
            if (isMilvusRelease(r)) {
                // image: {repository, tag} blocks anywhere in the values (Milvus, etcd, MinIO, Attu ...).
                for (const o of walk(r.props.values)) {
                    const img = o.image;
                    if (!isObj(img)) continue;
                    const blocks = isObj(img.all) ? [img.all] : [img];
                    for (const b of blocks) {
                        if (b.tag === undefined && b.repository === undefined) continue;
                        if (b.tag === undefined || b.tag === "") continue; // the chart's own pinned default applies
                        check(`${String(b.repository ?? "image")}:${String(b.tag)}`, "the chart values", report);
                    }
                }
            }
        }
    },
};
