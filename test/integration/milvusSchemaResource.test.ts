import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaReport } from "../../components/schema/verify/report";
import { unwrapSecrets, valueOf } from "../helpers/pulumiMocks";
import { MilvusTarget, startTarget, uniqueName } from "./milvusTarget";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString = require("require-from-string") as (code: string) => { handler: () => pulumi.dynamic.ResourceProvider };

/**
 * MilvusSchema as a program uses it: the mocked engine hands the dynamic resource's inputs,
 * including the serialized provider Pulumi would store, to that provider's `create`, which
 * runs against a real Milvus protocol server; the report comes back as the component's output.
 */
let target: MilvusTarget;
let mod: typeof import("../../components/schema/step/milvusSchema");
const created: { type: string; secretToken: boolean }[] = [];
const failures: string[] = [];

beforeAll(async () => {
    target = await startTarget();
    pulumi.runtime.setMocks(
        {
            async newResource(args) {
                if (args.type.startsWith("pulumi-nodejs:dynamic")) {
                    const { __provider, ...inputs } = unwrapSecrets(args.inputs) as Record<string, unknown> & { __provider: string };
                    created.push({ type: args.type, secretToken: JSON.stringify(args.inputs.token ?? "").includes("1b47061264138c4ac30d75fd1eb44270") });
                    const result = await requireFromString(__provider)
                        .handler()
                        .create(inputs)
                        .catch((e: Error) => {
                            failures.push(e.message);
                            throw e;
                        });
                    return { id: result.id, state: { ...result.outs, __provider } };
                }
                return { id: `${args.name}-id`, state: args.inputs };
            },
            call: (args) => args.inputs,
        },
        "milvus-gpu",
        "test",
        false,
    );
    mod = await import("../../components/schema/step/milvusSchema");
});
afterAll(async () => {
    await target?.stop();
});

describe("MilvusSchema with its provider running for real", () => {
    it("reconciles and verifies on create and exposes the report as an output", async () => {
        const name = uniqueName("resource_docs");
        const schema = new mod.MilvusSchema("docs", {
            address: pulumi.output(target.address),
            token: target.token ?? "unused-by-milvus-lite",
            spec: {
                collections: [
                    {
                        name,
                        fields: [
                            { name: "id", type: "INT64", primary: true, autoId: true },
                            { name: "embedding", type: "FLOAT_VECTOR", dim: 16 },
                        ],
                        enableDynamicField: false,
                        vectorIndexes: [{ field: "embedding", type: "HNSW", metric: "L2", params: { M: 16, efConstruction: 200 }, searchParams: { ef: 64 } }],
                        scalarIndexes: [],
                        partitions: ["p2024"],
                        aliases: [],
                        load: true,
                    },
                ],
            },
            verify: { enabled: true, canaryRows: 1000, queries: 10, topK: 10, recallThreshold: 0.9, seed: 1, stepTimeoutSeconds: 60 },
        });
        const report: SchemaReport = await Promise.race([
            valueOf(schema.report),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no report; provider errors: ${failures.join("; ")}`)), 60_000)),
        ]);
        expect(report.passed).toBe(true);
        expect(report.collections[0]).toMatchObject({ name, status: "created", loaded: true });
        expect(report.collections[0].applied).toContain(`create partition p2024 in ${name}`);
        expect(report.canaries[0].recall).toBeGreaterThanOrEqual(0.9);
        expect(created).toEqual([{ type: expect.stringMatching(/^pulumi-nodejs:dynamic/), secretToken: true }]);
        expect((await target.client().hasCollection({ collection_name: name })).value).toBe(true);
    });
});
