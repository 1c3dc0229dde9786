import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkStack } from "../../../policies/offline/check";
import { readStackConfig } from "../../../scripts/stackFile";
import { renderStack } from "../../../stacks/render";
import { recordResources, settle } from "../../helpers/pulumiMocks";

const collection = {
    name: "docs",
    fields: [
        { name: "id", type: "INT64", primary: true },
        { name: "embedding", type: "FLOAT_VECTOR", dim: 8 },
    ],
    indexes: [{ field: "embedding", type: "HNSW", metric: "COSINE", params: { M: 8, efConstruction: 64 } }],
};
const SCHEMAS: [string, object | undefined, string][] = [
    ["an access block that declares another user", { collections: [collection], access: { roles: [{ name: "reader", grants: [{ object: "Collection", name: "docs", privileges: ["Search"] }] }], users: [{ name: "app_a_api", roles: ["reader"] }] } }, "declared: app_a_api"],
    ["no access block", { collections: [collection] }, "none is declared"],
    ["no schema at all", undefined, "none is declared"],
];
const PASSWORDS = "  milvus-gpu:accessPasswords:\n    app_b_api:\n      secure: v1:AAAABBBBCCCC\n";

/** A stack file whose last key gives a password to app_b_api, which no schema declares; its line is returned. */
function stackDir(schema: object | undefined): { dir: string; line: number } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "access-undeclared-"));
    const head = `config:\n  milvus-gpu:mode: standalone\n  milvus-gpu:dataDir: /tmp/milvus-gpu-undeclared\n${schema ? `  milvus-gpu:schema: ${JSON.stringify(schema)}\n` : ""}`;
    fs.writeFileSync(path.join(dir, "Pulumi.apps.yaml"), head + PASSWORDS);
    return { dir, line: head.split("\n").length + 1 };
}

const refusal = (declared: string) =>
    new RegExp(`milvus-gpu:accessPasswords\\.app_b_api: user "app_b_api" is not declared under schema\\.access\\.users \\(${declared}\\)`);

describe("milvus-gpu:accessPasswords for a user no schema declares: render, policy and up all refuse it", () => {
    it.each(SCHEMAS)("render, with %s: refused at the key's file:line:col", (_, schema, declared) => {
        const { dir, line } = stackDir(schema);
        let message = "";
        try {
            renderStack(readStackConfig("apps", dir), "json");
        } catch (e) {
            message = (e as Error).message;
        }
        expect(message).toMatch(refusal(declared));
        expect(message).toContain(`Pulumi.apps.yaml:${line}:5: milvus-gpu:accessPasswords.app_b_api`);
        expect(message).not.toContain("passwords.app_b_api: invalid value");
    });

    it.each(SCHEMAS)("policy, with %s: refused before any resource", async (_, schema, declared) => {
        const { dir, line } = stackDir(schema);
        await expect(checkStack("apps", { root: dir })).rejects.toThrow(refusal(declared));
        await expect(checkStack("apps", { root: dir })).rejects.toThrow(`Pulumi.apps.yaml:${line}:5:`);
    });

    it.each(SCHEMAS)("the program under mocks (up), with %s: refused before any resource", async (_, schema, declared) => {
        const recorded = recordResources({
            stack: "apps",
            config: {
                "milvus-gpu:mode": "standalone",
                "milvus-gpu:dataDir": "/tmp/milvus-gpu-undeclared",
                ...(schema ? { "milvus-gpu:schema": JSON.stringify(schema) } : {}),
                // As the engine hands it over: decrypted JSON text.
                "milvus-gpu:accessPasswords": JSON.stringify({ app_b_api: "hunter2hunter2" }),
            },
            secretKeys: ["milvus-gpu:accessPasswords"],
        });
        const { runStack } = await import("../../../stacks");
        expect(() => runStack()).toThrow(refusal(declared));
        await settle();
        expect(recorded).toEqual([]);
    });

    it("a password for a declared user is accepted by all three", async () => {
        const { dir } = stackDir(SCHEMAS[0][1]);
        fs.writeFileSync(path.join(dir, "Pulumi.apps.yaml"), fs.readFileSync(path.join(dir, "Pulumi.apps.yaml"), "utf8").replace("app_b_api", "app_a_api"));
        expect(() => renderStack(readStackConfig("apps", dir), "json")).not.toThrow();
        await expect(checkStack("apps", { root: dir })).resolves.toMatchObject({ stack: "apps" });
    });
});
