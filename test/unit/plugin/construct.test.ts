import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_NAME, SERVED_COMPONENTS } from "../../../plugin/components";
import { ComponentPackageProvider } from "../../../plugin/provider";
import { recordResources, RecordedResource, settle, valueOf } from "../../helpers/pulumiMocks";

const pluginDir = path.resolve(__dirname, "../../../plugin");

describe("the plugin's construct (what a Python, YAML or Go program calls)", () => {
    let recorded: RecordedResource[];
    beforeAll(() => {
        recorded = recordResources({ project: "milvus-gpu", stack: "dev" });
    });

    it("makes the component under the very token the schema serves it as (one scheme), with its outputs", async () => {
        const provider = new ComponentPackageProvider(pluginDir, PACKAGE_NAME, SERVED_COMPONENTS);
        const schema = JSON.parse(await provider.getSchema()) as { resources: Record<string, unknown> };
        expect(Object.keys(schema.resources)).toContain("milvus-gpu:index:DockerHost");
        const result = await provider.construct("remote", "milvus-gpu:index:DockerHost", { dataDirs: ["/data/remote"] }, {});
        await settle();
        expect(await valueOf(result.urn as pulumi.Output<string>)).toBe("urn:pulumi:dev::milvus-gpu::milvus-gpu:index:DockerHost::remote");
        expect(recorded.find((r) => r.name === "remote")?.type).toBe("milvus-gpu:index:DockerHost");
        expect(Object.keys(result.state ?? {})).toEqual(expect.arrayContaining(["uri", "report"]));
        await expect(provider.construct("x", "milvus-gpu:host:DockerHost", { dataDirs: ["/data/x"] }, {})).rejects.toThrow(/no component milvus-gpu:host:DockerHost; served: .*milvus-gpu:index:DockerHost/);
    }, 60_000);

    it("makes MilvusMonitoring from plain inputs as another language sends them, with its outputs (the password a secret)", async () => {
        const provider = new ComponentPackageProvider(pluginDir, PACKAGE_NAME, SERVED_COMPONENTS);
        const MiB = 1024 ** 2;
        const deployment = {
            namePrefix: "py",
            dataDir: "/data/py",
            restart: "unless-stopped",
            milvus: { containerName: "py-standalone", service: "standalone", memoryBytes: 8192 * MiB },
            etcd: { containerName: "py-etcd", service: "etcd", memoryBytes: 512 * MiB },
            minio: { containerName: "py-minio", service: "minio", memoryBytes: 1024 * MiB },
        };
        const inputs = { deployment, monitoring: { prometheus: { retention: "30d" } }, network: "py-net", minioAccessKey: "ak", minioSecretKey: "sk" };
        const result = await provider.construct("monitoring", "milvus-gpu:index:MilvusMonitoring", inputs, {});
        await settle();
        expect(recorded.find((r) => r.name === "monitoring")?.type).toBe("milvus-gpu:index:MilvusMonitoring");
        const state = result.state as Record<string, pulumi.Output<unknown>>;
        expect(await valueOf(state.containerNames)).toEqual(["py-node-exporter", "py-prometheus", "py-grafana"]);
        expect(await pulumi.isSecret(state.grafanaAdminPassword)).toBe(true);
        const prometheus = recorded.find((r) => r.name === "monitoring-prometheus")!;
        expect(prometheus.inputs.command).toEqual(expect.arrayContaining(["--storage.tsdb.retention.time=30d"]));
        await expect(provider.construct("bad", "milvus-gpu:index:MilvusMonitoring", { ...inputs, deployment: { ...deployment, dataDir: "relative" } }, {})).rejects.toThrow(
            /deployment\.dataDir: invalid value "relative"; expected an absolute path/,
        );
    }, 60_000);
});
