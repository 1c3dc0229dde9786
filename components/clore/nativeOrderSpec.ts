/** What a native Clore.ai order runs: a pure spec, apart from the component (config validation reads it too). */
import type { ClorePortKind } from "./api";
import { NVIDIA_ENV } from "./rentalArgs";

/** The Milvus release the native usage runs (its `-gpu` image). */
export const DEFAULT_NATIVE_MILVUS_VERSION = "v3.0.2";

export const MILVUS_GRPC_PORT = 19530;
export const MILVUS_HTTP_PORT = 9091;

/** The order's container: Milvus alone, etcd embedded and data on local storage. */
export interface NativeMilvusOrderSpec {
    image: string;
    command: string;
    ports: Record<string, ClorePortKind>;
    /** Without the root password, which is added as a secret. */
    env: Record<string, string>;
}

export function nativeMilvusOrderSpec(version: string = DEFAULT_NATIVE_MILVUS_VERSION): NativeMilvusOrderSpec {
    if (!/^v\d+\.\d+\.\d+$/.test(version)) throw new Error(`CloreNativeMilvus: version ${JSON.stringify(version)} is not a Milvus release tag such as "v3.0.2"`);
    return {
        // GPU index types exist only in the -gpu build.
        image: `milvusdb/milvus:${version}-gpu`,
        command: "milvus run standalone",
        ports: { [String(MILVUS_GRPC_PORT)]: "tcp", [String(MILVUS_HTTP_PORT)]: "tcp" },
        env: {
            ...NVIDIA_ENV,
            ETCD_USE_EMBED: "true",
            ETCD_DATA_DIR: "/var/lib/milvus/etcd",
            COMMON_STORAGETYPE: "local",
            // The gRPC port is public: never run it without authentication.
            COMMON_SECURITY_AUTHORIZATIONENABLED: "true",
        },
    };
}
