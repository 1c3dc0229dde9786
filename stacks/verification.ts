import * as pulumi from "@pulumi/pulumi";
import { MilvusSchema } from "../components/schema";
import { StackConfig } from "./config";
import { loadAccessPasswords } from "./accessPasswords";

/** How clients reach a deployment; every kind of stack produces one. */
export interface MilvusAccess {
    /** `host:port` of gRPC; resolves only once Milvus is healthy. */
    endpoint: pulumi.Output<string>;
    healthUrl: pulumi.Output<string>;
    username: pulumi.Output<string | undefined>;
    /** Secret. */
    rootPassword: pulumi.Output<string | undefined>;
    /** Secret `user:password` for SDKs. */
    token: pulumi.Output<string | undefined>;
    /** Milvus's own TLS: the certificate (PEM) clients trust and the name they check it against. */
    tls?: { caPem: pulumi.Output<string>; serverName?: pulumi.Output<string | undefined> };
    /** What must exist (healthy) before the schema step runs. */
    dependsOn: pulumi.Resource[];
}

/**
 * The post-deploy step every stack ends with: the declared schema reconciled and search
 * verified against the deployment that was just created (`pulumi up` fails if it fails),
 * and the stack outputs every kind of stack shares.
 */
export function verifiedDeployment(config: StackConfig, access: MilvusAccess) {
    // Waiting on the deployment's own address keeps the ordering even when an override is used.
    const address = config.schemaAddress ? access.endpoint.apply(() => config.schemaAddress as string) : access.endpoint;
    const schema = new MilvusSchema(
        "schema",
        {
            address,
            token: access.token.apply((t) => t ?? ""),
            ...(access.tls
                ? { tls: true, tlsCaPem: access.tls.caPem, ...(access.tls.serverName ? { tlsServerName: access.tls.serverName.apply((n) => n ?? "") } : {}) }
                : {}),
            spec: config.schema,
            verify: config.verify,
            ...(config.schema.access?.users.length ? { passwords: loadAccessPasswords() } : {}),
        },
        { dependsOn: access.dependsOn },
    );
    return {
        schema,
        outputs: {
            mode: config.mode,
            endpoint: access.endpoint,
            healthUrl: access.healthUrl,
            username: access.username,
            rootPassword: access.rootPassword,
            schemaReport: schema.report,
            // One least-privilege token per declared user (secret); applications use these, not root's.
            ...(config.schema.access?.users.length ? { accessTokens: schema.tokens } : {}),
        },
    };
}
