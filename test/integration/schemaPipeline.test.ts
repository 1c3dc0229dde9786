import { ConsistencyLevelEnum, MilvusClient } from "@zilliz/milvus2-sdk-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, ConfigErrors } from "../../components/errors";
import { runCanary } from "../../components/schema/verify/canary";
import { MilvusUnavailableError } from "../../components/schema/server/connection";
import { parseSchemaSettings, parseVerifySettings } from "../../components/schema/spec/parse";
import { runSchemaPipeline } from "../../components/schema/step/pipeline";
import { SchemaConflictError } from "../../components/schema/collections/reconcile";
import { UnsupportedByServerError } from "../../components/schema/server/check";
import { freePort } from "../../scripts/milvus-lite";
import { MilvusTarget, onlyWhereSupported, startTarget, uniqueName } from "./milvusTarget";
import { devSpec, RawCollection } from "./devSpec";
import { serverState } from "./serverState";
import { lineLog, stillOnServer, throwawayNames } from "./throwaway";

const fastVerify = { canaryRows: 1000, queries: 10, topK: 10, recallThreshold: 0.9, seed: 42 };

describe("schema pipeline against a real Milvus protocol server", () => {
    let target: MilvusTarget;
    let client: MilvusClient;
    const docs = uniqueName("documents");
    const alias = uniqueName("docs");
    const opts = () => ({ address: target.address, ...(target.token ? { token: target.token } : {}) });

    beforeAll(async () => {
        target = await startTarget();
        client = target.client();
    });
    afterAll(async () => {
        await target?.stop();
    });

    it("creates the seed's documents collection with HNSW, scalar indexes, a partition and an alias, and verifies it", async () => {
        const { lines, log } = lineLog();
        const report = await runSchemaPipeline({ ...opts(), spec: devSpec(docs, alias, target), verify: fastVerify, log });
        expect(report.passed).toBe(true);
        expect(report.changed).toBe(true);
        expect(report.collections[0]).toMatchObject({ name: docs, status: "created", loaded: true });

        // Checked independently of the pipeline's own reading.
        const d = await client.describeCollection({ collection_name: docs });
        const fields = Object.fromEntries(d.schema.fields.map((f) => [f.name, f]));
        expect(Object.keys(fields).sort()).toEqual(["category", "embedding", "id", "source", "text", "year"]);
        expect(fields.embedding.dim).toBe("384");
        expect(fields.text.max_length).toBe("2048");
        expect(fields.id.autoID).toBe(true);
        expect(d.schema.enable_dynamic_field).toBe(true);
        const idx = await client.describeIndex({ collection_name: docs });
        const byField = Object.fromEntries(idx.index_descriptions.map((i) => [i.field_name, Object.fromEntries(i.params.map((p) => [p.key, p.value]))]));
        expect(byField.embedding).toMatchObject({ index_type: "HNSW", metric_type: "COSINE" });
        const declared = Object.fromEntries(devSpec(docs, alias, target).collections[0].indexes.map((i) => [i.field, i.type]));
        expect(byField.category.index_type).toBe(declared.category);
        expect(byField.year.index_type).toBe(declared.year);
        expect((await client.listPartitions({ collection_name: docs })).partition_names).toContain("2024_docs");
        expect((await client.describeAlias({ collection_name: docs, alias })).collection).toBe(docs);

        const canary = report.canaries[0];
        expect(canary.index).toMatchObject({ type: "HNSW", metric: "COSINE", dim: 384 });
        expect(canary.recall).toBeGreaterThanOrEqual(0.9);
        expect(canary.filterRespected).toBe(true);
        expect(canary.removed).toBe(true);
        expect(Object.keys(canary.timingsMs)).toEqual(expect.arrayContaining(["create", "insert", "flush", "index", "load", "search", "filteredSearch", "drop"]));
        // The canary never lingers and never touched the user's collection. Other files share the
        // server: the check covers every throwaway this run announced, by name.
        const throwaways = throwawayNames(lines);
        expect(throwaways).toEqual([canary.collection]);
        expect(await stillOnServer(client, throwaways)).toEqual([]);
        expect(report.collections[0].rowCount).toBe(0);
    });

    it("changes nothing on a second run and says so", async () => {
        const report = await runSchemaPipeline({ ...opts(), spec: devSpec(docs, alias, target), verify: { ...fastVerify, enabled: false } });
        expect(report.changed).toBe(false);
        expect(report.summary).toMatch(/^no changes/);
        expect(report.collections[0]).toMatchObject({ status: "unchanged", applied: [] });
    });

    it("refuses a different dim, naming the collection and both dims, and keeps the existing rows", async () => {
        const rows = Array.from({ length: 5 }, (_, i) => ({
            text: `doc ${i}`,
            source: "test",
            category: "database",
            year: 2024,
            embedding: Array.from({ length: 384 }, (_, j) => Math.sin(i + j)),
        }));
        const inserted = await client.insert({ collection_name: docs, data: rows });
        expect(Number(inserted.insert_cnt)).toBe(5);
        await client.flushSync({ collection_names: [docs] });

        const spec = devSpec(docs, alias, target);
        spec.collections[0].fields.find((f) => f.name === "embedding")!.dim = 768;
        const run = runSchemaPipeline({ ...opts(), spec, verify: { enabled: false } });
        await expect(run).rejects.toThrow(SchemaConflictError);
        await expect(run).rejects.toThrow(new RegExp(`collection ${docs}: field embedding dim differs: declared 768, existing 384`));

        const kept = await client.query({ collection_name: docs, filter: 'source == "test"', output_fields: ["text"], consistency_level: ConsistencyLevelEnum.Strong });
        expect(kept.data.map((r) => r.text).sort()).toEqual(["doc 0", "doc 1", "doc 2", "doc 3", "doc 4"]);
        const d = await client.describeCollection({ collection_name: docs });
        expect(d.schema.fields.find((f) => f.name === "embedding")!.dim).toBe("384");
    });

    it("applies nothing at all when any declared collection conflicts", async () => {
        const fresh = uniqueName("not_created");
        const spec = devSpec(docs, alias, target);
        spec.collections[0].fields.find((f) => f.name === "text")!.maxLength = 4096;
        spec.collections.unshift({ ...spec.collections[0], name: fresh, aliases: [], fields: devSpec(docs, alias, target).collections[0].fields });
        await expect(runSchemaPipeline({ ...opts(), spec, verify: { enabled: false } })).rejects.toThrow(/text maxLength differs: declared 4096, existing 2048/);
        expect((await client.hasCollection({ collection_name: fresh })).value).toBe(false);
    });

    it("measures recall from real search results: an exact index scores 1, a starved IVF search fails the threshold", async () => {
        const verify = parseVerifySettings({ canaryRows: 2000, queries: 10, seed: 3 });
        const collection = (index: Record<string, unknown>) =>
            parseSchemaSettings({
                collections: [
                    {
                        name: "c",
                        fields: [
                            { name: "id", type: "INT64", primary: true },
                            { name: "v", type: "FLOAT_VECTOR", dim: 32 },
                        ],
                        indexes: [{ field: "v", ...index }],
                    },
                ],
            }).collections[0].vectorIndexes[0];
        const flat = await runCanary(client, { index: collection({ type: "FLAT", metric: "L2" }), dim: 32 }, verify);
        expect(flat.failures).toEqual([]);
        expect(flat.recall).toBe(1);
        expect(flat.filteredRecall).toBe(1);

        const starved = await runCanary(client, { index: collection({ type: "IVF_FLAT", metric: "L2", params: { nlist: 64 }, searchParams: { nprobe: 1 } }), dim: 32 }, verify);
        expect(starved.recall).toBeLessThan(0.9);
        expect(starved.passed).toBe(false);
        expect(starved.failures.join("\n")).toMatch(/recall@10 0\.\d+ is below the threshold 0\.9/);
        expect(starved.removed).toBe(true);
    });

    it("passes a valid IVF_FLAT spec with nlist 4096 on the default canary rows, saying which nprobe it searched with", async () => {
        // 1,000 rows over 4,096 lists: the declared nprobe scans a handful of rows (issue 21).
        const name = uniqueName("ivf4096");
        const spec = {
            collections: [
                {
                    name,
                    fields: [
                        { name: "id", type: "INT64", primary: true, autoId: true },
                        { name: "embedding", type: "FLOAT_VECTOR", dim: 384 },
                    ],
                    indexes: [{ field: "embedding", type: "IVF_FLAT", metric: "COSINE", params: { nlist: 4096 }, searchParams: { nprobe: 16 } }],
                },
            ],
        };
        try {
            const report = await runSchemaPipeline({ ...opts(), spec, verify: { seed: 42 } });
            const canary = report.canaries[0];
            expect(canary.failures).toEqual([]);
            expect(canary.rows).toBe(1000);
            expect(canary.filteredRecall).toBeGreaterThanOrEqual(0.9);
            expect(canary.index.searchParams).toEqual({ nprobe: 16 });
            // Where the server searched the index (Milvus Lite does at 1,000 rows), the report says nprobe was raised.
            if (canary.index.indexedRows) expect(canary.notes.join("\n")).toMatch(/filtered .* search used nprobe \d+ instead of 16/);
        } finally {
            await client.dropCollection({ collection_name: name }).catch(() => undefined);
        }
    });

    it("runs sparse and hybrid search when a sparse field is declared", async (ctx) => {
        const name = uniqueName("hybrid");
        const spec = {
            collections: [
                {
                    name,
                    fields: [
                        { name: "id", type: "INT64", primary: true, autoId: true },
                        { name: "dense", type: "FLOAT_VECTOR", dim: 64 },
                        { name: "sparse", type: "SPARSE_FLOAT_VECTOR" },
                        { name: "tags", type: "ARRAY", elementType: "VARCHAR", maxLength: 32, maxCapacity: 8 },
                        { name: "meta", type: "JSON" },
                        { name: "score", type: "DOUBLE" },
                    ],
                    indexes: [
                        { field: "dense", type: "HNSW", metric: "IP", params: { M: 16, efConstruction: 200 }, searchParams: { ef: 64 } },
                        { field: "sparse", type: "SPARSE_INVERTED_INDEX", metric: "IP" },
                    ],
                },
            ],
        };
        // Sparse vectors and a second vector field need Milvus 2.4; the refusal elsewhere is tested below.
        onlyWhereSupported(ctx, target, parseSchemaSettings(spec));
        const report = await runSchemaPipeline({ ...opts(), spec, verify: { canaryRows: 500, queries: 10 } });
        const canary = report.canaries[0];
        expect(canary.sparseIndex?.type).toBe("SPARSE_INVERTED_INDEX");
        expect(canary.sparseRecall).toBeGreaterThanOrEqual(0.9);
        expect(canary.hybridTop1).toBe(1);
        expect(canary.timingsMs.hybridSearch).toBeGreaterThanOrEqual(0);
        expect(report.collections[0].searches.map((s) => s.field).sort()).toEqual(["dense", "sparse"]);
    });

    it("refuses a schema the server cannot serve with every reason, and leaves collections, indexes, partitions and aliases as they were", async () => {
        const v = (name = "v") => ({ name, type: "FLOAT_VECTOR", dim: 8 });
        const id = { name: "id", type: "INT64", primary: true, autoId: true };
        // State the refused plan would add to: an existing collection with a partition and an alias.
        const existing = uniqueName("existing");
        const oldAlias = uniqueName("old_alias");
        await runSchemaPipeline({
            ...opts(),
            spec: { collections: [{ name: existing, fields: [id, v()], indexes: [{ field: "v", type: "FLAT", metric: "L2" }], partitions: ["p_old"], aliases: [oldAlias] }] },
            verify: { enabled: false },
        });
        // A scalar index type this server lacks for strings: INVERTED before Milvus 2.4, Trie on Milvus Lite.
        const missingScalar = (["INVERTED", "Trie", "BITMAP"] as const).find((t) => !target.hasScalarIndex(t, "VARCHAR"))!;
        const fresh = uniqueName("would_be_created");
        const lacking = uniqueName("lacking");
        const gpu = uniqueName("gpu_index");
        const dev = devSpec(uniqueName("documents"), uniqueName("docs")).collections[0]; // the dev stack's spec as written (INVERTED)
        const raw = {
            collections: [
                { name: existing, fields: [id, v()], indexes: [{ field: "v", type: "FLAT", metric: "L2" }], partitions: ["p_old", "p_new"], aliases: [oldAlias, uniqueName("new_alias")] },
                { name: fresh, fields: [id, v()], indexes: [{ field: "v", type: "HNSW", metric: "COSINE" }], partitions: ["p1"], aliases: [uniqueName("fresh_alias")] },
                {
                    name: lacking,
                    fields: [id, v(), { name: "category", type: "VARCHAR", maxLength: 64 }, { name: "note", type: "INT32", nullable: true }],
                    indexes: [{ field: "v", type: "FLAT", metric: "L2" }, { field: "category", type: missingScalar }],
                },
                { name: gpu, fields: [id, v()], indexes: [{ field: "v", type: "GPU_IVF_FLAT", metric: "L2", params: { nlist: 16 } }] },
                dev,
            ],
        };
        const expected = target.lacks(parseSchemaSettings(raw));
        // Refused on every non-GPU target here: the missing scalar index type and the GPU index.
        expect(expected.map((p) => p.field)).toEqual(expect.arrayContaining(["schema.collections[2].indexes.category.type", "schema.collections[3].indexes.v.type"]));

        // Every name the refused plan would touch: its collections and aliases (other files' collections come and go meanwhile).
        const declared = { collections: raw.collections.map((c) => c.name), aliases: raw.collections.flatMap((c) => ("aliases" in c ? (c.aliases ?? []) : [])) };
        const before = await serverState(client, declared);
        expect(before.collections[existing]).toMatchObject({ partitions: expect.arrayContaining(["p_old"]) });
        expect(before.collections[fresh]).toBe("absent");
        const error = await runSchemaPipeline({ ...opts(), spec: raw, verify: { enabled: false } }).then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(UnsupportedByServerError);
        const message = (error as Error).message;
        expect(message).toContain(`Milvus at ${target.address} (${target.server!.label}) cannot serve the declared schema; nothing was changed`);
        for (const p of expected) expect(message).toContain(`${p.field}: invalid value ${JSON.stringify(p.value)}; expected ${p.allowed}`);
        expect((error as UnsupportedByServerError).errors).toHaveLength(expected.length);
        expect(message).toMatch(/GPU_IVF_FLAT needs a GPU build of Milvus/);

        expect(await serverState(client, declared)).toEqual(before);
        for (const name of [fresh, lacking, gpu, dev.name]) expect((await client.hasCollection({ collection_name: name })).value).toBe(false);
    });

    it("fails within the configured timeout, with a clear message, when nothing answers", async () => {
        const port = await freePort();
        const started = Date.now();
        const run = runSchemaPipeline({ address: `127.0.0.1:${port}`, spec: devSpec("documents", "docs"), healthTimeoutSeconds: 3 });
        await expect(run).rejects.toThrow(MilvusUnavailableError);
        await expect(run).rejects.toThrow(new RegExp(`Milvus at 127\\.0\\.0\\.1:${port} did not become healthy within 3s \\(\\d+ attempts; last error: .+\\)`));
        const elapsed = Date.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(2500);
        expect(elapsed).toBeLessThan(6000);
    });

    it.each([
        ["HNSW M=0", (c: RawCollection) => (c.indexes[0].params = { ...c.indexes[0].params, M: 0 }), /indexes\[0\]\.params\.M: invalid value 0; expected an integer from 2 to 2048/],
        ["dim 0", (c: RawCollection) => (c.fields[5].dim = 0), /fields\[5\]\.dim: invalid value 0/],
        ["VARCHAR without maxLength", (c: RawCollection) => delete c.fields[1].maxLength, /fields\[1\]\.maxLength: invalid value \(missing\)/],
        ["duplicate field names", (c: RawCollection) => (c.fields[2].name = "text"), /fields\[2\]\.name: invalid value "text"; expected a field name not used by another field/],
        ["a bad collection name", (c: RawCollection) => (c.name = "my-docs"), /collections\[0\]\.name: invalid value "my-docs"/],
        ["a bad field name", (c: RawCollection) => (c.fields[3].name = "2category"), /fields\[3\]\.name: invalid value "2category"/],
    ])("rejects %s before any network call", async (_label, mutate, message) => {
        const spec = devSpec("documents", "docs");
        mutate(spec.collections[0]);
        let clients = 0;
        const run = runSchemaPipeline({
            address: target.address,
            spec,
            clientFactory: () => {
                clients++;
                throw new Error("must not connect");
            },
        });
        await expect(run).rejects.toThrow(message);
        await expect(run).rejects.toSatisfy((e: unknown) => e instanceof ConfigError || e instanceof ConfigErrors);
        expect(clients).toBe(0);
    });

    it("loads a released collection again (an additive step) and checks that it answers", async () => {
        const name = uniqueName("released");
        const collection = (load: boolean) => ({
            name,
            load,
            fields: [
                { name: "id", type: "INT64", primary: true },
                { name: "v", type: "FLOAT_VECTOR", dim: 4 },
            ],
            indexes: [{ field: "v", type: "FLAT", metric: "L2" }],
        });
        await runSchemaPipeline({ ...opts(), spec: { collections: [collection(false)] }, verify: { enabled: false } });
        await client.releaseCollection({ collection_name: name });
        const report = await runSchemaPipeline({ ...opts(), spec: { collections: [collection(true)] }, verify: { canaryRows: 100, queries: 2 } });
        expect(report.collections[0]).toMatchObject({ status: "updated", applied: [`load collection ${name}`], loaded: true });
        expect(report.collections[0].searches).toEqual([expect.objectContaining({ field: "v", indexType: "FLAT", results: 0 })]);
    });
});
