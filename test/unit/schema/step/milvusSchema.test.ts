import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../../components/errors";
import type { SchemaArgs } from "../../../../components/schema/spec/args";
import { isSecretOutput, recordResources, RecordedResource, settle } from "../../../helpers/pulumiMocks";
import { makeTestCertificates } from "../../../helpers/tlsCertificates";

let recorded: RecordedResource[];
let mod: typeof import("../../../../components/schema/step/milvusSchema");
let parse: typeof import("../../../../components/schema/spec/parse");

beforeAll(async () => {
    recorded = recordResources();
    mod = await import("../../../../components/schema/step/milvusSchema");
    parse = await import("../../../../components/schema/spec/parse");
});

const rawSpec: SchemaArgs = {
    collections: [
        {
            name: "documents",
            fields: [
                { name: "id", type: "INT64", primary: true, autoId: true },
                { name: "embedding", type: "FLOAT_VECTOR", dim: 384 },
            ],
            indexes: [{ field: "embedding", type: "HNSW", metric: "COSINE", params: { M: 16, efConstruction: 200 } }],
        },
    ],
};

describe("MilvusSchema (mocked engine)", () => {
    it("registers the component and one dynamic resource under it, carrying the serialized provider", async () => {
        const spec = parse.parseSchemaSettings(rawSpec);
        const s = new mod.MilvusSchema("docs", { address: "milvus:19530", token: "root:s3cret", spec, verify: parse.parseVerifySettings({}) });
        await settle();
        const component = recorded.find((r) => r.type === "milvus-gpu:index:MilvusSchema" && r.name === "docs");
        expect(component).toBeDefined();
        const dynamic = recorded.find((r) => r.name === "docs-deployment");
        expect(dynamic?.type).toMatch(/^pulumi-nodejs:dynamic/);
        expect(dynamic!.inputs).toMatchObject({ address: "milvus:19530", spec, token: "root:s3cret" });
        // The provider travels as serialized source that requires the pipeline by absolute path.
        expect(typeof dynamic!.inputs.__provider).toBe("string");
        expect(dynamic!.inputs.__provider).toContain("pipeline.");
        expect(dynamic!.secretInputs).toContain("token");
        expect(pulumi.Output.isInstance(s.report)).toBe(true);
    });

    it("takes the config form as another language sends it (indexes, no defaults) and the step reads the same spec", async () => {
        new mod.MilvusSchema("config-form", { address: "milvus:19530", spec: rawSpec, verify: { topK: 5, canaryRows: 100 } });
        await settle();
        const dynamic = recorded.find((r) => r.name === "config-form-deployment")!;
        expect(dynamic.inputs.spec).toEqual(rawSpec);
        expect(parse.parseSchemaSettings(dynamic.inputs.spec)).toEqual(parse.parseSchemaSettings(rawSpec));
        expect(parse.parseSchemaSettings(dynamic.inputs.spec).collections[0].vectorIndexes[0]).toMatchObject({ field: "embedding", type: "HNSW", metric: "COSINE" });
        expect(parse.parseVerifySettings(dynamic.inputs.verify)).toMatchObject({ topK: 5, canaryRows: 100, queries: 20 });
    });

    it("takes databases and access in the config form too (defaults left out), with a user's password given", async () => {
        const withAccess: SchemaArgs = {
            databases: ["app_a"],
            collections: [{ ...rawSpec.collections![0], database: "app_a" }],
            access: {
                roles: [{ name: "reader", grants: [{ object: "Collection", name: "documents", database: "app_a", privileges: ["Query", "Search"] }] }],
                users: [{ name: "app_a_api", roles: ["reader"] }],
            },
        };
        new mod.MilvusSchema("config-access", { address: "milvus:19530", spec: withAccess, passwords: { app_a_api: "given-pw-123" } });
        await settle();
        const dynamic = recorded.find((r) => r.name === "config-access-deployment")!;
        expect(dynamic.inputs.spec).toEqual(withAccess);
        const parsed = parse.parseSchemaSettings(dynamic.inputs.spec);
        expect(parsed.access).toMatchObject({ required: true, prune: false, users: [{ name: "app_a_api", roles: ["reader"] }] });
        expect(parsed.access!.roles[0].grants[0]).toEqual({ object: "Collection", name: "documents", database: "app_a", privileges: ["Query", "Search"] });
        expect(dynamic.secretInputs).toContain("passwords");
    });

    it("keeps a plain-text token secret in state", async () => {
        new mod.MilvusSchema("plain", { address: "milvus:19530", token: "root:plain", spec: parse.parseSchemaSettings(rawSpec) });
        await settle();
        const dynamic = recorded.find((r) => r.name === "plain-deployment")!;
        expect(dynamic.secretInputs).toEqual(["token"]);
        const noToken = new mod.MilvusSchema("open", { address: "milvus:19530", spec: parse.parseSchemaSettings(rawSpec) });
        await settle();
        expect(recorded.find((r) => r.name === "open-deployment")!.secretInputs).toEqual([]);
        expect(await isSecretOutput(noToken.report)).toBe(false);
    });

    it("rejects a bad plain spec when constructed, before anything is registered", async () => {
        await settle();
        const before = recorded.length;
        const bad: SchemaArgs = structuredClone(rawSpec);
        bad.collections![0].fields[1].dim = 0;
        // Exactly one error: the bad dim (no follow-on complaint about the index on that field).
        expect(() => new mod.MilvusSchema("bad", { address: "m:1", spec: bad })).toThrow(ConfigError);
        expect(() => new mod.MilvusSchema("bad2", { address: "m:1", spec: bad })).toThrow(/^spec\.collections\[0\]\.fields\[1\]\.dim: invalid value 0; expected an integer from 1 to 32768$/);
        await settle();
        expect(recorded.length).toBe(before);
    });

    it("carries the TLS options to the step, keeps a secret CA secret, and rejects bad plain ones when constructed", async () => {
        const certs = makeTestCertificates();
        try {
            new mod.MilvusSchema("tls", { address: "milvus:19530", tlsCaPem: pulumi.secret(certs.caPem), tlsServerName: "milvus.test", spec: parse.parseSchemaSettings(rawSpec) });
            await settle();
            const dynamic = recorded.find((r) => r.name === "tls-deployment")!;
            expect(dynamic.inputs).toMatchObject({ tlsCaPem: certs.caPem, tlsServerName: "milvus.test" });
            expect(dynamic.secretInputs).toEqual(["tlsCaPem"]);
            await settle();
            const before = recorded.length;
            expect(() => new mod.MilvusSchema("badtls", { address: "m:1", tlsCaPem: "not a PEM", tlsServerName: "milvus test", spec: parse.parseSchemaSettings(rawSpec) })).toThrow(
                /tlsCaPem: invalid value "\(PEM text of 9 characters\)"[\s\S]*tlsServerName: invalid value "milvus test"/,
            );
            expect(() => new mod.MilvusSchema("nametls", { address: "m:1", tlsServerName: "milvus.test", spec: parse.parseSchemaSettings(rawSpec) })).toThrow(/tlsServerName: .*unset unless TLS is used/);
            await settle();
            expect(recorded.length).toBe(before);
        } finally {
            certs.remove();
        }
    });
});
