import * as pulumi from "@pulumi/pulumi";
import { parseSchemaSpec, parseVerifySpec } from "./parse";
import { makeSchemaProvider, pipelineModule } from "./provider";
import { SchemaReport } from "./report";
import { SchemaSpec, VerifySpec } from "./spec";

export interface MilvusSchemaArgs {
    /** `host:port` of the Milvus gRPC endpoint. */
    address: pulumi.Input<string>;
    /** `user:password` or API key; kept a secret in state. */
    token?: pulumi.Input<string>;
    tls?: pulumi.Input<boolean>;
    /** PEM the server certificate must chain to (e.g. a self-signed certificate); implies TLS. */
    tlsCaPem?: pulumi.Input<string>;
    /** Name the server certificate is checked against instead of the address's host; implies TLS. */
    tlsServerName?: pulumi.Input<string>;
    /** Declared collections (see parseSchemaSpec for the config form). */
    spec: pulumi.Input<SchemaSpec>;
    verify?: pulumi.Input<VerifySpec>;
    /** How long to wait for Milvus to report healthy before failing (default 120 s). */
    healthTimeoutSeconds?: pulumi.Input<number>;
}

const provider = makeSchemaProvider(pipelineModule());

/** The dynamic resource that runs the schema step on create and on update. */
class SchemaDeployment extends pulumi.dynamic.Resource {
    declare readonly report: pulumi.Output<SchemaReport>;

    constructor(name: string, args: MilvusSchemaArgs, opts: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, report: undefined }, opts, "milvus-gpu", "SchemaDeployment");
    }
}

function isPlain<T>(input: pulumi.Input<T> | undefined): input is T {
    return input !== undefined && !pulumi.Output.isInstance(input) && !(input instanceof Promise);
}

/**
 * Leaves Milvus serving the declared schema, or fails the deploy saying why: waits for
 * health, creates what is missing without ever dropping data, then proves it with read-only
 * searches of the declared collections and a canary per declared index (recall against exact
 * search). Give it `dependsOn` the healthy Milvus. Removing it changes nothing in Milvus.
 */
export class MilvusSchema extends pulumi.ComponentResource {
    /** What was created or found, recall and timings of the last run. */
    readonly report: pulumi.Output<SchemaReport>;

    constructor(name: string, args: MilvusSchemaArgs, opts?: pulumi.ComponentResourceOptions) {
        // Plain specs are checked before anything is registered, so a bad one fails at once.
        if (isPlain(args.spec)) parseSchemaSpec(args.spec);
        if (isPlain(args.verify)) parseVerifySpec(args.verify);
        super("milvus-gpu:schema:MilvusSchema", name, {}, opts);
        const deployment = new SchemaDeployment(
            `${name}-deployment`,
            { ...args, ...(args.token !== undefined ? { token: pulumi.secret(args.token) } : {}) },
            { parent: this, additionalSecretOutputs: ["token"] },
        );
        this.report = deployment.report;
        this.registerOutputs({ report: this.report });
    }
}
