import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { isSecretOutput, ofType, recordResources, RecordedResource, settle, valueOf } from "../../helpers/pulumiMocks";

const CONTAINER = "docker:index/container:Container";
let recorded: RecordedResource[];
let mod: typeof import("../../../components/standalone/milvusStandalone");

beforeAll(async () => {
    recorded = recordResources();
    mod = await import("../../../components/standalone/milvusStandalone");
});

function containers(prefix: string): Record<string, Record<string, any>> {
    return Object.fromEntries(
        ofType(recorded, CONTAINER)
            .filter((c) => c.inputs.name.startsWith(`${prefix}-`))
            .map((c) => [c.inputs.name.slice(prefix.length + 1), c.inputs]),
    );
}

describe("MilvusStandalone on Docker (mocked engine)", () => {
    it("without a GPU: three containers, no device request, plain image", async () => {
        const m = new mod.MilvusStandalone("cpu", { namePrefix: "cpu", dataDir: "/data/m" });
        await valueOf(m.endpoint);
        await settle();
        const c = containers("cpu");
        expect(Object.keys(c).sort()).toEqual(["etcd", "minio", "standalone"]);
        for (const input of Object.values(c)) expect(input.gpus).toBeUndefined();
        const images = ofType(recorded, "docker:index/remoteImage:RemoteImage").map((r) => r.inputs.name);
        expect(images).toContain("milvusdb/milvus:v3.0.2");
        expect(c.standalone.image).toBe("sha256:cpu-standalone-image");
    });

    it("with GPUs: the device request and the -gpu image on Milvus only", async () => {
        const m = new mod.MilvusStandalone("gpu", { namePrefix: "gpu", milvus: { gpu: [0, 1] } });
        await valueOf(m.endpoint);
        await settle();
        const c = containers("gpu");
        expect(c.standalone.gpus).toBe("device=0,1");
        expect(c.etcd.gpus).toBeUndefined();
        expect(c.minio.gpus).toBeUndefined();
        const images = ofType(recorded, "docker:index/remoteImage:RemoteImage").filter((r) => r.name.startsWith("gpu-"));
        expect(images.map((r) => r.inputs.name)).toContain("milvusdb/milvus:v3.0.2-gpu");
    });

    it("passes healthchecks, memory limits, volumes, ports and waits for health", async () => {
        const m = new mod.MilvusStandalone("shape", { namePrefix: "shape", dataDir: "/data/m", milvus: { memory: "8g" } });
        await valueOf(m.endpoint);
        await settle();
        const c = containers("shape");
        expect(c.standalone.healthcheck).toEqual({
            tests: ["CMD", "curl", "-f", "http://localhost:9091/healthz"],
            interval: "30s",
            timeout: "20s",
            retries: 3,
            // Go's notation, as the provider reads it back after a refresh (not "90s").
            startPeriod: "1m30s",
        });
        expect(c.etcd.healthcheck.tests).toEqual(["CMD", "etcdctl", "endpoint", "health"]);
        expect(c.standalone.memory).toBe(8192);
        expect(c.etcd.memory).toBe(2048);
        expect(c.minio.memory).toBe(4096);
        expect(c.standalone.volumes).toEqual([{ hostPath: "/data/m/milvus", containerPath: "/var/lib/milvus" }]);
        expect(c.standalone.ports).toEqual([
            { internal: 19530, external: 19530, ip: "0.0.0.0" },
            // 9091 (metrics, pprof, WebUI, no auth) is not where gRPC is: loopback unless milvus.httpHost says otherwise.
            { internal: 9091, external: 9091, ip: "127.0.0.1" },
        ]);
        expect(c.etcd.ports ?? []).toEqual([]);
        expect(c.minio.ports ?? []).toEqual([]);
        for (const input of Object.values(c)) {
            expect(input.wait).toBe(true);
            expect(input.restart).toBe("unless-stopped");
            expect(input.removeVolumes).toBe(false);
        }
        expect(c.standalone.securityOpts).toEqual(["seccomp:unconfined"]);
        expect(c.standalone.networksAdvanced[0].aliases).toEqual(["standalone"]);
    });

    it("generates credentials, keeps them secret, and never uses the defaults", async () => {
        const m = new mod.MilvusStandalone("sec", { namePrefix: "sec" });
        await valueOf(m.endpoint);
        await settle();
        const c = containers("sec");
        const minioEnv: string[] = c.minio.envs;
        const milvusEnv: string[] = c.standalone.envs;
        expect(minioEnv).toContain("MINIO_SECRET_KEY=generated-sec-credentials-minio-secret-key");
        expect(milvusEnv).toContain("MINIO_SECRET_ACCESS_KEY=generated-sec-credentials-minio-secret-key");
        expect(milvusEnv).toContain("COMMON_SECURITY_DEFAULTROOTPASSWORD=generated-sec-credentials-root-password");
        expect(JSON.stringify([minioEnv, milvusEnv])).not.toMatch(/minioadmin|=Milvus\b/);
        const secretInputs = (n: string) => ofType(recorded, CONTAINER).find((r) => r.inputs.name === `sec-${n}`)!.secretInputs;
        expect(secretInputs("minio")).toEqual(["envs"]);
        expect(secretInputs("standalone")).toEqual(["envs"]);
        expect(await isSecretOutput(m.rootPassword)).toBe(true);
        expect(await isSecretOutput(m.token)).toBe(true);
        expect(await isSecretOutput(m.credentials.minioSecretKey)).toBe(true);
        expect(await isSecretOutput(m.container.envs as pulumi.Output<unknown>)).toBe(true);
        expect(await valueOf(m.endpoint)).toBe("localhost:19530");
    });

    it("uses credentials the caller brings", async () => {
        const m = new mod.MilvusStandalone("own", {
            namePrefix: "own",
            credentials: { rootPassword: pulumi.secret("pw-from-config") },
        });
        expect(await valueOf(m.token)).toBe("root:pw-from-config");
    });

    it("rejects bad arguments before creating anything", () => {
        const before = recorded.length;
        expect(() => new mod.MilvusStandalone("bad", { milvus: { memory: "big" } })).toThrowError(/milvus\.memory: invalid value "big"/);
        expect(recorded.length).toBe(before);
    });
});

describe("MilvusStandalone given its DockerHost (mocked engine)", () => {
    it("deploys through the host's provider, gates on health there and takes its credentials from the record", async () => {
        const { DockerHost } = await import("../../../components/host/dockerHost");
        const host = new DockerHost("gated-host", { dataDirs: ["/data/g/etcd"], gpu: false });
        const viaHost = new mod.MilvusStandalone("gated2", { namePrefix: "gated2", dataDir: "/data/g2", credentials: { rootPassword: "given-pw" } }, { host });
        expect(await valueOf(viaHost.token)).toBe("root:given-pw");
        await settle();
        const providerUrn = await valueOf(host.provider.urn);
        const gated = ofType(recorded, CONTAINER).filter((c) => c.inputs.name.startsWith("gated2-"));
        expect(gated).toHaveLength(3);
        for (const c of gated) {
            expect(c.provider?.startsWith(`${providerUrn}::`), c.name).toBe(true);
            expect(c.inputs.wait, c.name).toBe(false);
        }
        const gates = ofType(recorded, "command:local:Command").filter((c) => c.name.startsWith("gated2-") && c.name.endsWith("-healthy"));
        expect(gates.map((g) => g.name).sort()).toEqual(["gated2-etcd-healthy", "gated2-minio-healthy", "gated2-standalone-healthy"]);
        const record = ofType(recorded, "command:local:Command").find((c) => c.name === "gated2-credentials-record")!;
        expect(record.secretInputs).toContain("stdin");
        expect(String(record.inputs.create)).toContain("/data/g2/.milvus-gpu/credentials");
    });

    it("makes its own DockerHost from the plain dockerHost arg (other languages): data directories prepared, provider, gates and the credential record", async () => {
        const own = new mod.MilvusStandalone("plainhost", { namePrefix: "plainhost", dataDir: "/data/ph", dockerHost: {} });
        await settle();
        const host = recorded.find((r) => r.type === "milvus-gpu:index:DockerHost" && r.name === "plainhost-host");
        expect(host).toBeDefined();
        const prep = ofType(recorded, "command:local:Command").find((c) => c.name === "plainhost-host-prepare");
        expect(String(prep?.inputs.create)).toContain("/data/ph/etcd");
        expect(String(prep?.inputs.create)).toContain("/data/ph/milvus");
        const ours = ofType(recorded, CONTAINER).filter((c) => c.inputs.name.startsWith("plainhost-"));
        expect(ours).toHaveLength(3);
        const providers = new Set(ours.map((c) => c.provider?.split("::").slice(0, -1).join("::")));
        expect(providers.size).toBe(1);
        expect([...providers][0]).toMatch(/pulumi:providers:docker::plainhost-host/);
        expect(ofType(recorded, "command:local:Command").some((c) => c.name === "plainhost-credentials-record")).toBe(true);
        expect(ofType(recorded, "command:local:Command").some((c) => c.name === "plainhost-standalone-healthy")).toBe(true);
        expect(await valueOf(own.endpoint)).toBe("localhost:19530");
    });

    it("refuses a Docker host given both ways", async () => {
        const { DockerHost } = await import("../../../components/host/dockerHost");
        const host = new DockerHost("both-host", { dataDirs: ["/data/b/etcd"], gpu: false });
        expect(() => new mod.MilvusStandalone("both", { dockerHost: {} }, { host })).toThrow(/args\.dockerHost or as options\.host, not both/);
    });
});
