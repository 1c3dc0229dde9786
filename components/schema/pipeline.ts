import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { ConfigError } from "../errors";
import { optionalInteger, Problems, requiredString } from "../validate";
import { canaryTargets, runCanary } from "./canary";
import { checkCollection } from "./checks";
import { ConnectionOptions, createClient, isConnectionLoss, MilvusConnectionLostError, waitForHealthy } from "./connection";
import { parseSchemaSpec, parseVerifySpec } from "./parse";
import { reconcileSchema } from "./reconcile";
import { runSloGate } from "./slo";
import { SloReport } from "./sloReport";
import { CanaryReport, CollectionReport, SchemaReport, VerificationFailedError } from "./report";
import { isSparseIndexType, SchemaSpec, VerifySpec } from "./spec";

export interface PipelineOptions {
    /** `host:port` of Milvus gRPC. */
    address: string;
    token?: string;
    tls?: boolean;
    /** PEM the server certificate must chain to; implies TLS. */
    tlsCaPem?: string;
    /** Name the server certificate is checked against instead of the address's host. */
    tlsServerName?: string;
    /** Declared schema: raw config or an already parsed SchemaSpec (validated again either way). */
    spec: unknown;
    verify?: unknown;
    /** How long to wait for Milvus to report healthy (default 120 s). */
    healthTimeoutSeconds?: number;
    log?: (line: string) => void;
    /** Builds the client; tests pass one that records whether the network was touched. */
    clientFactory?: (options: ConnectionOptions) => MilvusClient;
}

export interface ValidatedPipelineInput {
    address: string;
    spec: SchemaSpec;
    verify: VerifySpec;
    healthTimeoutSeconds: number;
}

export const DEFAULT_HEALTH_TIMEOUT_SECONDS = 120;

/** All input checks, before any network call; every problem is reported at once. */
export function validatePipelineInput(options: Pick<PipelineOptions, "address" | "spec" | "verify" | "healthTimeoutSeconds">): ValidatedPipelineInput {
    const problems = new Problems();
    const address = problems.capture(() => {
        const a = requiredString(options.address, "address");
        if (/\s/.test(a)) throw new ConfigError("address", a, "host:port of the Milvus gRPC endpoint (no spaces)");
        return a;
    });
    const spec = problems.capture(() => parseSchemaSpec(options.spec));
    const verify = problems.capture(() => parseVerifySpec(options.verify));
    const healthTimeoutSeconds =
        problems.capture(() => optionalInteger(options.healthTimeoutSeconds, "healthTimeoutSeconds", { min: 1, max: 3600 })) ??
        DEFAULT_HEALTH_TIMEOUT_SECONDS;
    if (spec && verify) {
        spec.collections.forEach((c, i) =>
            c.vectorIndexes.forEach((ix) => {
                const ef = ix.searchParams.ef;
                if (typeof ef === "number" && ef < verify.topK) {
                    problems.add(`schema.collections[${i}].indexes.${ix.field}.searchParams.ef`, ef, `at least verify.topK (${verify.topK}); Milvus rejects ef < limit`);
                }
            }),
        );
    }
    problems.throwIfAny();
    return { address: address!, spec: spec!, verify: verify!, healthTimeoutSeconds };
}

/**
 * The post-deploy step: wait for Milvus to be healthy, reconcile the declared schema with
 * additive steps only, then verify (declared collections answer searches; a canary per
 * declared index measures recall). Resolves with the report when everything passed;
 * otherwise throws (ConfigError(s), MilvusUnavailableError, SchemaConflictError,
 * VerificationFailedError carrying the report).
 */
export async function runSchemaPipeline(options: PipelineOptions): Promise<SchemaReport> {
    const input = validatePipelineInput(options);
    const log = options.log ?? (() => {});
    const started = Date.now();
    const client = (options.clientFactory ?? createClient)({
        address: input.address,
        ...(options.token ? { token: options.token } : {}),
        ...(options.tls !== undefined ? { tls: options.tls } : {}),
        ...(options.tlsCaPem ? { tlsCaPem: options.tlsCaPem } : {}),
        ...(options.tlsServerName ? { tlsServerName: options.tlsServerName } : {}),
    });
    try {
        log(`waiting for Milvus at ${input.address} (up to ${input.healthTimeoutSeconds}s)`);
        const health = await waitForHealthy(client, input.address, { timeoutSeconds: input.healthTimeoutSeconds });
        const version = await client.getVersion().catch(() => undefined);
        const serverVersion = version?.version || "unknown version";

        // A lost connection is reported as such, with the phase, rather than as whichever call failed.
        const during = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
            try {
                return await work();
            } catch (e) {
                if (isConnectionLoss(e)) throw new MilvusConnectionLostError(input.address, phase, (e as Error).message ?? String(e));
                throw e;
            }
        };

        const t0 = Date.now();
        const reconciled = await during("reconciling the declared schema", () =>
            reconcileSchema(client, input.spec, { log, stepTimeoutSeconds: input.verify.stepTimeoutSeconds }),
        );
        const reconcileMs = Date.now() - t0;

        const t1 = Date.now();
        const collections: CollectionReport[] = [];
        const canaries: CanaryReport[] = [];
        for (const outcome of reconciled.collections) {
            const cspec = input.spec.collections.find((c) => c.name === outcome.name)!;
            collections.push(
                input.verify.enabled
                    ? await during(`checking collection ${outcome.name}`, () => checkCollection(client, cspec, outcome, input.verify))
                    : { ...outcome, loaded: cspec.load, searches: [], passed: true, failures: [] },
            );
        }
        const slos: SloReport[] = [];
        if (input.verify.enabled) {
            for (const target of canaryTargets(input.spec)) {
                canaries.push(await during(`running the ${target.index.type} canary`, () => runCanary(client, target, input.verify, log)));
            }
            const slo = input.verify.slo;
            if (slo) {
                for (const target of canaryTargets(input.spec).filter((t) => !isSparseIndexType(t.index.type))) {
                    slos.push(await during(`measuring the ${target.index.type} SLO`, () => runSloGate(client, target, { ...input.verify, slo }, input.address, log)));
                }
            }
        }
        const verifyMs = Date.now() - t1;

        const failures = [
            ...collections.flatMap((c) => c.failures.map((f) => `collection ${c.name}: ${f}`)),
            ...canaries.flatMap((k) => k.failures.map((f) => `canary ${k.index.type}/${k.index.metric}: ${f}`)),
            ...slos.flatMap((r) => r.failures.map((f) => `slo ${r.index.type}/${r.index.metric}: ${f}`)),
        ];
        const changes = reconciled.collections.flatMap((c) => c.applied).length;
        const report: SchemaReport = {
            address: input.address,
            serverVersion,
            changed: reconciled.changed,
            summary:
                (reconciled.changed ? `${changes} change${changes === 1 ? "" : "s"} applied` : "no changes: the schema already matches") +
                (input.verify.enabled ? `; ${canaries.length} canar${canaries.length === 1 ? "y" : "ies"} run` : "; verification disabled") +
                (slos.length ? `; SLO ${slos.every((r) => r.passed) ? "met" : "MISSED"}` : "") +
                (input.verify.enabled && input.verify.slo && !slos.length ? "; SLO not run: no dense vector index declared" : ""),
            recallThreshold: input.verify.recallThreshold,
            collections,
            canaries,
            ...(input.verify.slo ? { slo: slos } : {}),
            passed: failures.length === 0,
            failures,
            timingsMs: { health, reconcile: reconcileMs, verify: verifyMs, total: Date.now() - started },
            finishedAt: new Date().toISOString(),
        };
        if (!report.passed) throw new VerificationFailedError(report);
        return report;
    } finally {
        await client.closeConnection().catch(() => undefined);
    }
}
