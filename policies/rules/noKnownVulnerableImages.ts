import { advisoriesFor } from "../advisories";
import { asArray, at, isCloreOrder, isMilvusRelease, isObj, isUnknown, isWorkload, podContainers, resourceName, TYPES, walk } from "../inspect";
import { PolicyRule } from "../view";

function check(image: unknown, where: string, report: (m: string) => void): void {
    if (typeof image !== "string" || image === "" || isUnknown(image)) return;
    for (const a of advisoriesFor(image)) {
        report(`${where} uses ${image}, affected by ${a.id} (${a.summary}; tags from ${a.introduced} up to, not including, ${a.fixed}; see ${a.sources[0]})`);
    }
}

export const noKnownVulnerableImages: PolicyRule = {
    name: "no-known-vulnerable-images",
    description: "No image is pinned to a release with a known vulnerability listed in policies/advisories.ts (image, affected tags, CVE, fixed tag, source).",
    fix: "Pin a fixed release (the default release sets do), e.g. minio/minio:RELEASE.2024-05-28T17-19-04Z; to reproduce an old deployment such as the seed's `release: v2.4.0` on purpose, run this rule as advisory (`--policy-pack-config` with {\"no-known-vulnerable-images\": \"advisory\"}).",
    enforcementLevel: "mandatory",
    validateResource: (r, report) => {
        // A container's image is the pulled image's id; the pull (RemoteImage) names the release.
        if (r.type === TYPES.remoteImage) check(r.props.name, "the image pull", report);
        else if (r.type === TYPES.container) check(r.props.image, `container ${resourceName(r)}`, report);
        else if (isCloreOrder(r)) check(r.props.image, "the Clore.ai order", report);
        else if (isWorkload(r)) {
            for (const c of podContainers(r)) check(c.image, `container ${c.name}`, report);
            for (const c of asArray(at(r.props, "spec", "template", "spec", "initContainers")).filter(isObj)) check(c.image, `init container ${String(c.name ?? "")}`, report);
        } else if (isMilvusRelease(r) && !isUnknown(r.props.values)) {
            for (const o of walk(r.props.values)) {
                const img = o.image;
                if (!isObj(img)) continue;
                for (const b of isObj(img.all) ? [img.all] : [img]) {
                    if (typeof b.repository === "string" && typeof b.tag === "string" && b.tag !== "") check(`${b.repository}:${b.tag}`, "an image in the chart values", report);
                }
            }
        }
    },
};
