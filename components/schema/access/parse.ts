import { always, bool, list, mapping, matching, report, withJson, z } from "../../configSchema";
import {
    AccessSettings,
    BUILT_IN_ROLES,
    AccessGrantSettings,
    isPrivilegeGroup,
    PRIVILEGE_GROUPS,
    PRIVILEGES,
    RBAC_OBJECTS,
    RbacObject,
    AccessRoleSettings,
    ROOT_USER,
    AccessUserSettings,
} from "./spec";
import { MILVUS_NAME, MILVUS_NAME_ALLOWED } from "../spec/names";
import { databaseName, DEFAULT_DATABASE } from "../spec/databases";

const NAME = MILVUS_NAME;
const NAME_ALLOWED = MILVUS_NAME_ALLOWED;
/** Milvus's rule for user names: a letter first, at most 32 characters. */
const USER = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const USER_ALLOWED = "a user name of letters, digits and _, starting with a letter, at most 32 characters";

function privilegesFor(object: RbacObject): string[] {
    const groups = Object.entries(PRIVILEGE_GROUPS)
        .filter(([, o]) => o === object)
        .map(([g]) => g);
    return [...PRIVILEGES[object], ...groups];
}

const grantSchema = mapping(
    {
        object: z.enum(RBAC_OBJECTS, { error: `one of ${RBAC_OBJECTS.join(", ")}` }),
        name: z.union([z.literal("*"), matching(NAME, NAME_ALLOWED)], { error: `* (every object of the type) or ${NAME_ALLOWED}` }).default("*"),
        database: databaseName().default(DEFAULT_DATABASE),
        privileges: list(z.string({ error: "a privilege name" }), "a list of privilege names"),
    },
    "a grant",
).superRefine((g, ctx) => {
    if (typeof g !== "object" || g === null || !(RBAC_OBJECTS as readonly unknown[]).includes(g.object)) return;
    const allowed = privilegesFor(g.object);
    if (Array.isArray(g.privileges)) {
        if (g.privileges.length === 0) report(ctx, ["privileges"], g.privileges, `at least one of ${allowed.join(", ")}`);
        g.privileges.forEach((p, i) => {
            if (typeof p !== "string") return;
            if (!allowed.includes(p)) {
                const elsewhere = RBAC_OBJECTS.find((o) => o !== g.object && privilegesFor(o).includes(p));
                report(ctx, ["privileges", i], p, `a ${g.object} privilege: one of ${allowed.join(", ")}${elsewhere ? ` (${p} is a ${elsewhere} privilege)` : ""}`);
            }
            if (g.privileges.indexOf(p) !== i) report(ctx, ["privileges", i], p, "a privilege not listed twice in one grant");
        });
    }
    if (g.object === "Global" && g.name !== "*") report(ctx, ["name"], g.name, "* (a Global grant covers the whole database; leave name out)");
}, always);

const roleSchema = mapping({ name: matching(NAME, NAME_ALLOWED), grants: list(grantSchema).default([]) }, "a role").superRefine((r, ctx) => {
    if (typeof r !== "object" || r === null) return;
    if ((BUILT_IN_ROLES as readonly string[]).includes(r.name)) report(ctx, ["name"], r.name, `a role name other than the built-in ${BUILT_IN_ROLES.join(" and ")} (users may hold those without declaring them)`);
}, always);

const userSchema = mapping(
    {
        name: matching(USER, USER_ALLOWED),
        roles: list(z.string({ error: "a role name" }), "a list of role names").default([]),
        // Named so the message can say where passwords go instead; stack files may never set it.
        password: withJson(z.unknown().optional(), { not: {}, description: "never set here: passwords are generated, or given under milvus-gpu:accessPasswords as secrets" }),
    },
    "a user",
).superRefine((u, ctx) => {
    if (typeof u !== "object" || u === null) return;
    if (u.name === ROOT_USER) report(ctx, ["name"], u.name, `a user other than ${ROOT_USER} (root belongs to the deployment; this step never changes it)`);
    if (u.password !== undefined) {
        report(ctx, ["password"], "(not shown)", "no password in the schema: passwords are generated, or given as the secret stack key milvus-gpu:accessPasswords (pulumi config set --secret --path 'accessPasswords.<user>' ...)");
    }
}, always);

type Parsed = { roles: z.output<typeof roleSchema>[]; users: z.output<typeof userSchema>[] };

/** Whether each entry parsed on its own, so checks across entries read only those. */
function ok<S extends z.ZodType>(schema: S, value: unknown): value is z.output<S> {
    return schema.safeParse(value).success;
}

export const accessSchema = mapping(
    {
        required: bool().default(true),
        prune: bool().default(false),
        roles: list(roleSchema).default([]),
        users: list(userSchema).default([]),
    },
    "access",
)
    .superRefine((a, ctx) => {
        if (typeof a !== "object" || a === null) return;
        const roles = Array.isArray(a.roles) ? (a.roles as unknown[]) : [];
        const users = Array.isArray(a.users) ? (a.users as unknown[]) : [];
        // Every entry that names a role counts as declared, even one whose grants failed (reported there).
        const roleNames: string[] = [];
        roles.forEach((r, i) => {
            const name = typeof r === "object" && r !== null ? (r as { name?: unknown }).name : undefined;
            if (typeof name !== "string") return;
            if (roleNames.includes(name)) report(ctx, ["roles", i, "name"], name, "a role name not declared twice");
            roleNames.push(name);
        });
        const known = [...roleNames, ...BUILT_IN_ROLES];
        const userNames: string[] = [];
        users.forEach((u, i) => {
            if (!ok(userSchema, u)) return;
            if (userNames.includes(u.name)) report(ctx, ["users", i, "name"], u.name, "a user name not declared twice");
            userNames.push(u.name);
            u.roles.forEach((role, j) => {
                if (!known.includes(role)) report(ctx, ["users", i, "roles", j], role, `a declared role or a built-in one: ${known.join(", ")}`);
                if (u.roles.indexOf(role) !== j) report(ctx, ["users", i, "roles", j], role, "a role not listed twice");
            });
        });
    }, always)
    .transform(
        (a: Parsed & { required: boolean; prune: boolean }): AccessSettings => ({
            required: a.required,
            prune: a.prune,
            roles: a.roles.map((r): AccessRoleSettings => ({ name: r.name, grants: r.grants.map((g): AccessGrantSettings => ({ object: g.object, name: g.name, database: g.database, privileges: g.privileges })) })),
            users: a.users.map((u): AccessUserSettings => ({ name: u.name, roles: u.roles })),
        }),
    );

/** Every privilege group named in the declared access (they need Milvus 2.5 or later). */
export function declaredPrivilegeGroups(access: AccessSettings | undefined): { role: number; grant: number; privilege: string }[] {
    const out: { role: number; grant: number; privilege: string }[] = [];
    access?.roles.forEach((r, i) =>
        r.grants.forEach((g, j) => {
            for (const p of g.privileges) if (isPrivilegeGroup(p)) out.push({ role: i, grant: j, privilege: p });
        }),
    );
    return out;
}
