import { AccessPlan } from "../access/plan";
import { AccessSettings } from "../access/spec";
import { applyAccessPlan, planAccessOn } from "../access/step";
import { applyDatabasePlan, DatabaseAction, inDatabase, listDatabases, planDatabases } from "../collections/databases";
import { planSchema, SchemaPlan } from "../collections/plan";
import { CollectionOutcome, planAgainst, reconcileSchema, SchemaConflictError } from "../collections/reconcile";
import { databaseOf, DEFAULT_DATABASE } from "../spec/databases";
import { SchemaSettings } from "../spec/settings";
import { AppliedStep, describeApplied } from "./applied";
import { StepContext } from "./context";

/** Declared collections grouped by database, `default` first. */
function collectionsByDatabase(spec: SchemaSettings): Map<string, SchemaSettings> {
    const groups = new Map<string, SchemaSettings>([[DEFAULT_DATABASE, { collections: [] }]]);
    for (const c of spec.collections) {
        const db = databaseOf(c);
        if (!groups.has(db)) groups.set(db, { collections: [] });
        groups.get(db)!.collections.push(c);
    }
    return groups;
}

/** Everything the step will change, read and judged before the first change. */
export interface StepPlan {
    groups: Map<string, SchemaSettings>;
    databases: DatabaseAction[];
    access?: AccessPlan;
}

/**
 * Plan: read every database's collections and the access, and plan. A conflict in any
 * database, or access drift, throws here, so nothing is changed anywhere.
 */
export async function planPhase(ctx: StepContext, access: AccessSettings | undefined): Promise<StepPlan> {
    const { client, input, during } = ctx;
    const groups = collectionsByDatabase(input.spec);
    const multiDb = (input.spec.databases?.length ?? 0) > 0 || groups.size > 1;
    const existingDbs = multiDb ? await during("listing databases", () => listDatabases(client)) : [DEFAULT_DATABASE];
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
    return { groups, databases: planDatabases(input.spec.databases ?? [], existingDbs), ...(accessPlan ? { access: accessPlan } : {}) };
}

export interface Applied {
    steps: AppliedStep[];
    collections: CollectionOutcome[];
}

/** Apply: databases first, then each database's collections (additive steps only), then access. */
export async function applyPhase(ctx: StepContext, plan: StepPlan): Promise<Applied> {
    const { client, input, log, during } = ctx;
    const steps: AppliedStep[] = [];
    const done = () => steps.map(describeApplied);
    for (const action of await applyDatabasePlan(client, plan.databases, log, done())) steps.push({ kind: "database", action });
    const collections: CollectionOutcome[] = [];
    for (const [db, group] of plan.groups) {
        if (!group.collections.length) continue;
        const result = await during(`reconciling the declared schema${db === DEFAULT_DATABASE ? "" : ` in database ${db}`}`, () =>
            inDatabase(client, db, () => reconcileSchema(client, group, { log, stepTimeoutSeconds: input.verify.stepTimeoutSeconds, alreadyApplied: done() })),
        );
        for (const outcome of result.collections) {
            collections.push({ ...outcome, ...(db === DEFAULT_DATABASE ? {} : { database: db }) });
            for (const description of outcome.applied) steps.push({ kind: "collection", database: db, collection: outcome.name, description });
        }
    }
    const accessPlan = plan.access;
    if (accessPlan) {
        const applied = await during("applying the declared access", () => applyAccessPlan(client, accessPlan.actions, input.passwords, log, done()));
        for (const action of applied) steps.push({ kind: "access", action });
    }
    return { steps, collections };
}
