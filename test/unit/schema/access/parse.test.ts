import { describe, expect, it } from "vitest";
import { coll } from "../../../helpers/accessSpecs";
import { parseSchemaSettings } from "../../../../components/schema/spec/parse";
import { configErrorsIn, configErrorsOf } from "../../../helpers/configErrors";


/** Two apps, two databases: a read-only role on app_a's docs and a read-write one on app_b's. */
function twoApps() {
    return {
        databases: ["app_a", "app_b"],
        collections: [coll("docs", "app_a"), coll("docs", "app_b")],
        access: {
            roles: [
                { name: "a_reader", grants: [{ object: "Collection", name: "docs", database: "app_a", privileges: ["Search", "Query"] }] },
                { name: "b_writer", grants: [{ object: "Collection", name: "docs", database: "app_b", privileges: ["Search", "Query", "Insert", "Delete"] }] },
            ],
            users: [
                { name: "app_a_api", roles: ["a_reader"] },
                { name: "app_b_ingest", roles: ["b_writer"] },
            ],
        } as Record<string, unknown>,
    };
}

type Spec = ReturnType<typeof twoApps>;
const roles = (s: Spec) => s.access.roles as { name: string; grants: Record<string, unknown>[] }[];
const users = (s: Spec) => s.access.users as Record<string, unknown>[];

describe("schema.access and schema.databases: what parses", () => {
    it("fills the defaults: required true, prune false, grant name *, grant database default, roles and users empty", () => {
        const spec = parseSchemaSettings({
            collections: [coll("docs")],
            access: {
                roles: [{ name: "reader", grants: [{ object: "Collection", privileges: ["Query"] }, { object: "Global", privileges: ["ListDatabases"] }] }],
                users: [{ name: "api", roles: ["reader"] }, { name: "ops" }],
            },
        });
        expect(spec.access).toEqual({
            required: true,
            prune: false,
            roles: [
                {
                    name: "reader",
                    grants: [
                        { object: "Collection", name: "*", database: "default", privileges: ["Query"] },
                        { object: "Global", name: "*", database: "default", privileges: ["ListDatabases"] },
                    ],
                },
            ],
            users: [
                { name: "api", roles: ["reader"] },
                { name: "ops", roles: [] },
            ],
        });
        expect(parseSchemaSettings({ access: {} }).access).toEqual({ required: true, prune: false, roles: [], users: [] });
        // No access block: access is not managed at all.
        expect(parseSchemaSettings({ collections: [coll("docs")] }).access).toBeUndefined();
    });

    it("keeps the two-app spec as declared: databases, each collection's database, grants and users", () => {
        const spec = parseSchemaSettings(twoApps());
        expect(spec.databases).toEqual(["app_a", "app_b"]);
        expect(spec.collections.map((c) => [c.database, c.name])).toEqual([
            ["app_a", "docs"],
            ["app_b", "docs"],
        ]);
        expect(spec.access!.roles[1]).toEqual({ name: "b_writer", grants: [{ object: "Collection", name: "docs", database: "app_b", privileges: ["Search", "Query", "Insert", "Delete"] }] });
        expect(spec.access!.users.map((u) => [u.name, u.roles])).toEqual([
            ["app_a_api", ["a_reader"]],
            ["app_b_ingest", ["b_writer"]],
        ]);
    });

    it("accepts its own output (the Pulumi resource checks a parsed spec again) and gives the same back", () => {
        const once = parseSchemaSettings({ ...twoApps(), access: { ...twoApps().access, required: false, prune: true } });
        expect(parseSchemaSettings(once)).toEqual(once);
        const withDefaults = parseSchemaSettings({ access: { roles: [{ name: "r", grants: [{ object: "Global", privileges: ["All"] }] }], users: [{ name: "u", roles: ["r", "public"] }] } });
        expect(parseSchemaSettings(withDefaults)).toEqual(withDefaults);
    });

    it("lets users hold the built-in admin and public roles without declaring them", () => {
        const spec = parseSchemaSettings({ access: { users: [{ name: "ops", roles: ["admin"] }, { name: "guest", roles: ["public"] }] } });
        expect(spec.access!.users.map((u) => u.roles)).toEqual([["admin"], ["public"]]);
    });

    it("accepts privilege groups on the object type they belong to (the server's version is checked later)", () => {
        const spec = parseSchemaSettings({
            access: {
                roles: [
                    {
                        name: "r",
                        grants: [
                            { object: "Collection", name: "docs", privileges: ["CollectionReadOnly"] },
                            { object: "Global", privileges: ["DatabaseReadOnly"] },
                        ],
                    },
                ],
            },
        });
        expect(spec.access!.roles[0].grants.map((g) => g.privileges)).toEqual([["CollectionReadOnly"], ["DatabaseReadOnly"]]);
    });

    it("takes the same collection name in two databases, and `default` listed or given as a collection's database", () => {
        const spec = parseSchemaSettings({ databases: ["default", "app_a"], collections: [coll("docs"), coll("docs", "app_a"), coll("other", "default")] });
        expect(spec.databases).toEqual(["app_a"]);
        // `default` is the collection's database when omitted; given explicitly it is not kept.
        expect(spec.collections.map((c) => c.database)).toEqual([undefined, "app_a", undefined]);
    });
});

describe("schema.access and schema.databases: bad input names the field, the value and what is allowed", () => {
    const messages = (raw: unknown) => configErrorsOf(() => parseSchemaSettings(raw)).map((e) => e.message);
    const one = (raw: unknown) => {
        const errors = configErrorsOf(() => parseSchemaSettings(raw));
        expect(errors.map((e) => e.message), "exactly one problem").toHaveLength(1);
        return errors[0];
    };

    /** The error at `field` (others, if any, are another test's concern). */
    const at = (raw: unknown, field: string) => {
        const e = configErrorsOf(() => parseSchemaSettings(raw)).find((x) => x.field === field);
        expect(e, `an error at ${field}`).toBeDefined();
        return e!;
    };

    it("an unknown privilege lists the object type's privileges", () => {
        const s = twoApps();
        roles(s)[0].grants[0].privileges = ["Search", "Read"];
        const e = at(s, "schema.access.roles[0].grants[0].privileges[1]");
        expect(e.field).toBe("schema.access.roles[0].grants[0].privileges[1]");
        expect(e.value).toBe("Read");
        expect(e.message).toMatch(/^schema\.access\.roles\[0\]\.grants\[0\]\.privileges\[1\]: invalid value "Read"; expected a Collection privilege: one of CreateIndex, .*Query.*CollectionReadOnly/);
        expect(e.message).not.toContain("is a Global privilege");
    });

    it("a privilege of another object type says which type it belongs to", () => {
        const s = twoApps();
        roles(s)[0].grants[0].privileges = ["ListDatabases"];
        const e = at(s, "schema.access.roles[0].grants[0].privileges[0]");
        expect(e.field).toBe("schema.access.roles[0].grants[0].privileges[0]");
        expect(e.message).toContain('invalid value "ListDatabases"; expected a Collection privilege: one of');
        expect(e.message).toContain("(ListDatabases is a Global privilege)");
        const g = one({ access: { roles: [{ name: "r", grants: [{ object: "Global", privileges: ["Query"] }] }] } });
        expect(g.message).toContain('schema.access.roles[0].grants[0].privileges[0]: invalid value "Query"; expected a Global privilege');
        expect(g.message).toContain("(Query is a Collection privilege)");
        const u = one({ access: { roles: [{ name: "r", grants: [{ object: "User", privileges: ["CollectionReadOnly"] }] }] } });
        expect(u.message).toContain("expected a User privilege: one of UpdateUser, SelectUser (CollectionReadOnly is a Collection privilege)");
    });

    it("an unknown object type, an empty privilege list and a privilege listed twice", () => {
        expect(messages({ access: { roles: [{ name: "r", grants: [{ object: "Database", privileges: ["Query"] }] }] } }).join("\n")).toContain(
            'schema.access.roles[0].grants[0].object: invalid value "Database"; expected one of Collection, Global, User',
        );
        expect(one({ access: { roles: [{ name: "r", grants: [{ object: "Collection", privileges: [] }] }] } }).message).toMatch(
            /^schema\.access\.roles\[0\]\.grants\[0\]\.privileges: invalid value \[\]; expected at least one of CreateIndex/,
        );
        expect(one({ access: { roles: [{ name: "r", grants: [{ object: "Collection", privileges: ["Query", "Query"] }] }] } }).message).toBe(
            'schema.access.roles[0].grants[0].privileges[1]: invalid value "Query"; expected a privilege not listed twice in one grant',
        );
    });

    it("a Global grant with a name", () => {
        const e = one({ access: { roles: [{ name: "r", grants: [{ object: "Global", name: "docs", privileges: ["ListDatabases"] }] }] } });
        expect(e.field).toBe("schema.access.roles[0].grants[0].name");
        expect(e.message).toBe('schema.access.roles[0].grants[0].name: invalid value "docs"; expected * (a Global grant covers the whole database; leave name out)');
        // `*` written out is the same as leaving it out.
        expect(configErrorsIn(() => parseSchemaSettings({ access: { roles: [{ name: "r", grants: [{ object: "Global", name: "*", privileges: ["ListDatabases"] }] }] } }))).toEqual([]);
    });

    it("a role with a bad grant still counts as declared: its users get no second, misleading error", () => {
        const s = twoApps();
        roles(s)[0].grants[0].privileges = ["Search", "Read"];
        expect(configErrorsOf(() => parseSchemaSettings(s)).map((e) => e.message)).toEqual([expect.stringContaining('schema.access.roles[0].grants[0].privileges[1]: invalid value "Read"')]);
    });

    it("a role declared twice and a user declared twice", () => {
        const s = twoApps();
        roles(s)[1].name = "a_reader";
        users(s)[1].roles = ["a_reader"];
        const r = one(s);
        expect(r.message).toBe('schema.access.roles[1].name: invalid value "a_reader"; expected a role name not declared twice');
        const t = twoApps();
        users(t)[1].name = "app_a_api";
        expect(one(t).message).toBe('schema.access.users[1].name: invalid value "app_a_api"; expected a user name not declared twice');
    });

    it("a user holding a role that is not declared lists the roles it may hold", () => {
        const s = twoApps();
        users(s)[0].roles = ["a_reader", "a_writer"];
        const e = one(s);
        expect(e.field).toBe("schema.access.users[0].roles[1]");
        expect(e.value).toBe("a_writer");
        expect(e.message).toBe('schema.access.users[0].roles[1]: invalid value "a_writer"; expected a declared role or a built-in one: a_reader, b_writer, admin, public');
        const twice = twoApps();
        users(twice)[0].roles = ["a_reader", "a_reader"];
        expect(one(twice).message).toBe('schema.access.users[0].roles[1]: invalid value "a_reader"; expected a role not listed twice');
    });

    it.each(["admin", "public"])("declaring the built-in role %s", (builtIn) => {
        const e = one({ access: { roles: [{ name: builtIn, grants: [{ object: "Collection", privileges: ["Query"] }] }] } });
        expect(e.field).toBe("schema.access.roles[0].name");
        expect(e.message).toBe(`schema.access.roles[0].name: invalid value "${builtIn}"; expected a role name other than the built-in admin and public (users may hold those without declaring them)`);
    });

    it("declaring the user root", () => {
        const e = one({ access: { users: [{ name: "root", roles: ["admin"] }] } });
        expect(e.message).toBe('schema.access.users[0].name: invalid value "root"; expected a user other than root (root belongs to the deployment; this step never changes it)');
    });

    it("user and role names Milvus refuses", () => {
        expect(one({ access: { users: [{ name: "1app" }] } }).message).toContain('schema.access.users[0].name: invalid value "1app"; expected a user name of letters, digits and _, starting with a letter, at most 32 characters');
        expect(one({ access: { users: [{ name: `u${"x".repeat(32)}` }] } }).message).toContain("at most 32 characters");
        expect(configErrorsIn(() => parseSchemaSettings({ access: { users: [{ name: `u${"x".repeat(31)}` }] } }))).toEqual([]);
        expect(one({ access: { roles: [{ name: "app-reader" }] } }).message).toContain('schema.access.roles[0].name: invalid value "app-reader"; expected a name of letters, digits and _');
    });

    it("a password in the schema is refused without showing it", () => {
        const s = twoApps();
        users(s)[0].password = "hunter2-secret";
        const errors = configErrorsOf(() => parseSchemaSettings(s));
        expect(errors).toHaveLength(1);
        expect(errors[0].field).toBe("schema.access.users[0].password");
        expect(errors[0].message).toContain("schema.access.users[0].password: invalid value \"(not shown)\"; expected no password in the schema");
        expect(errors[0].message).toContain("milvus-gpu:accessPasswords");
        for (const e of errors) {
            expect(e.message).not.toContain("hunter2");
            expect(JSON.stringify(e.value)).not.toContain("hunter2");
        }
        // Whatever type it has, it is never shown.
        users(s)[0].password = { plain: "hunter2-secret" };
        for (const e of configErrorsOf(() => parseSchemaSettings(s))) expect(`${e.message} ${JSON.stringify(e.value)}`).not.toContain("hunter2");
    });

    it("an unknown key in access, a role, a grant or a user", () => {
        const all = messages({ access: { prunes: true, roles: [{ name: "r", grant: [] , grants: [{ object: "Global", privileges: ["All"], db: "x" }] }], users: [{ name: "u", role: ["r"] }] } }).join("\n");
        expect(all).toContain("schema.access.prunes: invalid value true; expected one of the known keys of access: required, prune, roles, users");
        expect(all).toContain("schema.access.roles[0].grant: invalid value []; expected one of the known keys of a role: name, grants");
        expect(all).toContain('schema.access.roles[0].grants[0].db: invalid value "x"; expected one of the known keys of a grant: object, name, database, privileges');
        expect(all).toContain('schema.access.users[0].role: invalid value ["r"]; expected one of the known keys of a user: name, roles, password');
    });

    it("a collection in a database that is not declared", () => {
        const s = twoApps();
        (s.collections[1] as { database?: string }).database = "app_c";
        const e = one(s);
        expect(e.field).toBe("schema.collections[1].database");
        expect(e.message).toBe('schema.collections[1].database: invalid value "app_c"; expected a database listed under schema.databases, or default: default, app_a, app_b');
        // Without a databases list only `default` is there.
        expect(one({ collections: [coll("docs", "app_a")] }).message).toBe('schema.collections[0].database: invalid value "app_a"; expected a database listed under schema.databases, or default: default');
    });

    it("a grant in a database that is not declared", () => {
        const s = twoApps();
        roles(s)[1].grants[0].database = "app_c";
        const e = one(s);
        expect(e.field).toBe("schema.access.roles[1].grants[0].database");
        expect(e.message).toBe('schema.access.roles[1].grants[0].database: invalid value "app_c"; expected a database listed under schema.databases, or default: default, app_a, app_b');
    });

    it("the same collection twice in one database (in two it is fine)", () => {
        const s = twoApps();
        s.collections.push(coll("docs", "app_b"));
        const e = one(s);
        expect(e.field).toBe("schema.collections[2].name");
        expect(e.message).toBe('schema.collections[2].name: invalid value "docs"; expected a collection name not declared twice in database app_b');
        expect(one({ collections: [coll("docs"), coll("docs", "default")] }).message).toContain("schema.collections[1].name: invalid value \"docs\"; expected a collection name not declared twice in database default");
    });

    it("databases: a bad name, one listed twice", () => {
        expect(messages({ databases: ["app-a"] }).join()).toContain('schema.databases[0]: invalid value "app-a"; expected a name of letters, digits and _');
        expect(one({ databases: ["app_a", "app_a"] }).message).toBe('schema.databases[1]: invalid value "app_a"; expected a database not listed twice');
        expect(one({ databases: Array.from({ length: 65 }, (_, i) => `db${i}`) }).message).toContain("schema.databases: invalid value \"65 databases\"; expected at most 64 databases");
    });

    it("databases that are not a list: a ConfigError, not a crash", () => {
        expect(one({ databases: "app_a" }).message).toBe('schema.databases: invalid value "app_a"; expected a list of database names');
    });

    it.each([
        ["a role", { access: { roles: [null] } }, "schema.access.roles[0]"],
        ["a grant", { access: { roles: [{ name: "r", grants: [null] }] } }, "schema.access.roles[0].grants[0]"],
        ["a user", { access: { users: [null] } }, "schema.access.users[0]"],
    ])("an empty list entry (YAML `-` alone) for %s: a ConfigError naming it, not a crash", (_what, raw, field) => {
        const e = one(raw);
        expect(e.field).toBe(field);
        expect(e.message).toContain("expected an object (a YAML mapping)");
    });

    it("a grant database that breaks the name rule is reported once, not also as undeclared", () => {
        const e = one({ access: { roles: [{ name: "r", grants: [{ object: "Collection", database: "app-x", privileges: ["Query"] }] }] } });
        expect(e.message).toContain('schema.access.roles[0].grants[0].database: invalid value "app-x"; expected a name of letters, digits and _');
    });

    it("required and prune must be booleans", () => {
        const all = messages({ access: { required: "yes", prune: 1 } }).join("\n");
        expect(all).toContain('schema.access.required: invalid value "yes"');
        expect(all).toContain("schema.access.prune: invalid value 1");
    });

    it("reports every problem in one run", () => {
        const s = twoApps();
        roles(s)[0].grants[0].privileges = ["Read"];
        roles(s)[1].grants.push({ object: "Global", name: "docs", privileges: ["ListDatabases"] });
        roles(s)[1].grants[0].database = "app_c";
        users(s)[0].roles = ["nobody"];
        users(s)[1].password = "hunter2-secret";
        s.access.users = [...users(s), { name: "root" }, { name: "app_a_api" }];
        s.access.roles = [...roles(s), { name: "admin" }];
        (s.collections[0] as { database?: string }).database = "nowhere";
        s.collections.push(coll("docs", "app_b"));
        const errors = configErrorsOf(() => parseSchemaSettings(s));
        expect(errors.map((e) => e.field).sort()).toEqual(
            [
                "schema.access.roles[0].grants[0].privileges[0]",
                "schema.access.roles[1].grants[1].name",
                "schema.access.roles[1].grants[0].database",
                "schema.access.roles[2].name",
                "schema.access.users[0].roles[0]",
                "schema.access.users[1].password",
                "schema.access.users[2].name",
                "schema.access.users[3].name",
                "schema.collections[0].database",
                "schema.collections[2].name",
            ].sort(),
        );
        expect(errors.map((e) => e.message).join("\n")).not.toContain("hunter2");
    });
});
