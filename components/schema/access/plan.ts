import { AccessSettings, BUILT_IN_ROLES, describeGrant, Grant, grantKey, roleGrants, ROOT_USER } from "./spec";

/**
 * Pure planning of access: what the server holds against what is declared. Like the schema
 * plan it only adds (databases, roles, grants, users, role bindings); what the server has
 * beyond the declaration for a declared user or role is drift, and a plan with drift is not
 * applied at all (nothing is revoked silently). Deleting users happens only with `prune`.
 */
export interface ObservedAccess {
    databases: string[];
    users: string[];
    roles: string[];
    /** Roles each existing declared user holds. */
    userRoles: Record<string, string[]>;
    /** Grants of each existing declared role, in every database. */
    roleGrants: Record<string, Grant[]>;
}

export type AccessAction =
    | { kind: "createRole"; role: string }
    | { kind: "grant"; role: string; grant: Grant }
    | { kind: "createUser"; user: string }
    | { kind: "addUserToRole"; user: string; role: string }
    | { kind: "deleteUser"; user: string };

export interface AccessDrift {
    /** What differs, e.g. `users.app_a.roles` or `roles.reader.grants`. */
    path: string;
    message: string;
}

export interface AccessPlan {
    actions: AccessAction[];
    drift: AccessDrift[];
    notes: string[];
}

export function describeAccessAction(a: AccessAction): string {
    switch (a.kind) {
        case "createRole":
            return `create role ${a.role}`;
        case "grant":
            return `grant ${describeGrant(a.grant)} to role ${a.role}`;
        case "createUser":
            return `create user ${a.user}`;
        case "addUserToRole":
            return `add user ${a.user} to role ${a.role}`;
        case "deleteUser":
            return `delete user ${a.user} (prune: not declared)`;
    }
}

export function planAccess(access: AccessSettings, observed: ObservedAccess): AccessPlan {
    const actions: AccessAction[] = [];
    const drift: AccessDrift[] = [];
    const notes: string[] = [];

    for (const role of access.roles) {
        const declared = roleGrants(role);
        const exists = observed.roles.includes(role.name);
        if (!exists) actions.push({ kind: "createRole", role: role.name });
        const held = observed.roleGrants[role.name] ?? [];
        const heldKeys = new Set(held.map(grantKey));
        for (const g of declared) if (!heldKeys.has(grantKey(g))) actions.push({ kind: "grant", role: role.name, grant: g });
        const declaredKeys = new Set(declared.map(grantKey));
        const extra = held.filter((g) => !declaredKeys.has(grantKey(g)));
        if (extra.length) {
            drift.push({
                path: `roles.${role.name}.grants`,
                message: `role ${role.name} holds grants on the server that are not declared: ${extra.map(describeGrant).join("; ")} (declare them, or revoke them by hand; this step never revokes)`,
            });
        }
    }
    for (const user of access.users) {
        const exists = observed.users.includes(user.name);
        if (!exists) actions.push({ kind: "createUser", user: user.name });
        const held = observed.userRoles[user.name] ?? [];
        for (const role of user.roles) {
            // Every user is in `public` implicitly; Milvus does not list it as a binding.
            if (role === "public") continue;
            if (!held.includes(role)) actions.push({ kind: "addUserToRole", user: user.name, role });
        }
        const extra = held.filter((r) => r !== "public" && !user.roles.includes(r));
        if (extra.length) {
            drift.push({
                path: `users.${user.name}.roles`,
                message: `user ${user.name} holds roles on the server that are not declared: ${extra.join(", ")} (declare them, or remove the user from them by hand; this step never removes a binding)`,
            });
        }
    }
    const declaredUsers = new Set([ROOT_USER, ...access.users.map((u) => u.name)]);
    const undeclared = observed.users.filter((u) => !declaredUsers.has(u));
    if (undeclared.length) {
        if (access.prune) for (const user of undeclared) actions.push({ kind: "deleteUser", user });
        else notes.push(`users on the server that are not declared, left in place: ${undeclared.join(", ")} (access.prune: true deletes them)`);
    }
    const declaredRoles = new Set<string>([...BUILT_IN_ROLES, ...access.roles.map((r) => r.name)]);
    const otherRoles = observed.roles.filter((r) => !declaredRoles.has(r));
    if (otherRoles.length) notes.push(`roles on the server that are not declared, left in place: ${otherRoles.join(", ")}`);
    return { actions, drift, notes };
}
