import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { applyAccessAction, observeAccess } from "./apply";
import { AccessAction, AccessDrift, AccessPlan, describeAccessAction, planAccess } from "./plan";
import { AccessSettings } from "./spec";
import { UserAccessReport, verifyUserAccess } from "./verify";
import { CAPABILITIES, lacks, parseServerVersion } from "../server/capabilities";
import { ConnectionOptions } from "../server/connection";
import { failedAfter } from "../server/rpc";
import { SchemaSettings } from "../spec/settings";

/** What the access part of the step did (part of the schema report). */
export interface AccessReport {
    /** Why the declared access was not applied (only with `access.required: false`). */
    skipped?: string;
    applied: string[];
    notes: string[];
    /** Whether each user's access was probed (not with `verify.enabled: false`). */
    checked: boolean;
    users: UserAccessReport[];
    passed: boolean;
    failures: string[];
}

/** The server cannot enforce the declared access, and `access.required` is true; nothing was changed. */
export class AccessUnsupportedError extends Error {
    constructor(
        readonly address: string,
        readonly reason: string,
    ) {
        super(`Milvus at ${address} cannot enforce the declared access: ${reason}. Nothing was changed. Deploy Milvus with authentication on, or set access.required: false to skip the declared access on this server.`);
        this.name = "AccessUnsupportedError";
    }
}

/** The server holds more for declared users or roles than is declared; nothing was changed. */
export class AccessDriftError extends Error {
    constructor(
        readonly address: string,
        readonly drift: AccessDrift[],
    ) {
        super(`the access on Milvus at ${address} exceeds what is declared; nothing was changed (this step never revokes):\n${drift.map((d) => `  - ${d.message}`).join("\n")}`);
        this.name = "AccessDriftError";
    }
}

/**
 * Whether the declared access can be enforced on this server: Milvus Lite has no RBAC, and a
 * server that let the step in without a token has authentication off (privileges are not
 * checked there). Returns the reason it cannot, or undefined when it can.
 */
export function accessUnenforceableReason(reportedVersion: string | undefined, token: string | undefined): string | undefined {
    const id = reportedVersion ? parseServerVersion(reportedVersion) : undefined;
    const why = id ? lacks(CAPABILITIES.features.rbac, id) : undefined;
    if (why) return `users, roles and grants ${why} (${id!.label}; source: ${CAPABILITIES.features.rbac.liteSource ?? CAPABILITIES.features.rbac.source})`;
    if (!token) return "it accepted this step without a token, so authentication is off and no privilege is checked (common.security.authorizationEnabled)";
    return undefined;
}

/** Reads the server's access and plans; drift stops here, before anything is changed. */
export async function planAccessOn(client: MilvusClient, address: string, access: AccessSettings): Promise<AccessPlan> {
    const plan = planAccess(access, await observeAccess(client, access));
    if (plan.drift.length) throw new AccessDriftError(address, plan.drift);
    return plan;
}

export async function applyAccessPlan(
    client: MilvusClient,
    actions: AccessAction[],
    passwords: Record<string, string>,
    log: (line: string) => void,
    alreadyApplied: readonly string[],
): Promise<AccessAction[]> {
    const applied: AccessAction[] = [];
    for (const action of actions) {
        const what = describeAccessAction(action);
        log(what);
        try {
            await applyAccessAction(client, action, passwords);
        } catch (e) {
            throw failedAfter(e, [...alreadyApplied, ...applied.map(describeAccessAction)]);
        }
        applied.push(action);
    }
    return applied;
}

/** Signs in as each declared user with its own password and probes what its roles allow and forbid. */
export async function verifyDeclaredAccess(
    connection: ConnectionOptions,
    spec: SchemaSettings,
    passwords: Record<string, string>,
    clientFactory: (options: ConnectionOptions) => MilvusClient,
): Promise<UserAccessReport[]> {
    const access = spec.access!;
    const out: UserAccessReport[] = [];
    for (const user of access.users) {
        const client = clientFactory({ ...connection, token: `${user.name}:${passwords[user.name]}` });
        try {
            out.push(await verifyUserAccess(client, user, access, spec));
        } finally {
            await client.closeConnection().catch(() => undefined);
        }
    }
    return out;
}
