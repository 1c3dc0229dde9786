import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { dockerHostUri, parseDockerHostSettings } from "../../../components/host/hostConfig";
import { hostPreparationScript } from "../../../components/host/hostPreparation";
import { ofType, recordResources, RecordedResource, settle, valueOf } from "../../helpers/pulumiMocks";

describe("host config", () => {
    it("defaults to the local Docker daemon", () => {
        expect(parseDockerHostSettings(undefined)).toEqual({ type: "local" });
        expect(dockerHostUri({ type: "local" })).toBeUndefined();
    });

    it("reads an SSH host and builds the ssh:// Docker address", () => {
        const h = parseDockerHostSettings({ type: "ssh", address: "gpu1.example.net", port: "2222" });
        expect(h).toEqual({ type: "ssh", address: "gpu1.example.net", user: "root", port: 2222, sshOpts: [] });
        expect(dockerHostUri(h)).toBe("ssh://root@gpu1.example.net:2222");
        expect(dockerHostUri(parseDockerHostSettings({ type: "ssh", address: "2001:db8::7", user: "ops" }))).toBe("ssh://ops@[2001:db8::7]:22");
    });

    it("rejects a bad port with the field name", () => {
        expect(() => parseDockerHostSettings({ type: "ssh", address: "h", port: 70000 })).toThrowError(/host\.port: invalid value 70000; expected a TCP port from 1 to 65535/);
    });
});

describe("host preparation script", () => {
    it("creates the data directories and checks Docker", () => {
        const script = hostPreparationScript({ dataDirs: ["/opt/milvus/etcd", "/opt/milvus/minio"], gpu: false });
        expect(script).toContain("mkdir -p '/opt/milvus/etcd' '/opt/milvus/minio'");
        expect(script).toContain("docker info");
        expect(script).not.toContain("nvidia-smi");
    });

    it("checks the NVIDIA driver and container toolkit only when a GPU is requested", () => {
        const script = hostPreparationScript({ dataDirs: ["/opt/milvus/milvus"], gpu: true });
        expect(script).toMatch(/command -v nvidia-smi .*nvidia-smi is missing: install the NVIDIA driver/);
        expect(script).toMatch(/nvidia-container-cli.*NVIDIA container toolkit is missing/);
    });
});

describe("DockerHost (mocked engine)", () => {
    let recorded: RecordedResource[];
    let mod: typeof import("../../../components/host/dockerHost");
    beforeAll(async () => {
        recorded = recordResources();
        mod = await import("../../../components/host/dockerHost");
    });

    it("prepares a remote host over SSH with a secret key, then points Docker at it", async () => {
        const host = new mod.DockerHost("gpu", {
            ssh: { address: "203.0.113.7", port: 10022, privateKey: "PEM-KEY", sshOpts: ["-o", "StrictHostKeyChecking=accept-new"] },
            dataDirs: ["/opt/milvus/milvus"],
            gpu: true,
        });
        expect(await valueOf(host.uri)).toBe("ssh://root@203.0.113.7:10022");
        await valueOf(host.report);
        await settle();
        const [prep] = ofType(recorded, "command:remote:Command");
        expect(prep.inputs.connection).toMatchObject({ host: "203.0.113.7", port: 10022, user: "root" });
        expect(prep.secretInputs).toContain("connection");
        expect(prep.inputs.create).toContain("nvidia-smi");
        const provider = recorded.find((r) => r.type === "pulumi:providers:docker" && r.name === "gpu-docker")!;
        expect(provider.inputs.host).toBe("ssh://root@203.0.113.7:10022");
        expect(JSON.parse(provider.inputs.sshOpts)).toEqual(["-o", "StrictHostKeyChecking=accept-new"]);
    });

    it("prepares the local daemon with a local command", async () => {
        const host = new mod.DockerHost("dev", { dataDirs: ["/tmp/m/etcd"], gpu: false });
        expect(await valueOf(host.uri as pulumi.Output<string | undefined>)).toBeUndefined();
        await valueOf(host.report);
        await settle();
        const [prep] = ofType(recorded, "command:local:Command");
        expect(prep.inputs.create).toContain("mkdir -p '/tmp/m/etcd'");
    });
});

describe("DockerHost over SSH to an IPv6 host (mocked engine)", () => {
    it("brackets the address in the Docker URI", async () => {
        recordResources();
        const { DockerHost } = await import("../../../components/host/dockerHost");
        const host = new DockerHost("v6", { ssh: { address: "2001:db8::9" }, dataDirs: ["/opt/milvus/etcd"], gpu: false });
        expect(await valueOf(host.uri)).toBe("ssh://root@[2001:db8::9]:22");
    });
});
