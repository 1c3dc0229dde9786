import * as docker from "@pulumi/docker";
import { describe, expect, it } from "vitest";
import { MilvusCluster } from "../../components/cluster/milvusCluster";
import { CloreNativeMilvus } from "../../components/clore/cloreNativeMilvus";
import { MilvusStandalone } from "../../components/standalone/milvusStandalone";
import { noDefaultCredentials } from "../../policies/rules";
import { check, resourcesOf } from "./helpers";

describe("no-default-credentials", () => {
    it("passes generated credentials on standalone, cluster and a native Clore.ai order", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("milvus", {});
            new MilvusCluster("cluster", { config: {} });
            new CloreNativeMilvus("clore", { apiKey: "k" });
        });
        expect(check(rs, noDefaultCredentials)).toEqual([]);
    });

    it("fails MinIO keys set to minioadmin and a root password of Milvus", async () => {
        const rs = await resourcesOf("dev", () => {
            new MilvusStandalone("milvus", { credentials: { minioAccessKey: "minioadmin", minioSecretKey: "minioadmin", rootPassword: "Milvus" } });
            new MilvusCluster("cluster", { config: {}, minioAccessKey: "minioadmin" });
        });
        const messages = check(rs, noDefaultCredentials).map((v) => `${v.resourceName}: ${v.message}`);
        expect(messages).toEqual(
            expect.arrayContaining([
                'milvus-minio: container milvus-minio sets MINIO_ACCESS_KEY to the well-known default "minioadmin"',
                'milvus-minio: container milvus-minio sets MINIO_SECRET_KEY to the well-known default "minioadmin"',
                'milvus-standalone: container milvus-standalone sets MINIO_ACCESS_KEY_ID to the well-known default "minioadmin"',
                'milvus-standalone: container milvus-standalone sets the Milvus root password to the default "Milvus"',
                'cluster-release: chart value minio.accessKey is the default "minioadmin"',
            ]),
        );
    });

    it("fails MinIO without keys (its built-in minioadmin) and credentials outside Pulumi secrets", async () => {
        const rs = await resourcesOf("dev", () => {
            new docker.Container("bare-minio", { name: "minio", image: "minio/minio:RELEASE.2024-05-28T17-19-04Z", command: ["minio", "server", "/data"] });
            new docker.Container("plain-milvus", {
                name: "milvus",
                image: "milvusdb/milvus:v3.0.2",
                envs: ["MINIO_ACCESS_KEY_ID=k3y", "MINIO_SECRET_ACCESS_KEY=s3cret-in-plain-text", "COMMON_SECURITY_AUTHORIZATIONENABLED=true", "COMMON_SECURITY_DEFAULTROOTPASSWORD=p4ss"],
            });
        });
        const messages = check(rs, noDefaultCredentials).map((v) => `${v.resourceName}: ${v.message}`);
        expect(messages).toEqual([
            "bare-minio: container minio sets no MinIO keys, so MinIO runs with minioadmin/minioadmin",
            "plain-milvus: MINIO_ACCESS_KEY_ID, MINIO_SECRET_ACCESS_KEY, COMMON_SECURITY_DEFAULTROOTPASSWORD are stored in plain text (envs is not a Pulumi secret)",
        ]);
    });
});
