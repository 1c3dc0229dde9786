import { advisoriesFor } from "../advisories";
import { deployedImages, isUnknown } from "../inspect";
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
        for (const { image, where } of deployedImages(r)) check(image, where, report);
    },
};
