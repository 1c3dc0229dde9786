import { randomBytes } from "node:crypto";
import { MilvusClient, RbacObjects } from "@zilliz/milvus2-sdk-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessDriftError, AccessUnsupportedError } from "../../components/schema/access/step";
import { PipelineOptions, runSchemaPipeline } from "../../components/schema/step/pipeline";
import { UnsupportedByServerError } from "../../components/schema/server/check";
import { MilvusServer, startMilvusServer } from "../../scripts/milvus-server";
import { credentials, MilvusTarget, onlyWhere, startTarget } from "./milvusTarget";

/**
 * Access as code against a real Milvus: on the server with authentication on, each declared
 * user signs in with its own password and can do what its roles grant and nothing else (checked
 * here with clients of our own, not only by the step's probes); on Milvus Lite, which has no
 * RBAC, the declared access fails before anything is created, or is skipped when allowed.
 */

const small = { canaryRows: 100, queries: 5, topK: 5 };

const coll = (name: string, database: string) => ({
    name,
    database,
    fields: [
        { name: "id", type: "INT64", primary: true },
        { name: "embedding", type: "FLOAT_VECTOR", dim: 8 },
    ],
    indexes: [{ field: "embedding", type: "FLAT", metric: "L2" }],
});

/** Names no earlier run on the same server used: databases, roles and users (Milvus user names: at most 32 characters). */
function names() {
    const tag = randomBytes(4).toString("hex");
    return {
        dbA: `acc_${tag}_a`,
        dbB: `acc_${tag}_b`,
        reader: `acc_${tag}_a_reader`,
        writer: `acc_${tag}_b_writer`,
        userA: `acc_${tag}_a_api`,
        userB: `acc_${tag}_b_ingest`,
        userC: `acc_${tag}_c_late`,
        legacy: `acc_${tag}_legacy`,
    };
}
type Names = ReturnType<typeof names>;

/** Two apps, two databases: app A reads its docs, app B reads and writes its own. */
function twoApps(n: Names, extra: { prune?: boolean; required?: boolean } = {}) {
    return {
        databases: [n.dbA, n.dbB],
        collections: [coll("docs", n.dbA), coll("docs", n.dbB)],
        access: {
            ...extra,
            roles: [
                { name: n.reader, grants: [{ object: "Collection", name: "docs", database: n.dbA, privileges: ["Search", "Query"] }] },
                { name: n.writer, grants: [{ object: "Collection", name: "docs", database: n.dbB, privileges: ["Search", "Query", "Insert", "Delete"] }] },
            ],
            users: [
                { name: n.userA, roles: [n.reader] },
                { name: n.userB, roles: [n.writer] },
            ] as { name: string; roles: string[] }[],
        },
    };
}

type Outcome = "ok" | "denied" | string;

/** How the server answered a call: ok, refused for lack of a privilege, or what else it said. */
async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
    try {
        const value = (await call()) as { status?: { error_code?: string; reason?: string }; error_code?: string; reason?: string };
        const status = value?.status ?? value;
        if (/permission den/i.test(status?.reason ?? "") || status?.error_code === "PermissionDenied") return "denied";
        if (status?.error_code && status.error_code !== "Success") return `${status.error_code}: ${status.reason}`;
        return "ok";
    } catch (e) {
        const message = (e as Error).message ?? String(e);
        return /PERMISSION_DENIED|permission den/i.test(message) ? "denied" : message.split("\n")[0];
    }
}

/**
 * Waits until `call` answers `want` (Milvus's proxy applies a grant or a revoke from its policy
 * cache, which can lag the call that changed it) and says how long that took; fails the test
 * with the last answer when it never does.
 */
async function eventually(what: string, call: () => Promise<unknown>, want: (o: Outcome) => boolean, timeoutMs = 20_000): Promise<number> {
    const started = Date.now();
    let last: Outcome = "";
    while (Date.now() - started < timeoutMs) {
        last = await outcome(call);
        if (want(last)) {
            const ms = Date.now() - started;
            if (ms > 0) console.log(`${what}: in force after ${ms} ms`);
            return ms;
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what}: not in force after ${timeoutMs} ms; the server still answers ${last}`);
}

describe("access as code", () => {
    let target: MilvusTarget;
    let root: MilvusClient;
    const own: MilvusClient[] = [];
    const needsAuth = "Milvus Lite has no users, roles or grants; this runs where authentication is on (milvus-server, or MILVUS_ADDRESS with a token)";

    /** A client of our own signed in as `user`, in `database`. */
    function as(user: string, password: string, database: string): MilvusClient {
        const c = new MilvusClient({ address: target.address, token: `${user}:${password}`, database, logLevel: "error", maxRetries: 0 });
        c.connectPromise.catch(() => undefined);
        own.push(c);
        return c;
    }

    const row = (id: number) => ({ id, embedding: Array.from({ length: 8 }, (_, j) => Math.sin(id + j)) });

    beforeAll(async () => {
        target = await startTarget();
        root = target.client();
    });
    afterAll(async () => {
        await Promise.all(own.map((c) => c.closeConnection().catch(() => undefined)));
        await target?.stop();
    });

    describe("with authentication on", () => {
        const n = names();
        const passwords = { [n.userA]: `pw-A-${randomBytes(6).toString("hex")}`, [n.userB]: `pw-B-${randomBytes(6).toString("hex")}` };
        const options = (spec: unknown, more: Partial<PipelineOptions> = {}): PipelineOptions => ({ ...credentials(target), spec, passwords, verify: small, ...more });
        let created = false;
        const insertA = () => () => as(n.userA, passwords[n.userA], n.dbA).insert({ collection_name: "docs", partition_name: "no_such_partition", data: [row(1)] });

        it("creates both databases, both collections, the roles, the users, and proves each user's access with its own token", async (ctx) => {
            onlyWhere(ctx, target, target.authentication, needsAuth);
            const report = await runSchemaPipeline(options(twoApps(n)));
            created = true;
            expect(report.passed, report.failures.join("\n")).toBe(true);
            const access = report.access!;
            expect(access.skipped).toBeUndefined();
            expect(access.passed, access.failures.join("\n")).toBe(true);
            expect(access.applied).toEqual(
                expect.arrayContaining([`create database ${n.dbA}`, `create database ${n.dbB}`, `create role ${n.reader}`, `create user ${n.userA}`, `add user ${n.userA} to role ${n.reader}`]),
            );
            expect(access.users.map((u) => [u.user, u.authenticated])).toEqual([
                [n.userA, true],
                [n.userB, true],
            ]);
            for (const u of access.users) {
                const allowed = u.probes.filter((p) => p.expected === "allowed");
                const refused = u.probes.filter((p) => p.expected === "refused");
                expect(allowed.length, `${u.user}: an allowed probe`).toBe(1);
                expect(refused.length, `${u.user}: forbidden probes`).toBeGreaterThanOrEqual(1);
                for (const p of allowed) expect(p, p.operation).toMatchObject({ outcome: "allowed", passed: true });
                for (const p of refused) expect(p, p.operation).toMatchObject({ outcome: "refused", passed: true });
            }
            const a = access.users[0].probes.map((p) => `${p.expected} ${p.operation}`);
            expect(a).toEqual([`allowed Search on Collection ${n.dbA}.docs`, `refused Insert on Collection ${n.dbA}.docs`, `refused Query on Collection ${n.dbB}.docs`]);

            // Read back as root, independently of the step.
            expect((await root.listDatabases()).db_names).toEqual(expect.arrayContaining([n.dbA, n.dbB]));
            for (const db of [n.dbA, n.dbB]) {
                await root.use({ db_name: db });
                expect((await root.showCollections()).data.map((c) => c.name)).toEqual(["docs"]);
            }
            await root.use({ db_name: "default" });
            expect((await root.listUsers()).usernames).toEqual(expect.arrayContaining(["root", n.userA, n.userB]));
        });

        it("app A's user reads its own docs and is refused writing them and reading app B's; app B's user writes its own and cannot read app A's", async (ctx) => {
            onlyWhere(ctx, target, target.authentication && created, created ? needsAuth : "the step did not create the access (the test before failed)");
            const aInA = as(n.userA, passwords[n.userA], n.dbA);
            expect(await outcome(() => aInA.query({ collection_name: "docs", filter: "id >= 0", output_fields: ["id"], limit: 5 }))).toBe("ok");
            expect(await outcome(() => aInA.search({ collection_name: "docs", data: [row(1).embedding], limit: 1 }))).toBe("ok");
            expect(await outcome(() => aInA.insert({ collection_name: "docs", data: [row(1)] }))).toBe("denied");
            expect(await outcome(() => aInA.deleteEntities({ collection_name: "docs", filter: "id in [1]" }))).toBe("denied");
            const aInB = as(n.userA, passwords[n.userA], n.dbB);
            expect(await outcome(() => aInB.query({ collection_name: "docs", filter: "id >= 0", output_fields: ["id"], limit: 5 }))).toBe("denied");

            const bInB = as(n.userB, passwords[n.userB], n.dbB);
            const inserted = await bInB.insert({ collection_name: "docs", data: [row(7)] });
            expect(inserted.status.error_code).toBe("Success");
            expect(Number(inserted.insert_cnt)).toBe(1);
            expect(await outcome(() => bInB.deleteEntities({ collection_name: "docs", filter: "id in [7]" }))).toBe("ok");
            const bInA = as(n.userB, passwords[n.userB], n.dbA);
            expect(await outcome(() => bInA.query({ collection_name: "docs", filter: "id >= 0", output_fields: ["id"], limit: 5 }))).toBe("denied");
            // Nothing app A's user tried to write got in.
            await root.use({ db_name: n.dbA });
            const rows = await root.query({ collection_name: "docs", filter: "id >= 0", output_fields: ["id"], consistency_level: "Strong" as never });
            await root.use({ db_name: "default" });
            expect(rows.data).toEqual([]);
            // A wrong password is refused outright.
            expect(await outcome(() => as(n.userA, "not-the-password", n.dbA).showCollections())).toMatch(/UNAUTHENTICATED|auth/i);
        });

        it("applies nothing on a second run (the grants it reads back in each database match the declared ones)", async (ctx) => {
            onlyWhere(ctx, target, target.authentication && created, created ? needsAuth : "the step did not create the access");
            // The canary is not the point here; the first test proved the users.
            const report = await runSchemaPipeline(options(twoApps(n), { verify: { enabled: false } }));
            expect(report.passed, report.failures.join("\n")).toBe(true);
            expect(report.access!.applied).toEqual([]);
            expect(report.changed).toBe(false);
            expect(report.summary).toMatch(/^no changes/);
        });

        it("a grant added by hand to a declared role is drift: the step fails naming it and changes nothing, also of what else was declared", async (ctx) => {
            onlyWhere(ctx, target, target.authentication && created, created ? needsAuth : "the step did not create the access");
            await root.use({ db_name: n.dbA });
            const granted = await root.grantPrivilege({ roleName: n.reader, object: RbacObjects.Collection, objectName: "docs", privilegeName: "Insert" as never });
            await root.use({ db_name: "default" });
            expect(granted.error_code).toBe("Success");
            try {
                const spec = twoApps(n);
                spec.collections.push(coll("late", n.dbA));
                spec.access.users.push({ name: n.userC, roles: [n.reader] });
                const run = runSchemaPipeline(options(spec, { passwords: { ...passwords, [n.userC]: "pw-C-123456" } }));
                await expect(run).rejects.toThrow(AccessDriftError);
                await expect(run).rejects.toThrow(`role ${n.reader} holds grants on the server that are not declared: Insert on Collection ${n.dbA}.docs`);
                await expect(run).rejects.toThrow("nothing was changed (this step never revokes)");

                // Nothing of the declaration was applied: no new collection, no new user, and the extra grant was not revoked.
                await root.use({ db_name: n.dbA });
                expect((await root.showCollections()).data.map((c) => c.name)).toEqual(["docs"]);
                await root.use({ db_name: "default" });
                expect((await root.listUsers()).usernames).not.toContain(n.userC);
                // The grant was not revoked (an insert aimed at a partition that does not exist gets past the privilege check).
                await eventually("the Insert granted by hand", insertA(), (o) => /partition/i.test(o));
                const grants = await root.listGrants({ roleName: n.reader, db_name: n.dbA });
                expect(grants.entities.map((e) => e.grantor.privilege.name)).toContain("Insert");
            } finally {
                await root.use({ db_name: n.dbA });
                await root.revokePrivilege({ roleName: n.reader, object: RbacObjects.Collection, objectName: "docs", privilegeName: "Insert" as never });
                await root.use({ db_name: "default" });
            }
            await eventually("the revoke of the Insert granted by hand", insertA(), (o) => o === "denied");
        });

        it("a role added by hand to a declared user is drift too", async (ctx) => {
            onlyWhere(ctx, target, target.authentication && created, created ? needsAuth : "the step did not create the access");
            expect((await root.addUserToRole({ username: n.userA, roleName: n.writer })).error_code).toBe("Success");
            try {
                const run = runSchemaPipeline(options(twoApps(n), { verify: { enabled: false } }));
                await expect(run).rejects.toThrow(AccessDriftError);
                await expect(run).rejects.toThrow(`user ${n.userA} holds roles on the server that are not declared: ${n.writer}`);
            } finally {
                await root.removeUserFromRole({ username: n.userA, roleName: n.writer });
            }
            await eventually(`${n.userA} out of ${n.writer} again`, () => as(n.userA, passwords[n.userA], n.dbB).query({ collection_name: "docs", filter: "id >= 0", output_fields: ["id"], limit: 1 }), (o) => o === "denied");
            // With the binding removed the declaration holds again.
            const report = await runSchemaPipeline(options(twoApps(n), { verify: { enabled: false } }));
            expect(report.access!.applied).toEqual([]);
        });

        it("grants of every object type read back as declared: Collection *, Global in another database, User, Global All; a second run applies nothing", async (ctx) => {
            onlyWhere(ctx, target, target.authentication, needsAuth);
            const m = names();
            const spec = {
                databases: [m.dbA, m.dbB],
                access: {
                    roles: [
                        {
                            name: m.reader,
                            grants: [
                                { object: "Collection", database: m.dbA, privileges: ["Query", "GetStatistics"] },
                                { object: "Global", database: m.dbB, privileges: ["ListDatabases", "DescribeCollection"] },
                                { object: "User", privileges: ["SelectUser"] },
                            ],
                        },
                        { name: m.writer, grants: [{ object: "Global", privileges: ["All"] }] },
                    ],
                    users: [{ name: m.userA, roles: [m.reader, m.writer] }],
                },
            };
            const run = (s: unknown) => runSchemaPipeline({ ...credentials(target), spec: s, passwords: { [m.userA]: "pw-A-123456" }, verify: { enabled: false } });
            const first = await run(spec);
            expect(first.access!.applied.filter((a) => a.startsWith("grant"))).toHaveLength(6);
            const second = await run(spec);
            expect(second.access!.applied).toEqual([]);
            // Dropping a grant from the declaration makes the server's copy drift.
            spec.access.roles[0].grants.pop();
            await expect(run(spec)).rejects.toThrow(`role ${m.reader} holds grants on the server that are not declared: SelectUser on`);
        });

        it("a declared user that exists with another password fails the verification, saying it could not sign in", async (ctx) => {
            onlyWhere(ctx, target, target.authentication && created, created ? needsAuth : "the step did not create the access");
            const wrong = { ...passwords, [n.userA]: "not-the-password-123" };
            const error = await runSchemaPipeline(options(twoApps(n), { passwords: wrong })).then(
                () => undefined,
                (e: unknown) => e as Error & { report?: { access?: { users: { user: string; authenticated: boolean }[] } } },
            );
            expect(error?.message).toContain(`access: user ${n.userA} could not sign in with its password`);
            expect(error?.message).not.toContain("not-the-password-123");
            expect(error?.message).not.toContain(passwords[n.userA]);
            expect(error?.report?.access?.users.map((u) => [u.user, u.authenticated])).toEqual([
                [n.userA, false],
                [n.userB, true],
            ]);
            // The step never changes a password: the real one still signs in.
            expect(await outcome(() => as(n.userA, passwords[n.userA], n.dbA).query({ collection_name: "docs", filter: "id >= 0", output_fields: ["id"], limit: 1 }))).toBe("ok");
        });

        it("a privilege group on Milvus 2.3 is refused before anything is created", async (ctx) => {
            onlyWhere(ctx, target, target.authentication && target.lacks({ collections: [], access: { required: true, prune: false, roles: [{ name: "r", grants: [{ object: "Collection", name: "*", database: "default", privileges: ["CollectionReadOnly"] }] }], users: [] } }).length > 0, "the server has privilege groups (Milvus 2.5 or later)");
            const m = names();
            const spec = twoApps(m);
            spec.access.roles[0].grants[0].privileges = ["CollectionReadOnly"];
            const run = runSchemaPipeline({ ...credentials(target), spec, passwords: { [m.userA]: "pw-A-123456", [m.userB]: "pw-B-123456" }, verify: { enabled: false } });
            await expect(run).rejects.toThrow(UnsupportedByServerError);
            await expect(run).rejects.toThrow('schema.access.roles[0].grants[0].privileges: invalid value "CollectionReadOnly"; expected the single privileges it stands for');
            expect((await root.listDatabases()).db_names).not.toContain(m.dbA);
            expect((await root.listRoles()).results.map((r) => r.role.name)).not.toContain(m.reader);
        });
    });

    describe("prune: true, on a server of its own", () => {
        // prune deletes every user the spec does not declare, on the whole server: never on the
        // server other test files share (it would delete their users while they run), never on
        // MILVUS_ADDRESS unless MILVUS_ALLOW_PRUNE=1 says that server's undeclared users may go.
        const allowExternal = process.env.MILVUS_ALLOW_PRUNE === "1";
        let pruneServer: MilvusServer | undefined;
        let booting: Promise<MilvusServer> | undefined;

        beforeAll(() => {
            // Started now, awaited by the test: the server boots while the tests above run.
            if (target.kind === "milvus-server") {
                booting = startMilvusServer({ authorization: true });
                booting.catch(() => undefined);
            }
        });
        afterAll(async () => {
            await (pruneServer ?? (await booting?.catch(() => undefined)))?.stop();
        });

        it("leaves an undeclared user in place and says so; deletes it with prune: true, never root, whose password still works", async (ctx) => {
            onlyWhere(ctx, target, target.authentication, needsAuth);
            onlyWhere(
                ctx,
                target,
                target.kind === "milvus-server" || allowExternal,
                "prune: true deletes every user the spec does not declare; it runs on a server started for it, and on MILVUS_ADDRESS only with MILVUS_ALLOW_PRUNE=1",
            );
            if (booting) pruneServer = await booting;
            const server = pruneServer ? { address: pruneServer.address, token: pruneServer.token! } : { address: target.address, token: target.token! };
            const n = names();
            const passwords = { [n.userA]: `pw-A-${randomBytes(6).toString("hex")}`, [n.userB]: `pw-B-${randomBytes(6).toString("hex")}` };
            const options = (spec: unknown, more: Partial<PipelineOptions> = {}): PipelineOptions => ({ ...server, spec, passwords, verify: small, ...more });
            const admin = new MilvusClient({ ...server, logLevel: "error" });
            admin.connectPromise.catch(() => undefined);
            own.push(admin);

            const created = await runSchemaPipeline(options(twoApps(n), { verify: { enabled: false } }));
            expect(created.access!.passed, created.access!.failures.join("\n")).toBe(true);
            expect((await admin.createUser({ username: n.legacy, password: "legacy-123456" })).error_code).toBe("Success");

            const kept = await runSchemaPipeline(options(twoApps(n), { verify: { enabled: false } }));
            expect(kept.access!.applied).toEqual([]);
            expect(kept.access!.notes.join("\n")).toMatch(new RegExp(`users on the server that are not declared, left in place: .*${n.legacy}.* \\(access\\.prune: true deletes them\\)`));
            expect((await admin.listUsers()).usernames).toContain(n.legacy);

            const pruned = await runSchemaPipeline(options(twoApps(n, { prune: true })));
            expect(pruned.passed, pruned.failures.join("\n")).toBe(true);
            expect(pruned.access!.applied).toContain(`delete user ${n.legacy} (prune: not declared)`);
            expect(pruned.access!.applied.some((a) => a.startsWith("delete user root"))).toBe(false);
            const users = (await admin.listUsers()).usernames;
            expect(users).not.toContain(n.legacy);
            expect(users).toEqual(expect.arrayContaining(["root", n.userA, n.userB]));
            expect(pruned.access!.users.every((u) => u.failures.length === 0)).toBe(true);

            // Root's password was never changed: a new client with the deployment's token still signs in.
            const fresh = new MilvusClient({ ...server, logLevel: "error" });
            own.push(fresh);
            expect(await outcome(() => fresh.listDatabases())).toBe("ok");
        });
    });

    describe("on a Milvus with authentication off", () => {
        it("declared access fails before anything is created, or is skipped with required false, saying authentication is off", async (ctx) => {
            onlyWhere(ctx, target, target.kind === "milvus-server", "starts a Milvus server of its own with authentication off, which only the milvus-server target does");
            const open = await startMilvusServer({ authorization: false });
            const client = new MilvusClient({ address: open.address, logLevel: "error" });
            client.connectPromise.catch(() => undefined);
            own.push(client);
            try {
                const tokenless = await outcome(() => client.listDatabases());
                if (tokenless !== "ok") {
                    throw new Error(
                        `startMilvusServer({ authorization: false }) started a server that refuses a client without a token (${tokenless}): ` +
                            "scripts/milvus-server.ts passes --authorization-enabled false, which the milvus wrapper's type=bool option reads as true",
                    );
                }
                const n = names();
                const passwords = { [n.userA]: "pw-A-123456", [n.userB]: "pw-B-123456" };
                const refused = runSchemaPipeline({ address: open.address, spec: twoApps(n), passwords, verify: { enabled: false } });
                await expect(refused).rejects.toThrow(AccessUnsupportedError);
                await expect(refused).rejects.toThrow(`Milvus at ${open.address} cannot enforce the declared access: it accepted this step without a token, so authentication is off`);
                await expect(refused).rejects.toThrow("Nothing was changed.");
                expect((await client.listDatabases()).db_names).not.toContain(n.dbA);
                expect((await client.listUsers()).usernames ?? []).not.toContain(n.userA);

                const skipped = await runSchemaPipeline({ address: open.address, spec: twoApps(n, { required: false }), verify: { enabled: false } });
                expect(skipped.access!.skipped).toContain("authentication is off");
                expect(skipped.access!.applied).toEqual([`create database ${n.dbA}`, `create database ${n.dbB}`]);
                expect((await client.listRoles()).results.map((r) => r.role.name)).not.toContain(n.reader);
                expect((await client.listUsers()).usernames ?? []).not.toContain(n.userA);
            } finally {
                await open.stop();
            }
        });
    });

    describe("on Milvus Lite (no RBAC)", () => {
        const onLite = "checks how the step treats declared access where the server has no RBAC (Milvus Lite)";

        it("declared access with required true fails plainly before anything is created", async (ctx) => {
            onlyWhere(ctx, target, target.kind === "milvus-lite", onLite);
            const n = names();
            const started = Date.now();
            const error = await runSchemaPipeline({ ...credentials(target), spec: twoApps(n), passwords: { [n.userA]: "pw-A-123456", [n.userB]: "pw-B-123456" }, verify: small }).then(
                () => undefined,
                (e: unknown) => e,
            );
            expect(error).toBeInstanceOf(UnsupportedByServerError);
            const message = (error as Error).message;
            expect(message).toContain("cannot serve the declared schema; nothing was changed");
            expect(message).toContain('schema.access: invalid value "2 roles, 2 users"; expected no access block, or access.required: false');
            expect(message).toContain("users, roles and grants is not implemented by Milvus Lite");
            expect(Date.now() - started).toBeLessThan(30_000);
            const dbs = (await root.listDatabases()).db_names ?? [];
            expect(dbs).not.toContain(n.dbA);
            expect(dbs).not.toContain(n.dbB);
        });

        it("with required false the access is skipped, the report says why, and the collections are made in both databases", async (ctx) => {
            onlyWhere(ctx, target, target.kind === "milvus-lite", onLite);
            const n = names();
            // No passwords: nothing of the access is applied here.
            const report = await runSchemaPipeline({ ...credentials(target), spec: twoApps(n, { required: false }), verify: small });
            expect(report.passed, report.failures.join("\n")).toBe(true);
            expect(report.access!.skipped).toMatch(/^users, roles and grants is not implemented by Milvus Lite \(Milvus Lite \d+\.\d+\.\d+; source: /);
            expect(report.access!.users).toEqual([]);
            expect(report.access!.applied).toEqual([`create database ${n.dbA}`, `create database ${n.dbB}`]);
            expect(report.collections.map((c) => [c.database, c.name, c.status])).toEqual([
                [n.dbA, "docs", "created"],
                [n.dbB, "docs", "created"],
            ]);

            // Read back: each database holds its own docs, and rows in one are not in the other.
            expect((await root.listDatabases()).db_names).toEqual(expect.arrayContaining([n.dbA, n.dbB]));
            await root.use({ db_name: n.dbA });
            expect((await root.showCollections()).data.map((c) => c.name)).toEqual(["docs"]);
            await root.insert({ collection_name: "docs", data: [row(3)] });
            const inA = await root.query({ collection_name: "docs", filter: "id >= 0", output_fields: ["id"], consistency_level: "Strong" as never });
            expect(inA.data.map((r) => Number(r.id))).toEqual([3]);
            await root.use({ db_name: n.dbB });
            expect((await root.showCollections()).data.map((c) => c.name)).toEqual(["docs"]);
            const inB = await root.query({ collection_name: "docs", filter: "id >= 0", output_fields: ["id"] });
            expect(inB.data).toEqual([]);
            await root.use({ db_name: "default" });
            expect((await root.showCollections()).data.map((c) => c.name)).not.toContain("docs");

            const again = await runSchemaPipeline({ ...credentials(target), spec: twoApps(n, { required: false }), verify: { enabled: false } });
            expect(again.changed).toBe(false);
            expect(again.access!.applied).toEqual([]);
        });
    });
});
