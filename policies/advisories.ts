import { parseImageRef } from "../components/standalone/releases";

/**
 * Known vulnerabilities of images this project pins or that a stack may pin, with where each
 * fact comes from. Small on purpose: only advisories that concern how these images are run
 * here, each with an exact affected range of release tags. Add one with its source.
 */
export interface ImageAdvisory {
    /** Repositories (as written in image references, registry included when not Docker Hub). */
    repositories: readonly string[];
    /** How tags of these repositories order; a tag of another shape is not judged. */
    tagOrder: TagOrder;
    /** First affected tag (inclusive). */
    introduced: string;
    /** First fixed tag: affected tags sort below it. */
    fixed: string;
    id: string;
    summary: string;
    sources: readonly string[];
}

export interface TagOrder {
    /** What the tags look like, for messages. */
    shape: string;
    /** A sortable key of a tag, or undefined when the tag is not of this shape. */
    key(tag: string): string | undefined;
}

/** MinIO's `RELEASE.2023-03-20T20-16-18Z` tags (optionally with a suffix such as `.fips`): they sort by their timestamp. */
export const MINIO_RELEASE: TagOrder = {
    shape: "RELEASE.<UTC timestamp>",
    key: (tag) => /^RELEASE\.(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)(?:[.-][A-Za-z0-9.]+)?$/.exec(tag)?.[1],
};

const MINIO_REPOSITORIES = ["minio/minio", "docker.io/minio/minio", "quay.io/minio/minio"];

export const IMAGE_ADVISORIES: readonly ImageAdvisory[] = [
    {
        repositories: MINIO_REPOSITORIES,
        tagOrder: MINIO_RELEASE,
        introduced: "RELEASE.2019-12-17T23-16-33Z",
        fixed: "RELEASE.2023-03-20T20-16-18Z",
        id: "CVE-2023-28432",
        summary:
            "information disclosure: in a distributed setup an unauthenticated request returns MinIO's environment, root credentials included (the seed's RELEASE.2023-03-13T19-46-17Z is affected)",
        sources: ["https://github.com/minio/minio/security/advisories/GHSA-6xvq-wj2x-3h3q", "https://nvd.nist.gov/vuln/detail/CVE-2023-28432"],
    },
];

/** The advisories an image reference falls under (none for digests, ids and tags of an unknown shape). */
export function advisoriesFor(image: string, table: readonly ImageAdvisory[] = IMAGE_ADVISORIES): ImageAdvisory[] {
    const ref = parseImageRef(image);
    if (ref.tag === undefined) return [];
    const repository = ref.repository.toLowerCase();
    return table.filter((a) => {
        if (!a.repositories.includes(repository)) return false;
        const key = a.tagOrder.key(ref.tag!);
        const from = a.tagOrder.key(a.introduced);
        const to = a.tagOrder.key(a.fixed);
        return key !== undefined && from !== undefined && to !== undefined && key >= from && key < to;
    });
}
