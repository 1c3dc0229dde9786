import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ConfigErrors } from "../../errors";
import { SchemaReport } from "../verify/report";
import { SchemaStepArgs, schemaStepProblems } from "./input";
import { makeSchemaProvider, pipelineModule } from "./provider";

/**
 * The step's input (SchemaStepArgs), each value a pulumi.Input. Written out as an interface
 * because the package schema (plugin/) reads component args from interface declarations;
 * the check below keeps it key for key with SchemaStepArgs.
 */
export interface MilvusSchemaArgs {
    /** `host:port` of the Milvus gRPC endpoint. */
    address: pulumi.Input<string>;
    /** `user:password` or API key; kept a secret in state. */
    token?: pulumi.Input<string>;
    tls?: pulumi.Input<boolean>;
    /** PEM of the CA that signed Milvus's certificate; implies TLS. May be a secret (kept one in state). */
    tlsCaPem?: pulumi.Input<string>;
    /** Host name Milvus's certificate carries, when it is not the host of `address`. */
    tlsServerName?: pulumi.Input<string>;
    /** Declared collections, as in stack config `milvus-gpu:schema` (a parsed SchemaSettings fits too). */
    spec: pulumi.Input<SchemaStepArgs["spec"]>;
    /** Verification options, as in stack config `milvus-gpu:verify`; defaults when absent. */
    verify?: pulumi.Input<NonNullable<SchemaStepArgs["verify"]>>;
    /** How long to wait for Milvus to report healthy before failing (default 120 s). */
    healthTimeoutSeconds?: pulumi.Input<number>;
    /**
     * Passwords of users declared under `spec.access.users`, by user name (kept secrets). A
     * declared user without one gets a generated password (a `random.RandomPassword` child).
     */
    passwords?: Record<string, pulumi.Input<string>>;
}
// Same keys as the step's input, so a new input cannot be forgotten here (fails to compile).
const argsMatchStep: [Exclude<keyof MilvusSchemaArgs, keyof SchemaStepArgs>, Exclude<keyof SchemaStepArgs, keyof MilvusSchemaArgs>] extends [never, never] ? true : false = true;
void argsMatchStep;

const provider = makeSchemaProvider(pipelineModule());

/** The dynamic resource that runs the schema step on create and on update. */
class SchemaDeployment extends pulumi.dynamic.Resource {
    declare readonly report: pulumi.Output<SchemaReport>;

    constructor(name: string, args: MilvusSchemaArgs, opts: pulumi.CustomResourceOptions) {
        super(provider, name, { ...args, report: undefined }, opts, "milvus-gpu", "SchemaDeployment");
    }
}

function isPlain<T>(input: pulumi.Input<T> | undefined): input is T {
    return input === undefined || (!pulumi.Output.isInstance(input) && !(input instanceof Promise));
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
    /**
     * Secret `user:password` of each declared user, for the applications that sign in as them;
     * resolves once the step has created the users and proved their access.
     */
    readonly tokens: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: MilvusSchemaArgs, opts?: pulumi.ComponentResourceOptions) {
        // What is known now is checked before anything is registered, by the step's own validator,
        // so a bad input fails at once. Errors name the args as written (`spec.collections[0]...`).
        // A missing password is not a problem here: one is generated below.
        const { problems } = schemaStepProblems(
            { ...args, passwords: args.passwords ?? {} },
            { names: { spec: "spec", verify: "verify" }, isUnknown: (v) => !isPlain(v) },
        );
        const given = args.passwords ?? {};
        const judged = problems.filter((p) => !(p.field.startsWith("passwords.") && !(p.field.slice("passwords.".length) in given)));
        // Password problems always come as a list (as they always have), others one by one when alone.
        if (judged.length === 1 && !judged[0].field.startsWith("passwords.")) throw judged[0];
        if (judged.length) throw new ConfigErrors(judged);
        super("milvus-gpu:index:MilvusSchema", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), { type: "milvus-gpu:schema:MilvusSchema" }] });
        const spec = isPlain(args.spec) ? (args.spec as { access?: { users?: { name: string }[] } }) : undefined;
        const users = (spec?.access?.users ?? []).map((u) => u.name);
        // Generated passwords live in this stack's state (secret), so a later run signs in with the same ones.
        const passwords: Record<string, pulumi.Input<string>> = {};
        for (const user of users) {
            passwords[user] =
                args.passwords?.[user] ?? new random.RandomPassword(`${name}-user-${user}`, { length: 24, special: false }, { parent: this }).result;
        }
        const secretPasswords = pulumi.secret(pulumi.all(passwords));
        const deployment = new SchemaDeployment(
            `${name}-deployment`,
            {
                ...args,
                ...(args.token !== undefined ? { token: pulumi.secret(args.token) } : {}),
                ...(users.length ? { passwords: secretPasswords } : { passwords: undefined }),
            },
            { parent: this, additionalSecretOutputs: ["token", "tlsCaPem", "passwords"] },
        );
        this.report = deployment.report;
        this.tokens = pulumi.secret(
            pulumi.all([secretPasswords, deployment.report]).apply(([p]) => Object.fromEntries(Object.entries(p).map(([user, password]) => [user, `${user}:${password}`]))),
        );
        this.registerOutputs({ report: this.report, tokens: this.tokens });
    }
}
