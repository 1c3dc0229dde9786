import * as pulumi from "@pulumi/pulumi";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SchemaReport } from "../verify/report";
import { SCHEMA_STEP_INPUTS, SchemaStepArgs } from "./input";

/** What the dynamic resource stores: the step's inputs, resolved. */
export type SchemaDeploymentInputs = SchemaStepArgs;

/** Its inputs plus the report of the last run. */
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
    // Every input re-runs the step when it changes. Copied into a local so the serialized
    // provider captures a plain array, not the module it came from.
    const rerunOn: readonly (keyof SchemaDeploymentInputs)[] = [...SCHEMA_STEP_INPUTS];
    const run = async (inputs: SchemaDeploymentInputs): Promise<SchemaDeploymentOutputs> => {
        const pipeline = loadPipeline();
        const report = await pipeline.runSchemaPipeline(pipeline.schemaStepArgsOf(inputs));
        return { ...inputs, report };
    };
    return {
        async check(_olds, news) {
            // During preview an input computed by another resource (e.g. a TLS certificate made on
            // the host) arrives as the engine's unknown sentinel: judge only the inputs known now.
            const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
            const holdsUnknown = (v: unknown): boolean =>
                v === UNKNOWN || (typeof v === "object" && v !== null && Object.values(v as Record<string, unknown>).some(holdsUnknown));
            let problems: { field: string; message: string }[];
            try {
                problems = loadPipeline().schemaStepProblems(news, { isUnknown: holdsUnknown }).problems;
            } catch (e) {
                problems = [{ field: (e as { field?: string }).field ?? "", message: (e as Error).message }];
            }
            const failures = problems.map((x) => ({ property: x.field.split(/[.[]/)[0] || "spec", reason: x.message }));
            return failures.length ? { inputs: news, failures } : { inputs: news };
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
