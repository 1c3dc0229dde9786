import * as k8s from "@pulumi/kubernetes";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RELEASE_SETS } from "../../components/standalone/releases";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { advisoriesFor, IMAGE_ADVISORIES } from "../../policies/advisories";
import { evaluate } from "../../policies/engine";
import { checkStack } from "../../policies/offline/check";
import { noKnownVulnerableImages } from "../../policies/rules";
import { check, resourcesOf, schemaStep } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "fixtures");

describe("the advisory table", () => {
    it("every entry names its CVE, an affected range that is a range, the fixed tag and public sources", () => {
        expect(IMAGE_ADVISORIES.length).toBeGreaterThan(0);
        for (const a of IMAGE_ADVISORIES) {
            expect(a.id).toMatch(/^(CVE-\d{4}-\d{4,}|GHSA-[a-z0-9-]+)$/);
            const from = a.tagOrder.key(a.introduced);
            const to = a.tagOrder.key(a.fixed);
            expect(from, a.introduced).toBeDefined();
            expect(to, a.fixed).toBeDefined();
            expect(from! < to!).toBe(true);
            expect(a.sources.length).toBeGreaterThan(0);
            for (const s of a.sources) expect(s).toMatch(/^https:\/\//);
        }
    });

    it("MinIO before RELEASE.2023-03-20T20-16-18Z is CVE-2023-28432, from RELEASE.2019-12-17T23-16-33Z on", () => {
        const ids = (image: string) => advisoriesFor(image).map((a) => a.id);
        expect(ids("minio/minio:RELEASE.2023-03-13T19-46-17Z")).toEqual(["CVE-2023-28432"]);
        expect(ids("quay.io/minio/minio:RELEASE.2019-12-17T23-16-33Z")).toEqual(["CVE-2023-28432"]);
        expect(ids("docker.io/minio/minio:RELEASE.2022-10-24T18-35-07Z.fips")).toEqual(["CVE-2023-28432"]);
        expect(ids("minio/minio:RELEASE.2023-03-20T20-16-18Z")).toEqual([]);
        expect(ids("minio/minio:RELEASE.2019-12-17T23-16-32Z")).toEqual([]);
        expect(ids("minio/minio:RELEASE.2024-05-28T17-19-04Z")).toEqual([]);
        // Nothing to compare: a digest, a moving tag, another repository.
        expect(ids("minio/minio@sha256:" + "a".repeat(64))).toEqual([]);
        expect(ids("minio/minio:latest")).toEqual([]);
        expect(ids("example.com/mirror/minio:RELEASE.2023-03-13T19-46-17Z")).toEqual([]);
    });

    it("no release set this project offers by default is affected; only the seed's v2.4.0 set is", () => {
        for (const [name, set] of Object.entries(RELEASE_SETS)) {
            const hit = [set.etcdImage, set.minioImage, set.attuImage, `milvusdb/milvus:${set.milvus}`].filter((i) => advisoriesFor(i).length > 0);
            expect(hit, name).toEqual(name === "v2.4.0" ? ["minio/minio:RELEASE.2023-03-13T19-46-17Z"] : []);
        }
    });
});

describe("no-known-vulnerable-images", () => {
    it("passes the default release set", async () => {
        const rs = await resourcesOf("dev", () => new MilvusStandalone("milvus", {}));
        expect(check(rs, noKnownVulnerableImages)).toEqual([]);
    });

    it("fails the seed's MinIO as pulled and in a workload, citing the CVE and the fix", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("seed", { release: "v2.4.0" });
            new k8s.apps.v1.Deployment("minio", {
                spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "minio", image: "quay.io/minio/minio:RELEASE.2022-06-02T02-11-04Z" }] } } },
            });
        });
        const messages = check(rs, noKnownVulnerableImages).map((v) => `${v.resourceName}: ${v.message}`);
        expect(messages).toEqual(
            expect.arrayContaining([
                "seed-minio-image: the image pull uses minio/minio:RELEASE.2023-03-13T19-46-17Z, affected by CVE-2023-28432 (information disclosure: in a distributed setup an unauthenticated request returns MinIO's environment, root credentials included (the seed's RELEASE.2023-03-13T19-46-17Z is affected); tags from RELEASE.2019-12-17T23-16-33Z up to, not including, RELEASE.2023-03-20T20-16-18Z; see https://github.com/minio/minio/security/advisories/GHSA-6xvq-wj2x-3h3q)",
                expect.stringMatching(/^minio: container minio uses quay\.io\/minio\/minio:RELEASE\.2022-06-02T02-11-04Z, affected by CVE-2023-28432/),
            ]),
        );
        // The container runs the pulled image's id: reported once, on the pull.
        expect(messages.filter((m) => m.startsWith("seed-minio:"))).toEqual([]);
        expect(check(rs, noKnownVulnerableImages)[0].fix).toContain("RELEASE.2024-05-28T17-19-04Z");
    });

    it("judges chart values' image blocks", () => {
        const release = {
            type: "kubernetes:helm.sh/v3:Release",
            name: "milvus",
            urn: "urn:pulumi:dev::milvus-gpu::kubernetes:helm.sh/v3:Release::milvus",
            props: { chart: "milvus", version: "5.0.19", values: { minio: { image: { repository: "minio/minio", tag: "RELEASE.2023-03-13T19-46-17Z" } } } },
        };
        expect(evaluate([release], {}, [noKnownVulnerableImages]).map((v) => v.message)).toEqual([
            expect.stringMatching(/^an image in the chart values uses minio\/minio:RELEASE\.2023-03-13T19-46-17Z, affected by CVE-2023-28432/),
        ]);
    });

    it("the seed's image set is reproducible only with the rule advisory", async () => {
        const seedSet = await resourcesOf("dev", () => {
            const milvus = new MilvusStandalone("milvus", { release: "v2.4.0", milvus: { host: "127.0.0.1" } });
            schemaStep(milvus.endpoint);
        });
        const mandatory = evaluate(seedSet).filter((v) => v.level === "mandatory");
        expect(mandatory.map((v) => v.rule)).toEqual(["no-known-vulnerable-images"]);
        const relaxed = evaluate(seedSet, { "no-known-vulnerable-images": "advisory" });
        expect(relaxed.filter((v) => v.level === "mandatory")).toEqual([]);
        expect(relaxed.map((v) => [v.rule, v.level])).toEqual([["no-known-vulnerable-images", "advisory"]]);

        // The same through a stack file, offline and as `npm run policy` runs it.
        const file = await checkStack("seed-release", { root: FIXTURES });
        expect(file.violations.filter((v) => v.level === "mandatory").map((v) => v.rule)).toEqual(["no-known-vulnerable-images"]);
        const run = (...args: string[]) =>
            spawnSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(ROOT, "scripts", "policy.ts"), "--stack", "seed-release", "--dir", FIXTURES, ...args], {
                cwd: ROOT,
                encoding: "utf8",
            });
        const strict = run();
        expect(strict.status).toBe(1);
        expect(strict.stdout).toContain("[mandatory] no-known-vulnerable-images: milvus-minio-image");
        const advisory = run("--config", path.join(FIXTURES, "seed-release-policy.json"));
        expect(advisory.stdout).toContain("[advisory] no-known-vulnerable-images");
        // The seed also hands applications only the root token (advisory least-privilege-app-tokens).
        expect(advisory.stdout).toContain("[advisory] least-privilege-app-tokens");
        expect(advisory.stdout).toContain("0 mandatory and 2 advisory");
        expect(advisory.status).toBe(0);
    });
});
