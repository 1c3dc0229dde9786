import * as pulumi from "@pulumi/pulumi";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SchemaReport } from "../verify/report";
import { SchemaSpec, VerifySpec } from "../spec/settings";

/** What the dynamic resource stores: its inputs plus the report of the last run. */
export interface SchemaDeploymentInputs {
    address: string;
    token?: string;
    tls?: boolean;
    tlsCaPem?: string;
    tlsServerName?: string;
    spec: SchemaSpec;
    verify?: VerifySpec;
    healthTimeoutSeconds?: number;
    /** Passwords of the declared users (secret in state). */
    passwords?: Record<string, string>;
}

export interface SchemaDeploymentOutputs extends SchemaDeploymentInputs {
    report: SchemaReport;
}

/** Where the provider finds the pipeline at run time. */
export interface PipelineModule {
    /** Absolute path of the compiled module (bin/…js) or, from sources, of pipeline.ts. */
    path: string;
    /** Absolute path of tsx's CommonJS API, needed only to load TypeScript sources. */
    tsLoader?: string;
}

/**
 * Resolved here, to absolute paths, because Pulumi runs a dynamic provider from serialized
 * source in another process, where relative requires (and the program's own TypeScript
 * loader) are not available.
 */
export function pipelineModule(dir: string = __dirname): PipelineModule {
    const js = join(dir, "pipeline.js");
    if (existsSync(js)) return { path: js };
    return { path: join(dir, "pipeline.ts"), tsLoader: require.resolve("tsx/cjs/api") };
}

/**
 * The dynamic provider behind MilvusSchema. Pulumi serializes these functions into the
 * state and runs them in a separate process, so they capture only the module path (a
 * string) and require everything else when called.
 * - create/update: run the pipeline (health, additive reconcile, verify); a failure fails the deploy.
 * - diff: an update whenever the spec, verify options or endpoint change; never a replacement.
 * - delete: nothing; removing the resource from the program never removes data.
 */
export function makeSchemaProvider(module: PipelineModule): pulumi.dynamic.ResourceProvider<SchemaDeploymentInputs, SchemaDeploymentOutputs> {
    const modulePath = module.path;
    const tsLoader = module.tsLoader;
    const loadPipeline = (): typeof import("./pipeline") => {
        if (tsLoader) {
            // Running from sources (tests, `pulumi up` of this repo): load TypeScript through tsx.
            const tsx = require(tsLoader) as { require: (id: string, from: string) => unknown };
            return tsx.require(modulePath, modulePath) as typeof import("./pipeline");
        }
        return require(modulePath) as typeof import("./pipeline");
    };
    const stable = (value: unknown): string =>
        JSON.stringify(value, (_key, v: unknown) =>
            v && typeof v === "object" && !Array.isArray(v)
                ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
                : v,
        ) ?? "undefined";
    // Inputs whose change re-runs the step: endpoint, credentials, schema, verification.
    const rerunOn = ["address", "token", "tls", "tlsCaPem", "tlsServerName", "spec", "verify", "healthTimeoutSeconds", "passwords"] as const;
    const run = async (inputs: SchemaDeploymentInputs): Promise<SchemaDeploymentOutputs> => {
        const pipeline = loadPipeline();
        const report = await pipeline.runSchemaPipeline({
            address: inputs.address,
            token: inputs.token,
            tls: inputs.tls,
            tlsCaPem: inputs.tlsCaPem,
            tlsServerName: inputs.tlsServerName,
            spec: inputs.spec,
            verify: inputs.verify,
            healthTimeoutSeconds: inputs.healthTimeoutSeconds,
            passwords: inputs.passwords,
        });
        return { ...inputs, report };
    };
    return {
        async check(_olds, news) {
            // During preview an input computed by another resource (e.g. a TLS certificate made on
            // the host) arrives as the engine's unknown sentinel: judge only the inputs known now.
            const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
            const holdsUnknown = (v: unknown): boolean =>
                v === UNKNOWN || (typeof v === "object" && v !== null && Object.values(v as Record<string, unknown>).some(holdsUnknown));
            const all = news as unknown as Record<string, unknown>;
            const unknown = Object.keys(all).filter((k) => holdsUnknown(all[k]));
            const known = Object.fromEntries(Object.entries(all).filter(([k]) => !unknown.includes(k))) as unknown as typeof news;
            try {
                loadPipeline().validatePipelineInput(known);
                return { inputs: news };
            } catch (e) {
                const errors = (e as { errors?: { field: string; message: string }[] }).errors;
                const list = errors ?? [{ field: (e as { field?: string }).field ?? "", message: (e as Error).message }];
                const failures = list
                    .map((x) => ({ property: x.field.split(/[.[]/)[0] || "spec", reason: x.message }))
                    .filter((f) => !unknown.includes(f.property));
                return failures.length ? { inputs: news, failures } : { inputs: news };
            }
        },
        async diff(_id, olds, news) {
            const changed = rerunOn.filter((k) => stable(olds[k]) !== stable(news[k]));
            return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
        },
        async create(inputs) {
            const outs = await run(inputs);
            const { randomUUID } = require("node:crypto") as typeof import("node:crypto");
            return { id: `milvus-schema-${randomUUID()}`, outs };
        },
        async update(_id, _olds, news) {
            return { outs: await run(news) };
        },
        async delete() {
            // Deliberately nothing: collections and their data outlive this resource.
        },
    };
}
