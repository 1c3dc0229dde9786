import * as pulumi from "@pulumi/pulumi";
import type { MilvusEndpoint } from "../components/endpoint";
import { MilvusSchema } from "../components/schema";
import { StackConfig } from "./config";
import { loadAccessPasswords } from "./accessPasswords";

/**
 * The schema step's connection inputs from an endpoint. Milvus without TLS gives none of the TLS
 * inputs (absent, not false), so the step's inputs are what they were before the endpoint contract.
 */
function schemaConnection(endpoint: MilvusEndpoint) {
    const present = <T>(value: pulumi.Output<T | undefined>) => value as pulumi.Output<T>;
    return {
        token: endpoint.token.apply((t) => t ?? ""),
        tls: present(endpoint.tls.apply((t) => (t.enabled ? true : undefined))),
        tlsCaPem: present(endpoint.tls.apply((t) => (t.enabled ? (t.caPem ?? "") : undefined))),
        tlsServerName: present(endpoint.tls.apply((t) => (t.enabled ? t.serverName : undefined))),
    };
}

/**
 * The post-deploy step every stack ends with: the declared schema reconciled and search
 * verified against the deployment that was just created (`pulumi up` fails if it fails),
 * and the stack outputs every kind of stack shares.
 */
export function verifiedDeployment(config: StackConfig, endpoint: MilvusEndpoint, dependsOn: pulumi.Resource[]) {
    // Waiting on the deployment's own address keeps the ordering even when an override is used.
    const address = config.schemaAddress ? endpoint.address.apply(() => config.schemaAddress as string) : endpoint.address;
    const schema = new MilvusSchema(
        "schema",
        {
            address,
            ...schemaConnection(endpoint),
            spec: config.schema,
            verify: config.verify,
            ...(config.schema.access?.users.length ? { passwords: loadAccessPasswords() } : {}),
        },
        { dependsOn },
    );
    return {
        schema,
        outputs: {
            mode: config.mode,
            // Output names stay as users and scripts read them (`pulumi stack output endpoint`).
            endpoint: endpoint.address,
            healthUrl: endpoint.healthUrl,
            username: endpoint.username,
            rootPassword: endpoint.rootPassword,
            schemaReport: schema.report,
            // One least-privilege token per declared user (secret); applications use these, not root's.
            ...(config.schema.access?.users.length ? { accessTokens: schema.tokens } : {}),
        },
    };
}
