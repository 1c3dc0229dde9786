import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { int, parseWith, ProblemList, text, z } from "../../configSchema";
import { accessDiagnosis } from "../server/diagnosis";
import { canaryTargets, runCanary } from "../verify/canary";
import { CapabilityCheck, checkServerCapabilities } from "../server/check";
import { checkCollection } from "../verify/collectionCheck";
import { ConnectionOptions, createClient, isConnectionLoss, MilvusConnectionLostError, waitForHealthy } from "../server/connection";
import { parseSchemaSpec, parseVerifySpec, schemaVerifyProblems } from "../spec/parse";
import { CollectionOutcome, planAgainst, reconcileSchema, SchemaConflictError } from "../collections/reconcile";
import { inDatabase, listDatabases } from "../access/apply";
import { planDatabases } from "../access/plan";
import { databaseOf, DEFAULT_DATABASE } from "../access/spec";
import { AccessReport, AccessUnsupportedError, accessUnenforceableReason, applyAccessPlan, planAccessOn, verifyDeclaredAccess } from "../access/step";
import { planSchema, SchemaPlan } from "../collections/plan";
import { ConfigErrors } from "../../errors";
import { passwordProblems, undeclaredPasswordUsers } from "../access/passwords";
import { runSloGate } from "../verify/slo";
import { SloReport } from "../verify/sloReport";
import { CanaryReport, CollectionReport, SchemaReport, VerificationFailedError } from "../verify/report";
import { isSparseIndexType, SchemaSpec, VerifySpec } from "../spec/settings";
import { checkTlsChoice, TlsChoice } from "../server/tls";

export interface PipelineOptions {
    /** `host:port` of Milvus gRPC. */
    address: string;
    token?: string;
    tls?: boolean;
    /** PEM of the CA that signed Milvus's certificate (implies TLS). */
    tlsCaPem?: string;
    /** Host name the certificate must carry when it is not the address's host. */
    tlsServerName?: string;
    /** Declared schema: raw config or an already parsed SchemaSpec (validated again either way). */
    spec: unknown;
    verify?: unknown;
    /** Password of each user declared under `spec.access.users` (secrets: never logged or reported). */
    passwords?: Record<string, string>;
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
    tls: TlsChoice;
    passwords: Record<string, string>;
}

export const DEFAULT_HEALTH_TIMEOUT_SECONDS = 120;
export { passwordProblems, undeclaredPasswordUsers };


const ADDRESS_ALLOWED = "host:port of the Milvus gRPC endpoint (no spaces)";
const pipelineOptionsSchema = z.object({
    address: text(ADDRESS_ALLOWED).refine((a) => !/\s/.test(a), { error: ADDRESS_ALLOWED }),
    healthTimeoutSeconds: int({ min: 1, max: 3600 }).default(DEFAULT_HEALTH_TIMEOUT_SECONDS),
});

/** All input checks, before any network call; every problem is reported at once. */
export function validatePipelineInput(
    options: Pick<PipelineOptions, "address" | "spec" | "verify" | "healthTimeoutSeconds" | "tls" | "tlsCaPem" | "tlsServerName" | "passwords">,
): ValidatedPipelineInput {
    const problems = new ProblemList();
    const { address, healthTimeoutSeconds } =
        problems.read(() => parseWith(pipelineOptionsSchema, { address: options.address, healthTimeoutSeconds: options.healthTimeoutSeconds }, "")) ?? {};
    const spec = problems.read(() => parseSchemaSpec(options.spec));
    const verify = problems.read(() => parseVerifySpec(options.verify));
    const tls = checkTlsChoice(options, problems);
    if (spec && verify) problems.errors.push(...schemaVerifyProblems(spec, verify));
    if (spec) problems.errors.push(...passwordProblems(spec, options.passwords));
    // Option errors first, in the order the options are listed.
    const order = (e: { field: string }) => (e.field === "address" ? 0 : e.field === "healthTimeoutSeconds" ? 2 : 1);
    problems.errors.sort((x, y) => order(x) - order(y));
    problems.throwIfAny();
    return { address: address!, spec: spec!, verify: verify!, healthTimeoutSeconds: healthTimeoutSeconds ?? DEFAULT_HEALTH_TIMEOUT_SECONDS, tls, passwords: options.passwords ?? {} };
}

/** Declared collections grouped by database, `default` first. */
function collectionsByDatabase(spec: SchemaSpec): Map<string, SchemaSpec> {
    const groups = new Map<string, SchemaSpec>([[DEFAULT_DATABASE, { collections: [] }]]);
    for (const c of spec.collections) {
        const db = databaseOf(c);
        if (!groups.has(db)) groups.set(db, { collections: [] });
        groups.get(db)!.collections.push(c);
    }
    return groups;
}

/**
 * The post-deploy step: wait for Milvus to be healthy, check the whole declared schema against
 * what the server's version can do (a schema it cannot serve fails with every reason before
 * anything is changed), reconcile it with additive steps only, then verify (declared collections answer searches; a canary per
 * declared index measures recall). Resolves with the report when everything passed;
 * otherwise throws (ConfigError(s), MilvusUnavailableError, MilvusAccessError,
 * UnsupportedByServerError, SchemaConflictError, VerificationFailedError carrying the report).
 */
export async function runSchemaPipeline(options: PipelineOptions): Promise<SchemaReport> {
    const input = validatePipelineInput(options);
    const log = options.log ?? (() => {});
    const started = Date.now();
    const connection: ConnectionOptions = { address: input.address, ...(options.token ? { token: options.token } : {}), ...input.tls };
    const client = (options.clientFactory ?? createClient)(connection);
    try {
        log(`waiting for Milvus at ${input.address} (up to ${input.healthTimeoutSeconds}s)`);
        const health = await waitForHealthy(client, input.address, { timeoutSeconds: input.healthTimeoutSeconds, classify: accessDiagnosis(connection) });
        const version = await client.getVersion().catch(() => undefined);
        const serverVersion = version?.version || "unknown version";
        // Before any change: a schema this server cannot serve fails here with every reason.
        const capabilities: CapabilityCheck = checkServerCapabilities(input.spec, input.address, version?.version);
        log(capabilities.checked ? `${capabilities.server}: the declared schema is within what it supports` : `capability check skipped: ${capabilities.note}`);

        // A lost connection is reported as such, with the phase, rather than as whichever call failed.
        const during = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
            try {
                return await work();
            } catch (e) {
                if (isConnectionLoss(e)) throw new MilvusConnectionLostError(input.address, phase, (e as Error).message ?? String(e));
                throw e;
            }
        };

        // Access the server cannot enforce: fail before any change, or skip it when that is allowed.
        const declaredAccess = input.spec.access;
        const unenforceable = declaredAccess ? accessUnenforceableReason(version?.version, options.token) : undefined;
        if (declaredAccess && unenforceable && declaredAccess.required) throw new AccessUnsupportedError(input.address, unenforceable);
        if (unenforceable) log(`declared access skipped (access.required: false): ${unenforceable}`);
        const access = declaredAccess && !unenforceable ? declaredAccess : undefined;
        if (access) {
            const missing = passwordProblems(input.spec, input.passwords, true);
            if (missing.length === 1) throw missing[0];
            if (missing.length > 1) throw new ConfigErrors(missing);
        }

        const t0 = Date.now();
        const groups = collectionsByDatabase(input.spec);
        const multiDb = (input.spec.databases?.length ?? 0) > 0 || groups.size > 1;
        const existingDbs = multiDb ? await during("listing databases", () => listDatabases(client)) : [DEFAULT_DATABASE];
        // Everything is read and planned first: a conflict in any database, or access drift, changes nothing anywhere.
        const plans: SchemaPlan[] = [];
        for (const [db, group] of groups) {
            plans.push(
                existingDbs.includes(db)
                    ? await during(`reading database ${db}`, () => inDatabase(client, db, () => planAgainst(client, group)))
                    : planSchema(group, { collections: {}, aliasTargets: {}, allCollections: [] }),
            );
        }
        const conflicts = plans.flatMap((p) => p.conflicts);
        if (conflicts.length) throw new SchemaConflictError(conflicts);
        const accessPlan = access ? await during("reading users, roles and grants", () => planAccessOn(client, input.address, access)) : undefined;

        const applied: string[] = [];
        applied.push(...(await applyAccessPlan(client, planDatabases(input.spec.databases ?? [], existingDbs), input.passwords, log, applied)));
        const reconciledCollections: CollectionOutcome[] = [];
        for (const [db, group] of groups) {
            if (!group.collections.length) continue;
            const result = await during(`reconciling the declared schema${db === DEFAULT_DATABASE ? "" : ` in database ${db}`}`, () =>
                inDatabase(client, db, () => reconcileSchema(client, group, { log, stepTimeoutSeconds: input.verify.stepTimeoutSeconds, alreadyApplied: applied })),
            );
            for (const outcome of result.collections) reconciledCollections.push({ ...outcome, ...(db === DEFAULT_DATABASE ? {} : { database: db }) });
            applied.push(...result.collections.flatMap((c) => c.applied));
        }
        const accessApplied = accessPlan ? await during("applying the declared access", () => applyAccessPlan(client, accessPlan.actions, input.passwords, log, applied)) : [];
        const reconciled = {
            changed: applied.length > 0 || accessApplied.length > 0,
            collections: reconciledCollections,
        };
        const reconcileMs = Date.now() - t0;

        const t1 = Date.now();
        const collections: CollectionReport[] = [];
        const canaries: CanaryReport[] = [];
        for (const outcome of reconciled.collections) {
            const db = outcome.database ?? DEFAULT_DATABASE;
            const cspec = input.spec.collections.find((c) => c.name === outcome.name && databaseOf(c) === db)!;
            collections.push(
                input.verify.enabled
                    ? await during(`checking collection ${outcome.name}`, () => inDatabase(client, db, () => checkCollection(client, cspec, outcome, input.verify)))
                    : { ...outcome, loaded: cspec.load, searches: [], passed: true, failures: [] },
            );
        }
        let accessReport: AccessReport | undefined;
        if (declaredAccess) {
            const users = access && input.verify.enabled
                ? await during("verifying the declared access", () => verifyDeclaredAccess(connection, input.spec, input.passwords, options.clientFactory ?? createClient))
                : [];
            const userFailures = users.flatMap((u) => u.failures);
            accessReport = {
                ...(unenforceable ? { skipped: unenforceable } : {}),
                applied: [...applied.filter((a) => a.startsWith("create database")), ...accessApplied],
                notes: accessPlan?.notes ?? [],
                checked: access !== undefined && input.verify.enabled,
                users,
                passed: userFailures.length === 0,
                failures: userFailures,
            };
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
            ...(accessReport?.failures.map((f) => `access: ${f}`) ?? []),
        ];
        const changes = applied.length + accessApplied.length;
        const report: SchemaReport = {
            address: input.address,
            serverVersion,
            capabilities,
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
            ...(accessReport ? { access: accessReport } : {}),
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
