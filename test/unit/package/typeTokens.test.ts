import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { recordResources, RecordedResource, settle, valueOf } from "../../helpers/pulumiMocks";

const ROOT = path.resolve(__dirname, "../../..");

// Each component's token before issue 21: the alias that keeps stacks made then from being replaced.
// Never drop a line here while a stack made before the change may still exist.
const PREVIOUS_TOKENS: Record<string, string> = {
    MilvusStandalone: "milvus-gpu:standalone:MilvusStandalone",
    Etcd: "milvus-gpu:standalone:Etcd",
    Minio: "milvus-gpu:standalone:Minio",
    DockerHost: "milvus-gpu:host:DockerHost",
    CloreDockerHost: "milvus-gpu:host:CloreDockerHost",
    CloreNativeMilvus: "milvus-gpu:host:CloreNativeMilvus",
    MilvusSchema: "milvus-gpu:schema:MilvusSchema",
    MilvusBackup: "milvus-gpu:backup:MilvusBackup",
    MilvusCluster: "milvus-gpu:cluster:MilvusCluster",
};

/** Every `class X extends pulumi.ComponentResource` under components/, with the text of its file. */
function componentClasses(): { name: string; file: string; source: string }[] {
    const found: { name: string; file: string; source: string }[] = [];
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(p);
            else if (p.endsWith(".ts")) {
                const source = fs.readFileSync(p, "utf8");
                for (const m of source.matchAll(/class (\w+) extends pulumi\.ComponentResource\b/g)) found.push({ name: m[1], file: path.relative(ROOT, p), source });
            }
        }
    };
    walk(path.join(ROOT, "components"));
    return found;
}

/** The URNs a resource's aliases resolve to (the SDK keeps them on the resource as it registers it). */
async function aliasUrns(resource: pulumi.Resource): Promise<string[]> {
    const aliases = (resource as unknown as { __aliases?: pulumi.Input<string>[] }).__aliases ?? [];
    return Promise.all(aliases.map((a) => valueOf(pulumi.output(a))));
}

describe("type tokens: one scheme, milvus-gpu:index:<Name>, the plugin's", () => {
    it("every component under components/ registers as milvus-gpu:index:<its class name>, with its old token as an alias", () => {
        const classes = componentClasses();
        // MilvusCredentials and MilvusMonitoring came after the change: no older token to alias.
            expect(classes.map((c) => c.name).sort()).toEqual([...Object.keys(PREVIOUS_TOKENS), "MilvusCredentials", "MilvusMonitoring"].sort());
        for (const { name, file, source } of classes) {
            expect(source, file).toContain(`super("milvus-gpu:index:${name}", name,`);
            if (PREVIOUS_TOKENS[name]) expect(source, file).toContain(`{ type: "${PREVIOUS_TOKENS[name]}" }`);
        }
    });

    describe("at run time (mocked engine)", () => {
        let recorded: RecordedResource[];
        beforeAll(() => {
            recorded = recordResources({ project: "milvus-gpu", stack: "dev" });
        });

        it("a standalone deployment: the new tokens in state, each aliased to the URN it had before", async () => {
            const { MilvusStandalone } = await import("../../../components/standalone/milvusStandalone");
            const m = new MilvusStandalone("milvus", { namePrefix: "tok", dataDir: "/data/tok", dockerHost: {} });
            await valueOf(m.endpoint);
            await settle();
            const types = recorded.filter((r) => r.name === "milvus" || r.name.startsWith("milvus-")).map((r) => r.type);
            for (const t of ["milvus-gpu:index:MilvusStandalone", "milvus-gpu:index:DockerHost", "milvus-gpu:index:Etcd", "milvus-gpu:index:Minio"]) expect(types).toContain(t);
            expect(types.filter((t) => /^milvus-gpu:(standalone|host):/.test(t))).toEqual([]);

            expect(await valueOf(m.urn)).toBe("urn:pulumi:dev::milvus-gpu::milvus-gpu:index:MilvusStandalone::milvus");
            expect(await aliasUrns(m)).toContain("urn:pulumi:dev::milvus-gpu::milvus-gpu:standalone:MilvusStandalone::milvus");
            // A child's own alias names its new parent; the engine adds the parent's old type to it.
            expect(await aliasUrns(m.etcd)).toEqual([expect.stringMatching(/^urn:pulumi:dev::milvus-gpu::milvus-gpu:index:MilvusStandalone\$milvus-gpu:standalone:Etcd::/)]);
            expect(await aliasUrns(m.minio)).toEqual([expect.stringMatching(/^urn:pulumi:dev::milvus-gpu::milvus-gpu:index:MilvusStandalone\$milvus-gpu:standalone:Minio::/)]);
        });

        it("a cluster deployment: milvus-gpu:index:MilvusCluster, aliased to milvus-gpu:cluster:MilvusCluster", async () => {
            const { MilvusCluster } = await import("../../../components/cluster/milvusCluster");
            const c = new MilvusCluster("prod", { config: { namespace: "vectors" } });
            await settle();
            expect(await valueOf(c.urn)).toBe("urn:pulumi:dev::milvus-gpu::milvus-gpu:index:MilvusCluster::prod");
            expect(await aliasUrns(c)).toEqual(["urn:pulumi:dev::milvus-gpu::milvus-gpu:cluster:MilvusCluster::prod"]);
        });
    });
});
