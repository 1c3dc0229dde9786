import * as pulumi from "@pulumi/pulumi";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchemaSettings } from "../../components/schema/spec/parse";
import { makeSchemaProvider, pipelineModule, SchemaDeploymentInputs } from "../../components/schema/step/provider";
import { SchemaSettings } from "../../components/schema/spec/settings";
import { MilvusTarget, startTarget, uniqueName } from "./milvusTarget";

// What Pulumi's dynamic-provider host does with the serialized provider.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString = require("require-from-string") as (code: string, filename?: string) => { handler: () => pulumi.dynamic.ResourceProvider };

function smallSpec(name: string, dim: number): SchemaSettings {
    return parseSchemaSettings({
        collections: [
            {
                name,
                fields: [
                    { name: "id", type: "INT64", primary: true, autoId: true },
                    { name: "embedding", type: "FLOAT_VECTOR", dim },
                ],
                indexes: [{ field: "embedding", type: "FLAT", metric: "L2" }],
            },
        ],
    });
}

describe("the MilvusSchema dynamic provider", () => {
    let target: MilvusTarget;
    beforeAll(async () => {
        target = await startTarget();
    });
    afterAll(async () => {
        await target?.stop();
    });

    const verify = { enabled: true, canaryRows: 200, queries: 5, topK: 10, recallThreshold: 0.9, seed: 7, stepTimeoutSeconds: 120 };

    it("survives Pulumi's function serialization and runs create/diff/update/delete from the serialized form", async () => {
        // As pulumi.dynamic.Resource does: serialize a closure returning the provider object.
        const built = makeSchemaProvider(pipelineModule());
        const serialized = await pulumi.runtime.serializeFunction(() => built, { allowSecrets: true });
        expect(serialized.text).toContain("pipeline");
        const provider = requireFromString(serialized.text).handler() as unknown as pulumi.dynamic.ResourceProvider<SchemaDeploymentInputs>;

        const name = uniqueName("provider_docs");
        const inputs: SchemaDeploymentInputs = { address: target.address, ...(target.token ? { token: target.token } : {}), spec: smallSpec(name, 8), verify };
        const created = await provider.create(inputs);
        expect(created.id).toMatch(/^milvus-schema-/);
        expect(created.outs.report.collections[0]).toMatchObject({ name, status: "created", loaded: true });
        expect(created.outs.report.canaries[0].recall).toBe(1); // FLAT is exact

        const same = await provider.diff!(created.id, created.outs, inputs);
        expect(same.changes).toBe(false);
        // Same spec with keys in another order (as state round-trips may do) is no change either.
        const reordered = JSON.parse(JSON.stringify(inputs, Object.keys(inputs).sort().reverse())) as SchemaDeploymentInputs;
        expect((await provider.diff!(created.id, created.outs, { ...reordered, spec: inputs.spec, verify })).changes).toBe(false);

        const moved = { ...inputs, address: `localhost:${target.address.split(":")[1]}` };
        const diff = await provider.diff!(created.id, created.outs, moved);
        expect(diff.changes).toBe(true);
        expect(diff.replaces ?? []).toEqual([]);

        const updated = await provider.update!(created.id, created.outs, moved);
        expect(updated.outs!.report.changed).toBe(false);
        expect(updated.outs!.report.collections[0].status).toBe("unchanged");

        await provider.delete!(created.id, updated.outs);
        const client = target.client();
        expect((await client.hasCollection({ collection_name: name })).value).toBe(true);
    });

    it("runs from its serialized form in a separate Node process started elsewhere, as Pulumi's provider host does", async () => {
        const built = makeSchemaProvider(pipelineModule());
        const serialized = await pulumi.runtime.serializeFunction(() => built, { allowSecrets: true });
        const dir = mkdtempSync(join(tmpdir(), "dyn-provider-"));
        writeFileSync(join(dir, "provider.js"), serialized.text);
        const name = uniqueName("host_docs");
        const inputs: SchemaDeploymentInputs = { address: target.address, ...(target.token ? { token: target.token } : {}), spec: smallSpec(name, 4), verify: { ...verify, canaryRows: 100 } };
        writeFileSync(join(dir, "inputs.json"), JSON.stringify(inputs));
        const host = [
            `const load = require(${JSON.stringify(require.resolve("require-from-string"))});`,
            `const fs = require("fs");`,
            `const provider = load(fs.readFileSync("provider.js", "utf8")).handler();`,
            `provider.create(JSON.parse(fs.readFileSync("inputs.json", "utf8")))`,
            `  .then((r) => { console.log(JSON.stringify(r.outs.report)); process.exit(0); }, (e) => { console.error(e.message); process.exit(1); });`,
        ].join("\n");
        // A clean environment: no vitest transform, no NODE_PATH, cwd outside the project.
        const res = spawnSync(process.execPath, ["-e", host], { cwd: dir, encoding: "utf8", timeout: 100_000, env: { PATH: process.env.PATH ?? "" } });
        expect(res.status, res.stderr).toBe(0);
        const report = JSON.parse(res.stdout.trim().split("\n").pop()!) as { collections: { name: string; status: string }[]; canaries: { recall: number }[] };
        expect(report.collections[0]).toMatchObject({ name, status: "created" });
        expect(report.canaries[0].recall).toBe(1);
    });

    it("check reports invalid specs as check failures naming the field, before any network call", async () => {
        const provider = makeSchemaProvider(pipelineModule());
        const bad = { address: "127.0.0.1:1", spec: { collections: [{ name: "x", fields: [{ name: "v", type: "FLOAT_VECTOR", dim: 0 }] }] } };
        const res = await provider.check!({} as SchemaDeploymentInputs, bad as unknown as SchemaDeploymentInputs);
        expect(res.failures?.length).toBeGreaterThan(0);
        expect(res.failures!.map((f) => f.reason).join("\n")).toMatch(/schema\.collections\[0\]\.fields\[0\]\.dim: invalid value 0/);
    });

    it("fails create (so the deploy fails) when the declared schema conflicts, and changes nothing", async () => {
        const provider = makeSchemaProvider(pipelineModule());
        const name = uniqueName("provider_conflict");
        await provider.create({ address: target.address, ...(target.token ? { token: target.token } : {}), spec: smallSpec(name, 8), verify: { ...verify, enabled: false } });
        await expect(
            provider.create({ address: target.address, ...(target.token ? { token: target.token } : {}), spec: smallSpec(name, 16), verify: { ...verify, enabled: false } }),
        ).rejects.toThrow(new RegExp(`collection ${name}: field embedding dim differs: declared 16, existing 8`));
        const d = await target.client().describeCollection({ collection_name: name });
        expect(d.schema.fields.find((f) => f.name === "embedding")?.dim).toBe("8");
    });
});
