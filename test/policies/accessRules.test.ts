import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { MilvusSchema } from "../../components/schema/step/milvusSchema";
import { parseSchemaSettings as parseSchemaSpec } from "../../components/schema/spec/parse";
import { checkStack } from "../../policies/offline/check";
import { leastPrivilegeTokens } from "../../policies/rules";
import { check, resourcesOf } from "./helpers";

const collection = {
    name: "docs",
    database: "app_a",
    fields: [
        { name: "id", type: "INT64", primary: true },
        { name: "embedding", type: "FLOAT_VECTOR", dim: 8 },
    ],
    indexes: [{ field: "embedding", type: "HNSW", metric: "COSINE", params: { M: 8, efConstruction: 64 }, searchParams: { ef: 32 } }],
};
const withAccess = {
    databases: ["app_a"],
    collections: [collection],
    access: {
        roles: [{ name: "a_reader", grants: [{ object: "Collection", name: "docs", database: "app_a", privileges: ["Search", "Query"] }] }],
        users: [{ name: "app_a_api", roles: ["a_reader"] }],
    },
};
const withoutAccess = { databases: ["app_a"], collections: [collection] };

describe("least-privilege-app-tokens (advisory)", () => {
    it("fires when Milvus has authentication on and the schema declares no access users", async () => {
        const rs = await resourcesOf("dev", () => new MilvusSchema("schema", { address: "127.0.0.1:19530", token: "root:secret-pw", spec: parseSchemaSpec(withoutAccess) }));
        const vs = check(rs, leastPrivilegeTokens);
        expect(vs.map((v) => [v.level, v.message])).toEqual([["advisory", 'stack "dev" exports only the root token to applications: the schema declares no access users']]);
    });

    it("passes with declared users, and where authentication is off (no token)", async () => {
        const declared = await resourcesOf("dev", () => new MilvusSchema("schema", { address: "127.0.0.1:19530", token: "root:secret-pw", spec: parseSchemaSpec(withAccess) }));
        expect(check(declared, leastPrivilegeTokens)).toEqual([]);
        const noAuth = await resourcesOf("dev", () => new MilvusSchema("schema", { address: "127.0.0.1:19530", spec: parseSchemaSpec(withoutAccess) }));
        expect(check(noAuth, leastPrivilegeTokens)).toEqual([]);
    });
});

function stackDir(accessPasswords: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-policy-"));
    const spec = JSON.stringify(withAccess);
    fs.writeFileSync(
        path.join(dir, "Pulumi.apps.yaml"),
        `config:\n  milvus-gpu:mode: standalone\n  milvus-gpu:host:\n    type: local\n  milvus-gpu:dataDir: /tmp/milvus-gpu-access-policy\n  milvus-gpu:schema: ${spec}\n${accessPasswords}`,
    );
    return dir;
}

describe("secret-access-passwords (mandatory, on the stack file)", () => {
    it("fails a password written in plain text, naming its key and never its value", async () => {
        const { violations } = await checkStack("apps", { root: stackDir("  milvus-gpu:accessPasswords:\n    app_a_api: hunter2hunter2\n") });
        const found = violations.filter((v) => v.rule === "secret-access-passwords");
        expect(found.map((v) => [v.level, v.message])).toEqual([["mandatory", "milvus-gpu:accessPasswords.app_a_api is a password stored in plain text in Pulumi.apps.yaml"]]);
        expect(JSON.stringify(violations)).not.toContain("hunter2");
    });

    it("passes encrypted passwords (pulumi config set --secret --path) and generated ones (none given)", async () => {
        const encrypted = await checkStack("apps", { root: stackDir("  milvus-gpu:accessPasswords:\n    app_a_api:\n      secure: v1:AAAABBBBCCCC\n") });
        expect(encrypted.violations.filter((v) => v.rule === "secret-access-passwords")).toEqual([]);
        expect(encrypted.encryptedKeys).toContain("milvus-gpu:accessPasswords");
        const whole = await checkStack("apps", { root: stackDir("  milvus-gpu:accessPasswords:\n    secure: v1:AAAABBBBCCCC\n") });
        expect(whole.violations.filter((v) => v.rule === "secret-access-passwords")).toEqual([]);
        expect(whole.placeholders).toContain("milvus-gpu:accessPasswords");
        const generated = await checkStack("apps", { root: stackDir("") });
        expect(generated.violations.filter((v) => v.rule === "secret-access-passwords")).toEqual([]);
        // With users declared, the stack gives apps their own tokens: the advisory stays quiet.
        expect(generated.violations.filter((v) => v.rule === "least-privilege-app-tokens")).toEqual([]);
    });

    it("fails a password for a user the schema does not declare, before any resource", async () => {
        await expect(checkStack("apps", { root: stackDir("  milvus-gpu:accessPasswords:\n    app_b_api:\n      secure: v1:AAAABBBBCCCC\n") })).rejects.toThrow(
            /Pulumi\.apps\.yaml:\d+:\d+: milvus-gpu:accessPasswords\.app_b_api: user "app_b_api" is not declared under schema\.access\.users \(declared: app_a_api\)/,
        );
    });
});

describe("least-privilege-app-tokens during preview", () => {
    it("counts a token not known yet (a root password generated at up) as authentication on", async () => {
        const { UNKNOWN } = await import("../../policies/view");
        const view = { type: "pulumi-nodejs:dynamic/milvus-gpu:SchemaDeployment", name: "schema-deployment", urn: "urn:pulumi:dev::milvus-gpu::x::schema-deployment", props: { address: "a:1", token: UNKNOWN, spec: { collections: [] } } };
        expect(check([view], leastPrivilegeTokens).map((v) => v.message)).toEqual(['stack "dev" exports only the root token to applications: the schema declares no access users']);
    });
});
