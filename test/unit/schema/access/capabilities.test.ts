import { describe, expect, it } from "vitest";
import { coll } from "../../../helpers/accessSpecs";
import { AccessDriftError, AccessUnsupportedError, accessUnenforceableReason } from "../../../../components/schema/access/step";
import { specCapabilityProblems } from "../../../../components/schema/server/capabilities";
import { parseSchemaSettings } from "../../../../components/schema/spec/parse";
import { passwordProblems, parseSchemaStepSettings } from "../../../../components/schema/step/pipeline";
import { formatReport, SchemaReport } from "../../../../components/schema/verify/report";
import { checkServerCapabilities, UnsupportedByServerError } from "../../../../components/schema/server/check";
import { configErrorsOf } from "../../../helpers/configErrors";


function twoApps(access: Record<string, unknown> = {}, privileges = ["Search", "Query"]) {
    return parseSchemaSettings({
        databases: ["app_a", "app_b"],
        collections: [coll("docs", "app_a"), coll("docs", "app_b")],
        access: {
            ...access,
            roles: [
                { name: "a_reader", grants: [{ object: "Collection", name: "docs", database: "app_a", privileges }] },
                { name: "b_writer", grants: [{ object: "Collection", name: "docs", database: "app_b", privileges: ["Query", "Insert"] }] },
            ],
            users: [
                { name: "app_a_api", roles: ["a_reader"] },
                { name: "app_b_ingest", roles: ["b_writer"] },
            ],
        },
    });
}

const LITE = "milvus_lite-3.2.2";

describe("capabilities of declared access", () => {
    it("refuses access with required true on Milvus Lite, naming schema.access, what to do and the source", () => {
        const problems = specCapabilityProblems(twoApps(), { version: LITE });
        expect(problems).toEqual([
            {
                field: "schema.access",
                value: "2 roles, 2 users",
                allowed: expect.stringContaining("no access block, or access.required: false to skip it where the server cannot enforce it on Milvus Lite 3.2.2; users, roles and grants is not implemented by Milvus Lite"),
            },
        ]);
        expect(problems[0].allowed).toContain("source: https://milvus.io/docs/milvus_lite.md");
        expect(() => checkServerCapabilities(twoApps(), "127.0.0.1:1", LITE)).toThrow(UnsupportedByServerError);
        expect(() => checkServerCapabilities(twoApps(), "127.0.0.1:1", LITE)).toThrow(/cannot serve the declared schema; nothing was changed:\n {2}- schema\.access: invalid value "2 roles, 2 users"/);
    });

    it("does not refuse access with required false on Milvus Lite (it is skipped there), nor databases", () => {
        expect(specCapabilityProblems(twoApps({ required: false }), { version: LITE })).toEqual([]);
        expect(specCapabilityProblems(parseSchemaSettings({ databases: ["app_a"], collections: [coll("docs", "app_a")] }), { version: LITE })).toEqual([]);
    });

    it("takes users, roles, grants and databases on Milvus 2.3", () => {
        expect(specCapabilityProblems(twoApps(), { version: "v2.3.5" })).toEqual([]);
        expect(specCapabilityProblems(twoApps(), { version: "v2.3.5-lite" })).toEqual([]);
    });

    it("refuses a privilege group on Milvus 2.3.5, naming the grant and the single privileges instead; takes it on 2.5.0", () => {
        const spec = twoApps({}, ["CollectionReadOnly"]);
        expect(specCapabilityProblems(spec, { version: "v2.3.5" })).toEqual([
            {
                field: "schema.access.roles[0].grants[0].privileges",
                value: "CollectionReadOnly",
                allowed: expect.stringMatching(/^the single privileges it stands for on Milvus 2\.3\.5; the privilege group CollectionReadOnly needs Milvus 2\.5\.0 or later \(source: https:\/\/milvus\.io\/docs\/v2\.5\.x\/privilege_group\.md/),
            },
        ]);
        expect(specCapabilityProblems(spec, { version: "v2.4.9" }).map((p) => p.field)).toEqual(["schema.access.roles[0].grants[0].privileges"]);
        expect(specCapabilityProblems(spec, { version: "v2.5.0" })).toEqual([]);
        expect(specCapabilityProblems(spec, { version: "v2.6.1-gpu" })).toEqual([]);
    });

    it("does not refuse a privilege group on Milvus Lite when the access is skipped there (required false)", () => {
        expect(specCapabilityProblems(twoApps({ required: false }, ["CollectionReadOnly"]), { version: LITE })).toEqual([]);
    });
});

describe("accessUnenforceableReason", () => {
    it("Milvus Lite: no RBAC, with the source", () => {
        const why = accessUnenforceableReason(LITE, undefined);
        expect(why).toMatch(/^users, roles and grants is not implemented by Milvus Lite \(Milvus Lite 3\.2\.2; source: https:\/\/milvus\.io\/docs\/milvus_lite\.md/);
        expect(accessUnenforceableReason(LITE, "root:Milvus")).toBe(why);
    });

    it("a server that let the step in without a token has authentication off", () => {
        expect(accessUnenforceableReason("v2.3.5", undefined)).toContain("accepted this step without a token, so authentication is off");
        expect(accessUnenforceableReason("v2.3.5", "")).toContain("authentication is off");
    });

    it("a Milvus with a token can enforce it, also one whose version says nothing", () => {
        expect(accessUnenforceableReason("v2.3.5", "root:secret")).toBeUndefined();
        expect(accessUnenforceableReason(undefined, "root:secret")).toBeUndefined();
        expect(accessUnenforceableReason("unknown version", "root:secret")).toBeUndefined();
    });

    it("the errors say nothing was changed and what to do", () => {
        const unsupported = new AccessUnsupportedError("m:19530", "no RBAC here");
        expect(unsupported.message).toBe(
            "Milvus at m:19530 cannot enforce the declared access: no RBAC here. Nothing was changed. Deploy Milvus with authentication on, or set access.required: false to skip the declared access on this server.",
        );
        const drift = new AccessDriftError("m:19530", [{ path: "roles.r.grants", message: "role r holds grants on the server that are not declared: Insert on Collection default.docs" }]);
        expect(drift.message).toBe(
            "the access on Milvus at m:19530 exceeds what is declared; nothing was changed (this step never revokes):\n  - role r holds grants on the server that are not declared: Insert on Collection default.docs",
        );
    });
});

describe("passwordProblems", () => {
    const SECRET = "s3cret-value-never-shown";
    const shown = (errors: { message: string; value: unknown }[]) => errors.map((e) => `${e.message} ${JSON.stringify(e.value)}`).join("\n");

    it("needs a password for every declared user when the access is required", () => {
        const errors = passwordProblems(twoApps(), { app_a_api: SECRET });
        expect(errors.map((e) => e.message)).toEqual([
            "passwords.app_b_ingest: invalid value (missing); expected a password for declared user app_b_ingest (generated by MilvusSchema, or milvus-gpu:accessPasswords; --passwords FILE for verify)",
        ]);
        expect(shown(errors)).not.toContain(SECRET);
        expect(passwordProblems(twoApps(), { app_a_api: SECRET, app_b_ingest: SECRET })).toEqual([]);
    });

    it("with required false a missing password is not a problem yet (only where the server turns out to enforce access)", () => {
        expect(passwordProblems(twoApps({ required: false }), {})).toEqual([]);
        expect(passwordProblems(twoApps({ required: false }), {}, true).map((e) => e.field)).toEqual(["passwords.app_a_api", "passwords.app_b_ingest"]);
    });

    it("a password for a user that is not declared names the declared ones, never the value", () => {
        const errors = passwordProblems(twoApps(), { app_a_api: SECRET, app_b_ingest: SECRET, ghost: SECRET });
        expect(errors.map((e) => e.message)).toEqual(['passwords.ghost: invalid value "(not shown)"; expected a user declared under schema.access.users: app_a_api, app_b_ingest']);
        expect(shown(errors)).not.toContain(SECRET);
        const none = passwordProblems(parseSchemaSettings({ collections: [coll("docs")] }), { ghost: SECRET });
        expect(none.map((e) => e.message)).toEqual(['passwords.ghost: invalid value "(not shown)"; expected a user declared under schema.access.users (none is declared)']);
    });

    it("a password too short, too long or not a string, never showing it", () => {
        const short = "abc12";
        const long = "x".repeat(257);
        const errors = passwordProblems(twoApps(), { app_a_api: short, app_b_ingest: long });
        expect(errors.map((e) => e.message)).toEqual([
            'passwords.app_a_api: invalid value "(not shown)"; expected a password of 6 to 256 characters',
            'passwords.app_b_ingest: invalid value "(not shown)"; expected a password of 6 to 256 characters',
        ]);
        expect(shown(errors)).not.toContain(short);
        expect(shown(errors)).not.toContain("xxxxxx");
        expect(passwordProblems(twoApps(), { app_a_api: 12345678, app_b_ingest: "x".repeat(256) }).map((e) => e.field)).toEqual(["passwords.app_a_api"]);
        expect(passwordProblems(twoApps(), { app_a_api: "123456", app_b_ingest: "x".repeat(256) })).toEqual([]);
    });

    it("the step checks them with everything else, before any network call", () => {
        const errors = configErrorsOf(() => parseSchemaStepSettings({ address: "h:1", spec: twoApps(), passwords: { app_a_api: "short", ghost: SECRET } }));
        expect(errors.map((e) => e.field).sort()).toEqual(["passwords.app_a_api", "passwords.app_b_ingest", "passwords.ghost"]);
        expect(shown(errors)).not.toContain(SECRET);
        expect(shown(errors)).not.toContain("short");
    });
});

describe("formatReport: the access section", () => {
    const base: SchemaReport = {
        address: "127.0.0.1:19530",
        serverVersion: "v2.3.5",
        changed: true,
        summary: "3 changes applied; verification disabled",
        recallThreshold: 0.9,
        collections: [],
        canaries: [],
        passed: true,
        failures: [],
        timingsMs: { health: 1, reconcile: 2, verify: 3, total: 6 },
        finishedAt: "2026-01-01T00:00:00.000Z",
    };

    it("lists what was applied, notes and each user's probes", () => {
        const text = formatReport({
            ...base,
            access: {
                checked: true,
                applied: ["create database app_a", "create role a_reader", "create user app_a_api"],
                notes: ["users on the server that are not declared, left in place: legacy (access.prune: true deletes them)"],
                users: [
                    {
                        user: "app_a_api",
                        roles: ["a_reader"],
                        authenticated: true,
                        probes: [
                            { role: "a_reader", operation: "Query on Collection app_a.docs", expected: "allowed", outcome: "allowed", passed: true },
                            { role: "a_reader", operation: "Insert on Collection app_a.docs", expected: "refused", outcome: "allowed", passed: false },
                        ],
                        notes: [],
                        failures: ["user app_a_api (role a_reader) was allowed Insert on Collection app_a.docs, which none of its roles grants"],
                    },
                ],
                passed: false,
                failures: ["user app_a_api (role a_reader) was allowed Insert on Collection app_a.docs, which none of its roles grants"],
            },
        });
        expect(text).toContain("Access: FAILED");
        expect(text).toContain("  + create role a_reader");
        expect(text).toContain("  note: users on the server that are not declared, left in place: legacy");
        expect(text).toContain("  user app_a_api (roles a_reader): FAILED");
        expect(text).toContain("    may Query on Collection app_a.docs: allowed");
        expect(text).toContain("    may not Insert on Collection app_a.docs: allowed (FAILED)");
    });

    it("says why the access was skipped", () => {
        const text = formatReport({ ...base, access: { skipped: "users, roles and grants is not implemented by Milvus Lite", checked: false, applied: [], notes: [], users: [], passed: true, failures: [] } });
        expect(text).toContain("Access: skipped (users, roles and grants is not implemented by Milvus Lite)");
    });

    it("does not call access passed when nothing was probed (verify.enabled: false)", () => {
        const text = formatReport({ ...base, access: { checked: false, applied: ["create user app_a_api"], notes: [], users: [], passed: true, failures: [] } });
        expect(text).toContain("Access: applied, not verified (verify.enabled: false)");
        expect(text).not.toContain("Access: passed");
    });
});
