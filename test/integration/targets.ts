/**
 * The Milvus servers the integration suite runs against, one vitest project each (chosen in
 * vitest.config.mts): Milvus Lite (one per test file), the real Milvus standalone server from
 * PyPI's `milvus` package with authentication on (one per run, started by globalSetup.ts), or
 * the server named by `MILVUS_ADDRESS` (+ `MILVUS_TOKEN`).
 */
export type TargetKind = "milvus-lite" | "milvus-server" | "external";

export interface TargetSpec {
    /** The vitest project name, printed next to every test file and in the per-target summary. */
    name: TargetKind;
    /** Filled in by globalSetup for a shared server (milvus-server, external). */
    address?: string;
    token?: string;
    /** As the server reports it, when globalSetup asked. */
    version?: string;
    /** The server asks for credentials. */
    authentication?: boolean;
}

declare module "vitest" {
    export interface ProvidedContext {
        milvusTarget: TargetSpec;
    }
}
