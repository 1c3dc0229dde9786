import { describe, expect, it } from "vitest";
import { coll } from "../../../helpers/accessSpecs";
import { classifyProbe, planUserProbes, RoleProbes } from "../../../../components/schema/access/verify";
import { parseSchemaSettings } from "../../../../components/schema/spec/parse";
import { SchemaSettings } from "../../../../components/schema/spec/settings";


type RawRole = { name: string; grants: Record<string, unknown>[] };

/** Two apps in two databases, with whatever roles and users a test declares. */
function spec(roles: RawRole[], users: { name: string; roles: string[] }[]): SchemaSettings {
    return parseSchemaSettings({ databases: ["app_a", "app_b"], collections: [coll("docs", "app_a"), coll("docs", "app_b")], access: { roles, users } });
}

const reader: RawRole = { name: "a_reader", grants: [{ object: "Collection", name: "docs", database: "app_a", privileges: ["Query", "Search"] }] };
const writer: RawRole = { name: "b_writer", grants: [{ object: "Collection", name: "docs", database: "app_b", privileges: ["Search", "Query", "Insert", "Delete"] }] };

/** What each probe is, as `Privilege db.collection` (or `Privilege db` for a Global one). */
function described(p: RoleProbes) {
    const one = (t: NonNullable<RoleProbes["allowed"]>) => `${t.privilege} ${t.database}${t.collection ? `.${t.collection.name}` : ""}`;
    return { role: p.role, allowed: p.allowed ? one(p.allowed) : undefined, forbidden: p.forbidden.map(one) };
}

function probesOf(s: SchemaSettings, user: string) {
    const u = s.access!.users.find((x) => x.name === user)!;
    return planUserProbes(u, s.access!, s);
}

describe("planUserProbes", () => {
    it("a read-only role: allowed is one of its own grants; forbidden are a write on its own collection and a read of another database's collection", () => {
        const s = spec([reader, writer], [{ name: "app_a_api", roles: ["a_reader"] }]);
        const probes = probesOf(s, "app_a_api");
        expect(probes.map(described)).toEqual([{ role: "a_reader", allowed: "Query app_a.docs", forbidden: ["Insert app_a.docs", "Query app_b.docs"] }]);
        expect(probes[0].note).toBeUndefined();
    });

    it("a read-write role: the forbidden probe on its own collection is a write it was not given", () => {
        const s = spec([reader, writer], [{ name: "app_b_ingest", roles: ["b_writer"] }]);
        expect(probesOf(s, "app_b_ingest").map(described)).toEqual([{ role: "b_writer", allowed: "Search app_b.docs", forbidden: ["Upsert app_b.docs", "Query app_a.docs"] }]);
    });

    it("forbidden probes are what none of the user's roles grants, not only the role's own", () => {
        const s = spec([reader, writer], [{ name: "both", roles: ["a_reader", "b_writer"] }]);
        const probes = probesOf(s, "both").map(described);
        expect(probes).toEqual([
            // Query on app_b.docs is b_writer's: not a forbidden probe for a_reader's check.
            { role: "a_reader", allowed: "Query app_a.docs", forbidden: ["Insert app_a.docs"] },
            { role: "b_writer", allowed: "Search app_b.docs", forbidden: ["Upsert app_b.docs"] },
        ]);
    });

    it("a wildcard collection grant: the allowed probe is a declared collection in that database, and the other database's is forbidden", () => {
        const s = spec([{ name: "a_all", grants: [{ object: "Collection", database: "app_a", privileges: ["Query"] }] }], [{ name: "u", roles: ["a_all"] }]);
        expect(probesOf(s, "u").map(described)).toEqual([{ role: "a_all", allowed: "Query app_a.docs", forbidden: ["Insert app_a.docs", "Query app_b.docs"] }]);
    });

    it("admin: an allowed probe, no forbidden one, and a note saying why", () => {
        const s = spec([reader], [{ name: "ops", roles: ["admin"] }]);
        const [p] = probesOf(s, "ops");
        expect(described(p)).toEqual({ role: "admin", allowed: "ListDatabases default", forbidden: [] });
        expect(p.note).toBe("admin holds every privilege: no forbidden operation to check");
    });

    it("a role with Global All: no forbidden probe for any of the user's roles, with a note", () => {
        const s = spec([reader, { name: "everything", grants: [{ object: "Global", privileges: ["All"] }] }], [{ name: "power", roles: ["a_reader", "everything"] }]);
        const probes = probesOf(s, "power");
        expect(probes.map((p) => p.forbidden)).toEqual([[], []]);
        expect(probes[0].note).toContain("power holds every privilege: no forbidden operation to check");
        // Nothing of Global All has a harmless probe.
        expect(probes[1].allowed).toBeUndefined();
        expect(probes[1].note).toContain("no harmless probe for role everything's grants");
    });

    it("public is not probed; a role with no harmless probe says so and still gets forbidden ones", () => {
        const s = spec([{ name: "indexer", grants: [{ object: "Collection", name: "docs", database: "app_a", privileges: ["CreateIndex"] }] }], [{ name: "u", roles: ["indexer", "public"] }]);
        const probes = probesOf(s, "u");
        expect(probes.map((p) => p.role)).toEqual(["indexer"]);
        expect(probes[0].allowed).toBeUndefined();
        expect(probes[0].note).toContain("no harmless probe for role indexer's grants");
        expect(probes[0].forbidden.length).toBeGreaterThan(0);
    });

    it("a Global ListDatabases grant in a database is probed there", () => {
        const s = spec([{ name: "lister", grants: [{ object: "Global", database: "app_b", privileges: ["ListDatabases"] }] }], [{ name: "u", roles: ["lister"] }]);
        const [p] = probesOf(s, "u");
        expect(described(p).allowed).toBe("ListDatabases app_b");
        expect(described(p).forbidden).toEqual(["Query app_a.docs"]);
    });

    it("a privilege group counts for the privileges it stands for: CollectionReadOnly on app_a.docs is not probed as forbidden to read it", () => {
        const s = spec([{ name: "a_group", grants: [{ object: "Collection", name: "docs", database: "app_a", privileges: ["CollectionReadOnly"] }] }], [{ name: "u", roles: ["a_group"] }]);
        const [p] = probesOf(s, "u");
        const forbidden = described(p).forbidden;
        // Milvus 2.5's CollectionReadOnly grants Query and Search: expecting a refusal there fails every verification of such a role.
        expect(forbidden).not.toContain("Query app_a.docs");
        expect(forbidden).not.toContain("Search app_a.docs");
    });
});

describe("classifyProbe: reading real answers", () => {
    const denied = (privilege: string) => Object.assign(new Error(`7 PERMISSION_DENIED: Privilege${privilege}: permission deny to app_a_api`), { code: 7 });

    it("a PERMISSION_DENIED for the probed privilege is a refusal, with the server's first line", () => {
        expect(classifyProbe("Query", { thrown: denied("Query") })).toEqual({ outcome: "refused", detail: "7 PERMISSION_DENIED: PrivilegeQuery: permission deny to app_a_api" });
        expect(classifyProbe("Insert", { thrown: new Error("7 PERMISSION_DENIED: PrivilegeInsert: permission deny to app_a_api\n    at stack line") })).toEqual({
            outcome: "refused",
            detail: "7 PERMISSION_DENIED: PrivilegeInsert: permission deny to app_a_api",
        });
        // Some calls answer with a status instead of throwing.
        expect(classifyProbe("Insert", { value: { status: { error_code: "PermissionDenied", reason: "PrivilegeInsert: permission deny to app_a_api", code: 65535 } } }).outcome).toBe("refused");
    });

    it("a refusal naming another privilege proves nothing about this one: inconclusive", () => {
        expect(classifyProbe("Insert", { thrown: denied("Query") })).toEqual({ outcome: "error", detail: "7 PERMISSION_DENIED: PrivilegeQuery: permission deny to app_a_api" });
        expect(classifyProbe("Search", { thrown: denied("DescribeCollection") }).outcome).toBe("error");
    });

    it("a refusal after the privilege check (the absent partition) means the privilege let it through", () => {
        const metaFailed = { status: { error_code: "UnexpectedError", reason: "partition not found[partition=milvus_gpu_access_probe_absent_partition]", code: 200 } };
        expect(classifyProbe("Insert", { value: metaFailed })).toEqual({ outcome: "allowed", detail: "partition not found[partition=milvus_gpu_access_probe_absent_partition]" });
        expect(classifyProbe("Delete", { thrown: new Error("partition not found[partition=milvus_gpu_access_probe_absent_partition]") }).outcome).toBe("allowed");
        expect(classifyProbe("Search", { thrown: new Error("failed to search: collection not loaded[collection=1]") }).outcome).toBe("allowed");
    });

    it("a success is allowed, without a detail", () => {
        expect(classifyProbe("Query", { value: { status: { error_code: "Success", reason: "", code: 0 }, data: [] } })).toEqual({ outcome: "allowed" });
        expect(classifyProbe("ListDatabases", { value: { status: { error_code: "Success", reason: "" }, db_names: ["default"] } })).toEqual({ outcome: "allowed" });
        expect(classifyProbe("HasPartition", { value: { status: { error_code: "Success", reason: "" }, value: false } })).toEqual({ outcome: "allowed" });
    });

    it("a lost or refused connection is inconclusive, never a pass either way", () => {
        expect(classifyProbe("Query", { thrown: new Error("14 UNAVAILABLE: No connection established") }).outcome).toBe("error");
        expect(classifyProbe("Query", { thrown: new Error("16 UNAUTHENTICATED: auth check failure") }).outcome).toBe("error");
        expect(classifyProbe("Query", { thrown: new Error("4 DEADLINE_EXCEEDED: Deadline exceeded") }).outcome).toBe("error");
    });
});
