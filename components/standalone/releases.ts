/**
 * Known-good image sets. Milvus standalone needs an etcd and a MinIO that its release was
 * tested with; picking the set by Milvus version keeps the three in step. The default is
 * the current 3.0 line; "v2.4.0" reproduces the seed tutorial exactly.
 */
export interface ReleaseSet {
    milvus: string; // tag, without the -gpu suffix
    etcdImage: string;
    minioImage: string;
    attuImage: string;
}

export const RELEASE_SETS: Readonly<Record<string, ReleaseSet>> = {
    "v3.0.2": {
        milvus: "v3.0.2",
        etcdImage: "quay.io/coreos/etcd:v3.5.25",
        minioImage: "minio/minio:RELEASE.2024-05-28T17-19-04Z",
        attuImage: "zilliz/attu:v2.6.5",
    },
    "v2.6.16": {
        milvus: "v2.6.16",
        etcdImage: "quay.io/coreos/etcd:v3.5.18",
        minioImage: "minio/minio:RELEASE.2024-05-28T17-19-04Z",
        attuImage: "zilliz/attu:v2.6.5",
    },
    // The seed tutorial's set, kept so its deployment can be reproduced and compared.
    "v2.4.0": {
        milvus: "v2.4.0",
        etcdImage: "quay.io/coreos/etcd:v3.5.5",
        minioImage: "minio/minio:RELEASE.2023-03-13T19-46-17Z",
        attuImage: "zilliz/attu:v2.4.0",
    },
};

export const DEFAULT_RELEASE = "v3.0.2";

export const MILVUS_REPOSITORY = "milvusdb/milvus";

/** The Milvus image for a tag; GPU index types exist only in the `-gpu` build. */
export function milvusImage(tag: string, gpu: boolean, repository = MILVUS_REPOSITORY): string {
    const base = tag.replace(/-gpu$/, "");
    return `${repository}:${gpu ? `${base}-gpu` : base}`;
}

export interface ImageRef {
    repository: string;
    tag?: string;
    digest?: string;
}

/** Splits `registry/repo:tag@sha256:...` without mistaking a registry port for a tag. */
export function parseImageRef(image: string): ImageRef {
    const [nameAndTag, digest] = image.split("@", 2);
    const lastSlash = nameAndTag.lastIndexOf("/");
    const colon = nameAndTag.indexOf(":", lastSlash + 1);
    return colon === -1
        ? { repository: nameAndTag, digest }
        : { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest };
}

/** True when the image is a GPU build (its tag ends in `-gpu`): only those have the GPU index types. */
export function isGpuImage(image: string): boolean {
    return (parseImageRef(image).tag ?? "").endsWith("-gpu");
}

/**
 * True when the reference names one exact build: a digest, or a tag that is neither a moving
 * one nor a variant of one ("latest-gpu", "master-latest", "nightly-20240821"), which are
 * rebuilt under the same name.
 */
export function isPinnedImage(image: string): boolean {
    const ref = parseImageRef(image);
    if (ref.digest) return /^sha256:[0-9a-f]{64}$/.test(ref.digest);
    return ref.tag !== undefined && ref.tag !== "" && !MOVING_TAGS.has(ref.tag.toLowerCase()) && !MOVING_TAG_VARIANT.test(ref.tag);
}

const MOVING_TAGS = new Set(["latest", "master", "main", "nightly", "edge", "stable", "dev"]);
const MOVING_TAG_VARIANT = /(^|[-_.])(latest|master|main|nightly|edge|dev)([-_.]|$)/i;

/** The Milvus version a standalone deployment runs: its image tag when that is a release tag, else the release set's. */
export function deployedMilvusVersion(s: { milvus: { image: string }; release: string }): string {
    const tag = (parseImageRef(s.milvus.image).tag ?? "").replace(/-gpu$/, "");
    if (/^v\d+\.\d+\.\d+$/.test(tag)) return tag;
    return RELEASE_SETS[s.release]?.milvus ?? s.release;
}
