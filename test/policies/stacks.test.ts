import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { formatViolation } from "../../policies/engine";
import { checkStack, PROJECT_ROOT } from "../../policies/offline/check";

const FIXTURES = path.join(__dirname, "fixtures");
const committedStacks = fs
    .readdirSync(PROJECT_ROOT)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined);

describe("the committed example stacks", () => {
    it("include dev, staging and production", () => {
        expect(committedStacks).toEqual(expect.arrayContaining(["dev", "staging", "production"]));
    });

    for (const stack of committedStacks) {
        it(`${stack} passes with zero mandatory violations`, async () => {
            const result = await checkStack(stack);
            expect(result.resources.length).toBeGreaterThan(3);
            expect(result.violations.filter((v) => v.level === "mandatory").map(formatViolation)).toEqual([]);
        });
    }

    it("production runs the chart in cluster mode with GPU query nodes and the schema step", async () => {
        const { resources } = await checkStack("production");
        const release = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release");
        const values = release?.props.values as Record<string, any>;
        expect(values.cluster.enabled).toBe(true);
        expect(values.queryNode.replicas).toBeGreaterThanOrEqual(2);
        expect(values.queryNode.resources.limits["nvidia.com/gpu"]).toBeGreaterThan(0);
        // The chart pinned there (5.0.19) was made for Milvus 2.6: its newest patch, GPU build.
        expect(release?.props.version).toBe("5.0.19");
        expect(values.image.all.tag).toMatch(/^v2\.6\.\d+-gpu$/);
        expect(resources.some((r) => r.type === "milvus-gpu:index:MilvusSchema")).toBe(true);
    });
});

describe("a stack configured like the seed", () => {
    it("stops before any resource on the seed's GPU index with the plain image (the schema step would fail halfway)", async () => {
        await expect(checkStack("seed", { root: FIXTURES })).rejects.toThrow(
            /^Pulumi\.seed\.yaml:\d+:\d+: schema\.collections\[0\]\.indexes\.embedding\.type: invalid value "GPU_IVF_FLAT"; expected a CPU index type .* unless milvus\.gpu is set/,
        );
    });

    it("with the GPU image, fails exactly the rules the seed breaks, each named on the resource at fault", async () => {
        // The seed's file with the GPU build it needs: what is left is what the policy pack is for.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seed-gpu-"));
        const seed = fs.readFileSync(path.join(FIXTURES, "Pulumi.seed.yaml"), "utf8");
        fs.writeFileSync(path.join(dir, "Pulumi.seed.yaml"), seed.replace("  milvus-gpu:milvus:\n    memory: 16g\n", "  milvus-gpu:milvus:\n    memory: 16g\n    gpu: true\n"));
        const { violations } = await checkStack("seed", { root: dir });
        const byRule = (rule: string) => violations.filter((v) => v.rule === rule).map((v) => `${v.resourceName}: ${v.message}`);
        expect([...new Set(violations.map((v) => v.rule))].sort()).toEqual([
            "least-privilege-app-tokens",
            "milvus-tls-when-public",
            "no-default-credentials",
            "no-known-vulnerable-images",
            "private-etcd-minio-ports",
        ]);
        // gRPC on every interface without TLS, and every app on the root token, are advisory; everything else the seed does is mandatory.
        expect(violations.filter((v) => v.level === "advisory").map((v) => v.rule).sort()).toEqual(["least-privilege-app-tokens", "milvus-tls-when-public"]);

        expect(byRule("no-default-credentials")).toEqual(
            expect.arrayContaining([
                'milvus-minio: container milvus-minio sets MINIO_ACCESS_KEY to the well-known default "minioadmin"',
                'milvus-minio: container milvus-minio sets MINIO_SECRET_KEY to the well-known default "minioadmin"',
                "Pulumi.seed.yaml: milvus-gpu:minioAccessKey is stored in plain text in Pulumi.seed.yaml",
                "Pulumi.seed.yaml: milvus-gpu:minioSecretKey is stored in plain text in Pulumi.seed.yaml",
            ]),
        );
        expect(byRule("no-known-vulnerable-images")).toEqual([
            expect.stringMatching(/^milvus-minio-image: the image pull uses minio\/minio:RELEASE\.2023-03-13T19-46-17Z, affected by CVE-2023-28432 /),
        ]);
        expect(byRule("private-etcd-minio-ports").sort()).toEqual([
            "milvus-minio: container milvus-minio publishes MinIO port 9000 on 0.0.0.0:9000",
            "milvus-minio: container milvus-minio publishes MinIO port 9001 on 0.0.0.0:9001",
        ]);
    });
});
