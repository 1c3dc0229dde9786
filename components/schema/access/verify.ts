import { FieldData, MilvusClient, RowData } from "@zilliz/milvus2-sdk-node";
import { databaseOf, DEFAULT_DATABASE } from "../spec/databases";
import { AccessSettings, covers, expandGrant, Grant, isPrivilegeGroup, roleGrants, AccessUserSettings } from "./spec";
import { CollectionSettings, FieldSettings, SchemaSettings } from "../spec/settings";

/**
 * Proves the declared access with each user's own token: per role, one operation the role
 * allows must succeed and one the user holds no grant for must be refused. Every probe is
 * harmless even when the server answers differently than declared: reads, statistics, and
 * writes aimed at a partition that does not exist (Milvus checks the privilege first and
 * then refuses the partition, so nothing is written).
 */
export interface AccessProbe {
    role: string;
    /** e.g. `Query on Collection app_a.docs`. */
    operation: string;
    expected: "allowed" | "refused";
    outcome: "allowed" | "refused" | "error";
    passed: boolean;
    /** What the server said, first line. */
    detail?: string;
    /** How long the probe was re-asked before this answer, when over a second (a grant still settling). */
    waitedMs?: number;
}

export interface UserAccessReport {
    user: string;
    roles: string[];
    authenticated: boolean;
    probes: AccessProbe[];
    notes: string[];
    failures: string[];
}

/** Partition name the write probes aim at; declared partitions follow Milvus's rule, which this breaks on purpose. */
const ABSENT_PARTITION = "milvus_gpu_access_probe_absent_partition";

/** Privileges with a harmless probe, in the order an allowed probe is chosen. */
const PROBED = ["Query", "Search", "GetStatistics", "ShowPartitions", "HasPartition", "Insert", "Upsert", "Delete", "ListDatabases"] as const;
type Probed = (typeof PROBED)[number];

interface ProbeTarget {
    privilege: Probed;
    database: string;
    /** The collection probed (absent for Global probes). */
    collection?: CollectionSettings;
}

function operationOf(t: ProbeTarget): string {
    return t.collection ? `${t.privilege} on Collection ${t.database}.${t.collection.name}` : `${t.privilege} on database ${t.database}`;
}

function asGrant(t: ProbeTarget): Grant {
    return t.collection
        ? { database: t.database, object: "Collection", name: t.collection.name, privilege: t.privilege }
        : { database: t.database, object: "Global", name: "*", privilege: t.privilege };
}

function zeroValue(f: FieldSettings): FieldData {
    switch (f.type) {
        case "FLOAT_VECTOR":
            return new Array(f.dim ?? 1).fill(0);
        case "SPARSE_FLOAT_VECTOR":
            return { 0: 0.5 } as FieldData;
        case "VARCHAR":
            return "probe";
        case "BOOL":
            return false;
        case "JSON":
            return {} as FieldData;
        case "ARRAY":
            return [];
        default:
            return 0;
    }
}

function probeRow(c: CollectionSettings): RowData {
    return Object.fromEntries(c.fields.filter((f) => !(f.primary && f.autoId)).map((f) => [f.name, zeroValue(f)]));
}

async function runProbe(client: MilvusClient, t: ProbeTarget): Promise<unknown> {
    const c = t.collection;
    const name = c?.name ?? "";
    switch (t.privilege) {
        case "Query":
            return client.query({ collection_name: name, limit: 1, output_fields: [c!.fields.find((f) => f.primary)!.name] });
        case "Search": {
            const vector = c!.fields.find((f) => f.type === "FLOAT_VECTOR" || f.type === "SPARSE_FLOAT_VECTOR")!;
            return client.search({ collection_name: name, anns_field: vector.name, data: [zeroValue(vector) as number[]], limit: 1 });
        }
        case "GetStatistics":
            return client.getCollectionStatistics({ collection_name: name });
        case "ShowPartitions":
            return client.showPartitions({ collection_name: name });
        case "HasPartition":
            return client.hasPartition({ collection_name: name, partition_name: ABSENT_PARTITION });
        case "Insert":
            return client.insert({ collection_name: name, partition_name: ABSENT_PARTITION, data: [probeRow(c!)] });
        case "Upsert":
            return client.upsert({ collection_name: name, partition_name: ABSENT_PARTITION, data: [probeRow(c!)] });
        case "Delete": {
            const pk = c!.fields.find((f) => f.primary)!;
            return client.deleteEntities({ collection_name: name, partition_name: ABSENT_PARTITION, filter: pk.type === "VARCHAR" ? `${pk.name} in ["probe"]` : `${pk.name} in [-1]` });
        }
        case "ListDatabases":
            return client.listDatabases();
    }
}

const DENIED = /PERMISSION_DENIED|permission den(y|ied)/i;

/** How the server answered a probe: refused for this privilege, or let it through (any other answer). */
export function classifyProbe(privilege: string, answer: { thrown?: unknown; value?: unknown }): { outcome: AccessProbe["outcome"]; detail?: string } {
    const status = (answer.value as { status?: { reason?: string; code?: number } } | undefined)?.status ?? (answer.value as { reason?: string; code?: number } | undefined);
    const message = answer.thrown !== undefined ? (answer.thrown instanceof Error ? answer.thrown.message : String(answer.thrown)) : (status?.reason ?? "");
    const first = message.split("\n")[0];
    if (answer.thrown === undefined && !DENIED.test(first)) return { outcome: "allowed", ...(first ? { detail: first } : {}) };
    if (DENIED.test(first)) {
        const named = /Privilege(\w+)/.exec(first)?.[1];
        // Refused for another privilege (a call the SDK makes first): this probe proved nothing.
        if (named && named !== privilege) return { outcome: "error", detail: first };
        return { outcome: "refused", detail: first };
    }
    if (/UNAUTHENTICATED|UNAVAILABLE|DEADLINE_EXCEEDED/.test(first)) return { outcome: "error", detail: first };
    // Any other refusal came after the privilege check passed (e.g. the absent partition).
    return { outcome: "allowed", detail: first };
}

/** Probe targets a grant can be checked with: its own collection if declared, or any declared collection its wildcard covers. */
function targetsOf(g: Grant, collections: CollectionSettings[]): ProbeTarget[] {
    if (!(PROBED as readonly string[]).includes(g.privilege)) return [];
    const privilege = g.privilege as Probed;
    if (g.object === "Global") return privilege === "ListDatabases" ? [{ privilege, database: g.database }] : [];
    if (g.object !== "Collection") return [];
    return collections.filter((c) => databaseOf(c) === g.database && (g.name === "*" || g.name === c.name)).map((collection) => ({ privilege, database: g.database, collection }));
}

function holdsEverything(user: AccessUserSettings, held: Grant[]): boolean {
    return user.roles.includes("admin") || held.some((g) => g.object === "Global" && (g.privilege === "All" || g.privilege === "*"));
}

export interface RoleProbes {
    role: string;
    allowed?: ProbeTarget;
    /** Up to two: something the role lacks on its own collection (a write for a read-only role), and a read elsewhere. */
    forbidden: ProbeTarget[];
    note?: string;
}

/** Privileges tried, in this order, as the forbidden probe on a role's own collection. */
const FORBIDDEN_OWN: readonly Probed[] = ["Insert", "Delete", "Upsert", "Query", "Search", "GetStatistics", "ShowPartitions", "HasPartition"];

/** The probes for one user: per role an allowed one, and forbidden ones no grant of the user covers. */
export function planUserProbes(user: AccessUserSettings, access: AccessSettings, schema: SchemaSettings): RoleProbes[] {
    const collections = schema.collections;
    const byName = new Map(access.roles.map((r) => [r.name, roleGrants(r).flatMap(expandGrant)]));
    const held = user.roles.flatMap((r) => byName.get(r) ?? []);
    const everything = holdsEverything(user, held);
    // A database or cluster group's members are not known here: no Global operation is assumed forbidden.
    const opaqueGlobal = held.some((g) => g.object === "Global" && isPrivilegeGroup(g.privilege));
    const uncovered = (t: ProbeTarget) => !held.some((g) => covers(g, asGrant(t))) && !(opaqueGlobal && !t.collection);
    const out: RoleProbes[] = [];
    for (const role of user.roles.filter((r) => r !== "public")) {
        if (role === "admin") {
            out.push({ role, allowed: { privilege: "ListDatabases", database: DEFAULT_DATABASE }, forbidden: [], note: "admin holds every privilege: no forbidden operation to check" });
            continue;
        }
        const grants = byName.get(role) ?? [];
        const allowed = grants.flatMap((g) => targetsOf(g, collections))[0];
        const forbidden: ProbeTarget[] = [];
        if (!everything) {
            const own = allowed?.collection;
            const onOwn = own ? FORBIDDEN_OWN.map((privilege) => ({ privilege, database: databaseOf(own), collection: own })).find(uncovered) : undefined;
            if (onOwn) forbidden.push(onOwn);
            const elsewhere = collections.filter((c) => c !== own).map((c): ProbeTarget => ({ privilege: "Query", database: databaseOf(c), collection: c })).find(uncovered);
            if (elsewhere) forbidden.push(elsewhere);
            const global: ProbeTarget = { privilege: "ListDatabases", database: DEFAULT_DATABASE };
            if (!forbidden.length && uncovered(global)) forbidden.push(global);
        }
        const notes: string[] = [];
        if (!allowed) notes.push(`no harmless probe for role ${role}'s grants (probes exist for ${PROBED.join(", ")} on declared collections)`);
        if (everything) notes.push(`${user.name} holds every privilege: no forbidden operation to check`);
        else if (!forbidden.length) notes.push(`no operation found that ${user.name}'s grants leave out`);
        out.push({ role, ...(allowed ? { allowed } : {}), forbidden, ...(notes.length ? { note: notes.join("; ") } : {}) });
    }
    return out;
}

/**
 * Milvus 2.3 refreshes its proxies' privilege cache in a background step after a grant or a role
 * binding returns (134 to 657 ms after a grant by hand on an idle server; longer when the root
 * coordinator is busy with other background steps, as in a full test run), so a probe that does
 * not answer as expected is asked again for up to a minute before it counts. A probe that answers
 * as expected returns at once; the time waited is in the report.
 */
const SETTLE_MS = 60_000;
const SETTLE_STEP_MS = 250;

async function probe(client: MilvusClient, role: string, t: ProbeTarget, expected: AccessProbe["expected"]): Promise<AccessProbe> {
    await client.use({ db_name: t.database });
    const started = Date.now();
    for (;;) {
        const answer = await runProbe(client, t).then(
            (value) => ({ value }),
            (thrown: unknown) => ({ thrown }),
        );
        const { outcome, detail } = classifyProbe(t.privilege, answer);
        const waitedMs = Date.now() - started;
        if (outcome === expected || waitedMs >= SETTLE_MS) {
            return { role, operation: operationOf(t), expected, outcome, passed: outcome === expected, ...(detail ? { detail } : {}), ...(waitedMs > 1000 ? { waitedMs } : {}) };
        }
        await new Promise((r) => setTimeout(r, SETTLE_STEP_MS));
    }
}

/** Checks one user with its own client (connected with `user:password`). */
export async function verifyUserAccess(client: MilvusClient, user: AccessUserSettings, access: AccessSettings, schema: SchemaSettings): Promise<UserAccessReport> {
    const report: UserAccessReport = { user: user.name, roles: user.roles, authenticated: false, probes: [], notes: [], failures: [] };
    const auth = await client.showCollections().then(
        (value) => ({ value }),
        (thrown: unknown) => ({ thrown }),
    );
    const authMessage = "thrown" in auth ? String((auth.thrown as Error)?.message ?? auth.thrown).split("\n")[0] : "";
    if (/UNAUTHENTICATED|auth check failure/i.test(authMessage)) {
        report.failures.push(
            `user ${user.name} could not sign in with its password (${authMessage}): the user exists on the server with another password ` +
                "(set it in milvus-gpu:accessPasswords, or delete the user so the step creates it again)",
        );
        return report;
    }
    report.authenticated = true;
    for (const p of planUserProbes(user, access, schema)) {
        if (p.note) report.notes.push(`role ${p.role}: ${p.note}`);
        const checks: [ProbeTarget, AccessProbe["expected"]][] = [...(p.allowed ? [[p.allowed, "allowed"] as [ProbeTarget, "allowed"]] : []), ...p.forbidden.map((t) => [t, "refused"] as [ProbeTarget, "refused"])];
        for (const [t, expected] of checks) {
            const result = await probe(client, p.role, t, expected);
            report.probes.push(result);
            if (!result.passed) {
                report.failures.push(
                    expected === "allowed"
                        ? `user ${user.name} (role ${p.role}) was refused ${result.operation}, which the role grants: ${result.detail ?? result.outcome}`
                        : result.outcome === "allowed"
                          ? `user ${user.name} (role ${p.role}) was allowed ${result.operation}, which none of its roles grants: the server does not enforce the declared access (is authorization on?)`
                          : `user ${user.name} (role ${p.role}): the check of ${result.operation} was inconclusive: ${result.detail ?? ""}`,
                );
            }
        }
    }
    return report;
}
