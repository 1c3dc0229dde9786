import { AccessPlan } from "../access/plan";
import { AccessReport, verifyDeclaredAccess } from "../access/step";
import { UserAccessReport } from "../access/verify";
import { inDatabase } from "../collections/databases";
import { CollectionOutcome } from "../collections/reconcile";
import { databaseOf, DEFAULT_DATABASE } from "../spec/databases";
import { isSparseIndexType } from "../spec/settings";
import { canaryTargets, runCanary } from "../verify/canary";
import { checkDeclaredCollection } from "../verify/collectionCheck";
import { CanaryReport, CollectionReport } from "../verify/report";
import { runSloGate } from "../verify/slo";
import { SloReport } from "../verify/sloReport";
import { AppliedStep, describeApplied } from "./applied";
import { StepContext } from "./context";
import { ServerFacts } from "./connect";

/** Read-only checks of the declared collections (answers only when verification is on). */
export async function checkCollectionsPhase(ctx: StepContext, outcomes: readonly CollectionOutcome[]): Promise<CollectionReport[]> {
    const { client, input, during } = ctx;
    const out: CollectionReport[] = [];
    for (const outcome of outcomes) {
        const db = outcome.database ?? DEFAULT_DATABASE;
        const declared = input.spec.collections.find((c) => c.name === outcome.name && databaseOf(c) === db)!;
        out.push(
            input.verify.enabled
                ? await during(`checking collection ${outcome.name}`, () => inDatabase(client, db, () => checkDeclaredCollection(client, declared, outcome, input.verify)))
                : { ...outcome, loaded: declared.load, searches: [], passed: true, failures: [] },
        );
    }
    return out;
}

/** The access part of the report: what was applied (databases included) and, when verifying, what each user could do. */
export async function checkAccessPhase(ctx: StepContext, server: ServerFacts, accessPlan: AccessPlan | undefined, steps: readonly AppliedStep[]): Promise<AccessReport | undefined> {
    const { input, during } = ctx;
    if (!input.spec.access) return undefined;
    const checked = server.access !== undefined && input.verify.enabled;
    const users: UserAccessReport[] = checked
        ? await during("verifying the declared access", () => verifyDeclaredAccess(ctx.connection, input.spec, input.passwords, ctx.clientFactory))
        : [];
    const failures = users.flatMap((u) => u.failures);
    return {
        ...(server.accessSkipped ? { skipped: server.accessSkipped } : {}),
        applied: steps.filter((s) => s.kind === "database" || s.kind === "access").map(describeApplied),
        notes: accessPlan?.notes ?? [],
        checked,
        users,
        passed: failures.length === 0,
        failures,
    };
}

/** A canary per distinct declared index, then the SLO gate per dense index when `verify.slo` is set. */
export async function canaryPhase(ctx: StepContext): Promise<{ canaries: CanaryReport[]; slos: SloReport[] }> {
    const { client, input, log, during } = ctx;
    const canaries: CanaryReport[] = [];
    const slos: SloReport[] = [];
    if (!input.verify.enabled) return { canaries, slos };
    for (const target of canaryTargets(input.spec)) {
        canaries.push(await during(`running the ${target.index.type} canary`, () => runCanary(client, target, input.verify, log)));
    }
    const slo = input.verify.slo;
    if (slo) {
        for (const target of canaryTargets(input.spec).filter((t) => !isSparseIndexType(t.index.type))) {
            slos.push(await during(`measuring the ${target.index.type} SLO`, () => runSloGate(client, target, { ...input.verify, slo }, input.address, log)));
        }
    }
    return { canaries, slos };
}
