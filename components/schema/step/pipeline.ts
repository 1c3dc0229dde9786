import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { ConnectionOptions, createClient } from "../server/connection";
import { SchemaReport, VerificationFailedError } from "../verify/report";
import { connectPhase } from "./connect";
import { duringPhase, StepContext } from "./context";
import { parseSchemaStepSettings, SchemaStepArgs } from "./input";
import { applyPhase, planPhase } from "./reconcile";
import { schemaReportOf } from "./report";
import { canaryPhase, checkAccessPhase, checkCollectionsPhase } from "./verify";

export { DEFAULT_HEALTH_TIMEOUT_SECONDS, parseSchemaStepSettings, schemaStepArgsOf, schemaStepProblems } from "./input";
export type { SchemaStepArgs, SchemaStepSettings } from "./input";
export { passwordProblems, undeclaredPasswordUsers } from "../access/passwords";

/** How a run reports progress and reaches Milvus; not part of what is deployed. */
export interface StepHooks {
    log?: (line: string) => void;
    /** Builds the client; tests pass one that records whether the network was touched. */
    clientFactory?: (options: ConnectionOptions) => MilvusClient;
}

/** The step's input (raw spec and verify options, read by the one validator) and the run's hooks. */
export type PipelineOptions = SchemaStepArgs<unknown, unknown> & StepHooks;

/**
 * The post-deploy step, in phases: connect and diagnose (health, what the server's version can
 * do: a schema it cannot serve fails with every reason before anything is changed), plan (a
 * conflict or access drift anywhere changes nothing), apply (additive steps only, each recorded),
 * then verify (declared collections answer searches; a canary per declared index measures recall;
 * the SLO gate; each declared user's access). Resolves with the report when everything passed;
 * otherwise throws (ConfigError(s), MilvusUnavailableError, MilvusAccessError,
 * UnsupportedByServerError, SchemaConflictError, VerificationFailedError carrying the report).
 */
export async function runSchemaPipeline(options: PipelineOptions): Promise<SchemaReport> {
    const input = parseSchemaStepSettings(options);
    const started = Date.now();
    const connection: ConnectionOptions = { address: input.address, ...(input.token ? { token: input.token } : {}), ...input.tls };
    const clientFactory = options.clientFactory ?? createClient;
    const client = clientFactory(connection);
    const ctx: StepContext = { client, input, connection, log: options.log ?? (() => {}), clientFactory, during: duringPhase(input.address) };
    try {
        const server = await connectPhase(ctx);
        const reconcileStarted = Date.now();
        const plan = await planPhase(ctx, server.access);
        const applied = await applyPhase(ctx, plan);
        const reconcileMs = Date.now() - reconcileStarted;

        const verifyStarted = Date.now();
        const collections = await checkCollectionsPhase(ctx, applied.collections);
        const access = await checkAccessPhase(ctx, server, plan.access, applied.steps);
        const { canaries, slos } = await canaryPhase(ctx);
        const verifyMs = Date.now() - verifyStarted;

        const report = schemaReportOf({
            input,
            server,
            steps: applied.steps,
            collections,
            canaries,
            slos,
            ...(access ? { access } : {}),
            timingsMs: { health: server.healthMs, reconcile: reconcileMs, verify: verifyMs, total: Date.now() - started },
        });
        if (!report.passed) throw new VerificationFailedError(report);
        return report;
    } finally {
        await client.closeConnection().catch(() => undefined);
    }
}
