import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigErrors } from "../../../../components/errors";
import { isSecretOutput, recordResources, RecordedResource, settle, valueOf } from "../../../helpers/pulumiMocks";

let recorded: RecordedResource[];
let mod: typeof import("../../../../components/schema/step/milvusSchema");
let parse: typeof import("../../../../components/schema/spec/parse");

beforeAll(async () => {
    recorded = recordResources();
    mod = await import("../../../../components/schema/step/milvusSchema");
    parse = await import("../../../../components/schema/spec/parse");
});

const spec = () =>
    parse.parseSchemaSettings({
        databases: ["app_a"],
        collections: [
            {
                name: "docs",
                database: "app_a",
                fields: [
                    { name: "id", type: "INT64", primary: true },
                    { name: "embedding", type: "FLOAT_VECTOR", dim: 8 },
                ],
                indexes: [{ field: "embedding", type: "HNSW", metric: "COSINE", params: { M: 8, efConstruction: 64 } }],
            },
        ],
        access: {
            roles: [{ name: "reader", grants: [{ object: "Collection", name: "docs", database: "app_a", privileges: ["Query"] }] }],
            users: [
                { name: "app_a_api", roles: ["reader"] },
                { name: "app_a_batch", roles: ["reader"] },
            ],
        },
    });

describe("MilvusSchema with declared users (mocked engine)", () => {
    it("generates a password only for users without one, keeps them secret in the step's inputs, and outputs a secret token per user", async () => {
        const s = new mod.MilvusSchema("apps", { address: "milvus:19530", token: "root:s3cret", spec: spec(), passwords: { app_a_batch: pulumi.secret("given-batch-pw") } });
        await settle();
        const generated = recorded.filter((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name.startsWith("apps-user-"));
        expect(generated.map((r) => r.name)).toEqual(["apps-user-app_a_api"]);
        expect(generated[0].inputs).toMatchObject({ length: 24, special: false });
        const dynamic = recorded.find((r) => r.name === "apps-deployment")!;
        expect(dynamic.secretInputs).toEqual(expect.arrayContaining(["token", "passwords"]));
        expect(Object.keys(dynamic.inputs.passwords as object).sort()).toEqual(["app_a_api", "app_a_batch"]);
        expect((dynamic.inputs.passwords as Record<string, string>).app_a_batch).toBe("given-batch-pw");
        expect(await isSecretOutput(s.tokens)).toBe(true);
        const tokens = await valueOf(s.tokens);
        expect(tokens.app_a_batch).toBe("app_a_batch:given-batch-pw");
        expect(tokens.app_a_api.startsWith("app_a_api:")).toBe(true);
    });

    it("refuses a password for a user the spec does not declare, before anything is registered", async () => {
        await settle();
        const before = recorded.length;
        let thrown: unknown;
        try {
            new mod.MilvusSchema("typo", { address: "milvus:19530", token: "root:s3cret", spec: spec(), passwords: { app_a_apii: "pw-123456" } });
        } catch (e) {
            thrown = e;
        }
        expect(thrown).toBeInstanceOf(ConfigErrors);
        expect((thrown as Error).message).toBe('passwords.app_a_apii: invalid value "(not shown)"; expected a user declared under schema.access.users: app_a_api, app_a_batch');
        expect((thrown as Error).message).not.toContain("pw-123456");
        await settle();
        expect(recorded.length).toBe(before);
    });

    it("without declared users: no password resources and an empty token map", async () => {
        const plain = parse.parseSchemaSettings({ collections: [] });
        const s = new mod.MilvusSchema("nousers", { address: "milvus:19530", spec: plain });
        await settle();
        expect(recorded.filter((r) => r.name.startsWith("nousers-user-"))).toEqual([]);
        expect(recorded.find((r) => r.name === "nousers-deployment")!.inputs.passwords).toBeUndefined();
        expect(await valueOf(s.tokens)).toEqual({});
    });
});
