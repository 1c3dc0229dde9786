import { describe, expect, it } from "vitest";
import { describeAccessAction, ObservedAccess, planAccess } from "../../../../components/schema/access/plan";
import { AccessSettings, Grant, roleGrants } from "../../../../components/schema/access/spec";
import { parseSchemaSettings } from "../../../../components/schema/spec/parse";

/** The two-app access, parsed as the step sees it. */
function twoApps(extra: { prune?: boolean } = {}): AccessSettings {
    return parseSchemaSettings({
        databases: ["app_a", "app_b"],
        access: {
            ...extra,
            roles: [
                { name: "a_reader", grants: [{ object: "Collection", name: "docs", database: "app_a", privileges: ["Search", "Query"] }] },
                {
                    name: "b_writer",
                    grants: [
                        { object: "Collection", name: "docs", database: "app_b", privileges: ["Query", "Insert"] },
                        { object: "Global", database: "app_b", privileges: ["ListDatabases"] },
                    ],
                },
            ],
            users: [
                { name: "app_a_api", roles: ["a_reader"] },
                { name: "app_b_ingest", roles: ["b_writer", "public"] },
            ],
        },
    }).access!;
}

const empty = (): ObservedAccess => ({ databases: ["default"], users: ["root"], roles: ["admin", "public"], userRoles: {}, roleGrants: {} });

/** A server that holds exactly what `access` declares (plus root and the built-in roles). */
function holding(access: AccessSettings): ObservedAccess {
    return {
        databases: ["default", "app_a", "app_b"],
        users: ["root", ...access.users.map((u) => u.name)],
        roles: ["admin", "public", ...access.roles.map((r) => r.name)],
        // Milvus does not list the implicit `public` binding.
        userRoles: Object.fromEntries(access.users.map((u) => [u.name, u.roles.filter((r) => r !== "public")])),
        roleGrants: Object.fromEntries(access.roles.map((r) => [r.name, roleGrants(r)])),
    };
}

describe("planAccess", () => {
    it("on a server with none of it: creates every role, grant, user and binding, roles and grants before users", () => {
        const plan = planAccess(twoApps(), empty());
        expect(plan.drift).toEqual([]);
        expect(plan.notes).toEqual([]);
        expect(plan.actions.map(describeAccessAction)).toEqual([
            "create role a_reader",
            "grant Search on Collection app_a.docs to role a_reader",
            "grant Query on Collection app_a.docs to role a_reader",
            "create role b_writer",
            "grant Query on Collection app_b.docs to role b_writer",
            "grant Insert on Collection app_b.docs to role b_writer",
            "grant ListDatabases on database app_b to role b_writer",
            "create user app_a_api",
            "add user app_a_api to role a_reader",
            "create user app_b_ingest",
            // `public` is every user's implicitly: no binding is planned for it.
            "add user app_b_ingest to role b_writer",
        ]);
        expect(plan.actions).toContainEqual({ kind: "grant", role: "b_writer", grant: { database: "app_b", object: "Global", name: "*", privilege: "ListDatabases" } });
    });

    it("plans nothing when the server holds exactly the declaration (a second run changes nothing)", () => {
        const access = twoApps();
        expect(planAccess(access, holding(access))).toEqual({ actions: [], drift: [], notes: [] });
    });

    it("adds only what is missing: one grant, one user, one binding", () => {
        const access = twoApps();
        const observed = holding(access);
        observed.roleGrants.b_writer = observed.roleGrants.b_writer.filter((g) => g.privilege !== "Insert");
        observed.users = observed.users.filter((u) => u !== "app_a_api");
        delete observed.userRoles.app_a_api;
        observed.userRoles.app_b_ingest = [];
        const plan = planAccess(access, observed);
        expect(plan.drift).toEqual([]);
        expect(plan.actions).toEqual([
            { kind: "grant", role: "b_writer", grant: { database: "app_b", object: "Collection", name: "docs", privilege: "Insert" } },
            { kind: "createUser", user: "app_a_api" },
            { kind: "addUserToRole", user: "app_a_api", role: "a_reader" },
            { kind: "addUserToRole", user: "app_b_ingest", role: "b_writer" },
        ]);
    });

    it("a grant in another database is another grant: the same privilege on app_b does not stand for app_a", () => {
        const access = twoApps();
        const observed = holding(access);
        const moved = (g: Grant): Grant => ({ ...g, database: "app_b" });
        observed.roleGrants.a_reader = observed.roleGrants.a_reader.map(moved);
        const plan = planAccess(access, observed);
        expect(plan.actions.filter((a) => a.kind === "grant").map(describeAccessAction)).toEqual([
            "grant Search on Collection app_a.docs to role a_reader",
            "grant Query on Collection app_a.docs to role a_reader",
        ]);
        // What it holds in app_b is not declared: drift.
        expect(plan.drift.map((d) => d.path)).toEqual(["roles.a_reader.grants"]);
    });

    it("reports grants beyond the declaration of a declared role as drift, naming each, and plans no revoke", () => {
        const access = twoApps();
        const observed = holding(access);
        observed.roleGrants.a_reader.push({ database: "app_a", object: "Collection", name: "docs", privilege: "Insert" });
        observed.roleGrants.a_reader.push({ database: "app_b", object: "Collection", name: "docs", privilege: "Query" });
        const plan = planAccess(access, observed);
        expect(plan.drift).toEqual([
            {
                path: "roles.a_reader.grants",
                message:
                    "role a_reader holds grants on the server that are not declared: Insert on Collection app_a.docs; Query on Collection app_b.docs (declare them, or revoke them by hand; this step never revokes)",
            },
        ]);
        expect(plan.actions).toEqual([]);
    });

    it("reports roles beyond the declaration of a declared user as drift (public and the declared ones are not)", () => {
        const access = twoApps();
        const observed = holding(access);
        observed.userRoles.app_a_api = ["a_reader", "admin", "public"];
        const plan = planAccess(access, observed);
        expect(plan.drift).toEqual([
            {
                path: "users.app_a_api.roles",
                message: "user app_a_api holds roles on the server that are not declared: admin (declare them, or remove the user from them by hand; this step never removes a binding)",
            },
        ]);
        expect(plan.actions).toEqual([]);
    });

    it("reads nothing of undeclared roles and users as drift: it notes them and leaves them in place", () => {
        const access = twoApps();
        const observed = holding(access);
        observed.users.push("legacy_app", "ci_job");
        observed.roles.push("legacy_role");
        // Grants of roles that are not declared are not drift either.
        observed.roleGrants.legacy_role = [{ database: "default", object: "Global", name: "*", privilege: "All" }];
        const plan = planAccess(access, observed);
        expect(plan.drift).toEqual([]);
        expect(plan.actions).toEqual([]);
        expect(plan.notes).toEqual([
            "users on the server that are not declared, left in place: legacy_app, ci_job (access.prune: true deletes them)",
            "roles on the server that are not declared, left in place: legacy_role",
        ]);
    });

    it("with prune: deletes undeclared users, never root, and still never a role", () => {
        const access = twoApps({ prune: true });
        const observed = holding(access);
        observed.users.push("legacy_app");
        observed.roles.push("legacy_role");
        const plan = planAccess(access, observed);
        expect(plan.actions).toEqual([{ kind: "deleteUser", user: "legacy_app" }]);
        expect(plan.actions.map(describeAccessAction)).toEqual(["delete user legacy_app (prune: not declared)"]);
        expect(plan.notes).toEqual(["roles on the server that are not declared, left in place: legacy_role"]);
        // Only root on the server: nothing to prune.
        expect(planAccess({ ...access, users: [], roles: [] }, empty()).actions).toEqual([]);
    });

    it("with prune and nothing declared: every user but root is deleted", () => {
        const observed = { ...empty(), users: ["root", "a", "b"] };
        expect(planAccess({ required: true, prune: true, roles: [], users: [] }, observed).actions).toEqual([
            { kind: "deleteUser", user: "a" },
            { kind: "deleteUser", user: "b" },
        ]);
    });

    it("a user holding only built-in roles needs no binding for public, one for admin", () => {
        const access = parseSchemaSettings({ access: { users: [{ name: "guest", roles: ["public"] }, { name: "ops", roles: ["admin"] }] } }).access!;
        expect(planAccess(access, empty()).actions).toEqual([
            { kind: "createUser", user: "guest" },
            { kind: "createUser", user: "ops" },
            { kind: "addUserToRole", user: "ops", role: "admin" },
        ]);
        expect(planAccess(access, { ...empty(), users: ["root", "guest", "ops"], userRoles: { guest: [], ops: ["admin"] } })).toEqual({ actions: [], drift: [], notes: [] });
    });
});
