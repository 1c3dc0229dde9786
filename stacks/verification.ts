import * as pulumi from "@pulumi/pulumi";
import { MilvusSchema } from "../components/schema/milvusSchema";
import { SchemaReport } from "../components/schema/report";
import { StackConfig } from "./config";

export interface VerificationTarget {
    /** The deployment's own endpoint; resolves only once Milvus is healthy. */
    address: pulumi.Output<string>;
    token: pulumi.Output<string | undefined>;
    /** What must exist (healthy) before the schema step runs. */
    dependsOn: pulumi.Resource[];
}

/**
 * The post-deploy step every stack ends with: the declared schema reconciled and search
 * verified against the deployment that was just created. `pulumi up` fails if it fails.
 */
export function schemaStep(config: StackConfig, target: VerificationTarget): { schema: MilvusSchema; report: pulumi.Output<SchemaReport> } {
    // Waiting on the deployment's own address keeps the ordering even when an override is used.
    const address = config.schemaAddress
        ? target.address.apply(() => config.schemaAddress as string)
        : target.address;
    const schema = new MilvusSchema(
        "schema",
        {
            address,
            token: target.token.apply((t) => t ?? ""),
            spec: config.schema,
            verify: config.verify,
        },
        { dependsOn: target.dependsOn },
    );
    return { schema, report: schema.report };
}
