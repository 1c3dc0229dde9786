import * as pulumi from "@pulumi/pulumi";

/** How a client reaches Milvus over TLS; `enabled: false` means plaintext gRPC. */
export interface MilvusTls {
    enabled: boolean;
    /** PEM of the certificate (or its CA) that clients should trust; public. */
    caPem?: string;
    /** The name the certificate carries, when it is not the host of `address`. */
    serverName?: string;
}

/**
 * What every Milvus component offers its callers, whatever runs it (Docker standalone, a
 * Clore.ai native rental, Kubernetes): enough to connect an SDK and to hand to MilvusSchema.
 */
export interface MilvusEndpoint {
    /** `host:port` of the gRPC endpoint SDKs connect to. */
    readonly address: pulumi.Output<string>;
    /** Milvus's `/healthz` URL (port 9091). */
    readonly healthUrl: pulumi.Output<string>;
    /** The root user's name; undefined when authentication is off. */
    readonly username: pulumi.Output<string | undefined>;
    /** Secret; undefined when authentication is off. */
    readonly rootPassword: pulumi.Output<string | undefined>;
    /** Secret `user:password` token for SDKs; undefined when authentication is off. */
    readonly token: pulumi.Output<string | undefined>;
    readonly tls: pulumi.Output<MilvusTls>;
}
