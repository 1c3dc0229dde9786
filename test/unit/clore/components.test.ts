import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cloreOrderProvider, CloreOrderInputs } from "../../../components/clore/orderProvider";
import { FakeCloreApi } from "../../fakes/cloreApi";
import { ofType, plainText, RecordedResource, recordResources, settle, unwrapSecrets, valueOf, wrapSecret } from "../../helpers/pulumiMocks";

const ORDER_TYPE = "pulumi-nodejs:dynamic/clore:CloreOrder";
let fake: FakeCloreApi;
let recorded: RecordedResource[];
/** additionalSecretOutputs the SDK sends for each resource, seen through a transformation. */
const secretOutputsByName = new Map<string, string[]>();

const captureOpts: pulumi.ResourceTransformation = (args) => {
    secretOutputsByName.set(args.name, [...((args.opts as pulumi.CustomResourceOptions).additionalSecretOutputs ?? [])]);
    return undefined;
};

beforeAll(async () => {
    fake = await new FakeCloreApi({ apiKey: `component-key-${Date.now()}` }).start();
    // The CloreOrder mock runs the real provider against the local fake, so the
    // components' outputs come from what the API answered.
    recorded = recordResources({
        stack: "staging",
        create: async (type, name, rawInputs) => {
            if (type !== ORDER_TYPE) return undefined;
            const { __provider, ...inputs } = unwrapSecrets(rawInputs) as CloreOrderInputs & { __provider: string };
            const result = await cloreOrderProvider.create(inputs);
            // Like the engine: outputs named in additionalSecretOutputs are stored as secrets.
            const state: Record<string, unknown> = { ...result.outs, __provider };
            for (const k of secretOutputsByName.get(name) ?? []) {
                if (state[k] !== undefined) state[k] = wrapSecret(state[k]);
            }
            return { id: result.id, state };
        },
    });
});
afterAll(async () => {
    await fake.stop();
});
beforeEach(() => {
    recorded.length = 0;
});

const api = () => ({ baseUrl: fake.url, minSpacingMs: 0, createOrderSpacingMs: 0, backoffMs: 5, timeoutMs: 2000 });

describe("CloreDockerHost", () => {
    it("rents an SSH + Docker host and gives the ssh:// Docker address; MilvusStandalone deploys to it", async () => {
        const { CloreDockerHost } = await import("../../../components/clore/cloreDockerHost");
        const { DockerHost } = await import("../../../components/host/dockerHost");
        const { MilvusStandalone } = await import("../../../components/standalone/milvusStandalone");
        const host = new CloreDockerHost(
            "staging",
            {
                apiKey: pulumi.secret(fake.apiKey),
                api: api(),
                filters: { gpuModel: "RTX 4090", minRamGb: 32 },
                image: "registry.example.com/ops/ssh-docker-nvidia:1.0",
                sshPublicKey: "ssh-ed25519 AAAAC3NzaTest ops@laptop",
                pollIntervalSeconds: 0.02,
                readyTimeoutSeconds: 2,
            },
            { transformations: [captureOpts] },
        );
        expect(await valueOf(host.dockerHostUri)).toBe("ssh://root@n1.fake-clore.test:20001");
        expect(await valueOf(host.sshHost)).toBe("n1.fake-clore.test");
        expect(await valueOf(host.sshPort)).toBe(20001);
        expect(await valueOf(host.publicPorts)).toEqual({ "22": 20001, "9091": 20002, "19530": 20003 });
        expect(await valueOf(host.gpu)).toBe("1x NVIDIA GeForce RTX 4090");
        // Milvus deployed on the host is reached through Clore's public mapping, not 19530 itself.
        expect(await valueOf(host.milvusAddress!)).toBe("n1.fake-clore.test:20003");
        expect(await valueOf(host.milvusHealthUrl!)).toBe("http://n1.fake-clore.test:20002/healthz");

        const orderId = await valueOf(host.order.orderId);
        expect(fake.orderRequest(orderId)).toMatchObject({
            image: "registry.example.com/ops/ssh-docker-nvidia:1.0",
            ports: { "22": "tcp", "19530": "tcp", "9091": "tcp" },
            env: { NVIDIA_VISIBLE_DEVICES: "all", NVIDIA_DRIVER_CAPABILITIES: "compute,utility" },
            ssh_key: "ssh-ed25519 AAAAC3NzaTest ops@laptop",
        });

        // The lead's Docker host and standalone deployment take the rented server as their target.
        const docker = new DockerHost("staging-docker", { ssh: { address: host.sshHost, port: host.sshPort }, dataDirs: ["/opt/milvus/milvus"], gpu: true });
        const milvus = new MilvusStandalone(
            "staging",
            { dataDir: "/opt/milvus", milvus: { gpu: true, host: "0.0.0.0" }, publicHost: host.sshHost },
            { provider: docker.provider, dependsOn: [docker] },
        );
        expect(await valueOf(docker.uri)).toBe("ssh://root@n1.fake-clore.test:20001");
        await valueOf(milvus.endpoint);
        await settle();
        const provider = recorded.find((r) => r.type === "pulumi:providers:docker" && r.name === "staging-docker-docker")!;
        expect(provider.inputs.host).toBe("ssh://root@n1.fake-clore.test:20001");
        expect(ofType(recorded, "command:remote:Command")[0].inputs.connection).toMatchObject({ host: "n1.fake-clore.test", port: 20001 });
    });

    it("keeps the API key a secret: secret input, secret output, nowhere in clear", async () => {
        const { CloreDockerHost } = await import("../../../components/clore/cloreDockerHost");
        const host = new CloreDockerHost(
            "secretive",
            {
                apiKey: fake.apiKey, // even given as a plain string
                api: api(),
                image: "registry.example.com/ops/ssh-docker-nvidia:1.0",
                sshPublicKey: "ssh-ed25519 AAAAC3NzaTest ops@laptop",
                pollIntervalSeconds: 0.02,
            },
            { transformations: [captureOpts] },
        );
        await valueOf(host.dockerHostUri);
        await settle();
        const order = recorded.find((r) => r.type === ORDER_TYPE && r.name === "secretive-order")!;
        expect(order.secretInputs).toContain("apiKey");
        expect(secretOutputsByName.get("secretive-order")).toEqual(["apiKey", "sshPassword"]);
        expect(await pulumi.isSecret(host.order.apiKey)).toBe(true);
        expect(await pulumi.isSecret(host.dockerHostUri)).toBe(false);
        for (const r of recorded) expect(plainText(r.rawInputs)).not.toContain(fake.apiKey);
        // The serialized provider stored in state does not hold the key either.
        expect(String(order.inputs.__provider)).not.toContain(fake.apiKey);
    });
});

describe("CloreDockerHost with Milvus on other ports", () => {
    it("maps the ports Milvus is published on and gives their public addresses", async () => {
        const { CloreDockerHost } = await import("../../../components/clore/cloreDockerHost");
        const host = new CloreDockerHost(
            "otherports",
            {
                apiKey: pulumi.secret(fake.apiKey),
                api: api(),
                image: "registry.example.com/ops/ssh-docker-nvidia:1.0",
                sshPublicKey: "ssh-ed25519 AAAAC3NzaTest ops@laptop",
                milvusPorts: { grpc: 29530, http: 29091 },
                pollIntervalSeconds: 0.02,
                readyTimeoutSeconds: 2,
            },
            { transformations: [captureOpts] },
        );
        const ports = await valueOf(host.publicPorts);
        expect(Object.keys(ports).sort()).toEqual(["22", "29091", "29530"]);
        const sshHost = await valueOf(host.sshHost);
        expect(await valueOf(host.milvusAddress!)).toBe(`${sshHost}:${ports["29530"]}`);
        expect(await valueOf(host.milvusHealthUrl!)).toBe(`http://${sshHost}:${ports["29091"]}/healthz`);
    });
});

describe("dockerHostPorts", () => {
    it("always maps SSH, then the requested ports, and rejects non-ports", async () => {
        const { dockerHostPorts } = await import("../../../components/clore/cloreDockerHost");
        expect(dockerHostPorts()).toEqual({ "22": "tcp", "19530": "tcp", "9091": "tcp" });
        expect(dockerHostPorts([8080])).toEqual({ "22": "tcp", "8080": "tcp" });
        expect(() => dockerHostPorts([70000])).toThrow("CloreDockerHost: port 70000 is not a TCP port (1-65535)");
    });
});

describe("CloreNativeMilvus", () => {
    it("runs the Milvus GPU image with embedded etcd and local storage, and exposes the mapped endpoints", async () => {
        const { CloreNativeMilvus } = await import("../../../components/clore/cloreNativeMilvus");
        const milvus = new CloreNativeMilvus(
            "native",
            {
                apiKey: pulumi.secret(fake.apiKey),
                api: api(),
                filters: { gpuModel: "A100" },
                version: "v2.6.16",
                pollIntervalSeconds: 0.02,
            },
            { transformations: [captureOpts] },
        );
        const address = await valueOf(milvus.address);
        const healthUrl = await valueOf(milvus.healthUrl);
        const orderId = await valueOf(milvus.order.orderId);
        const placed = fake.orderRequest(orderId)!;
        expect(placed.renting_server).toBe(106);
        expect(placed).toMatchObject({
            image: "milvusdb/milvus:v2.6.16-gpu",
            command: "milvus run standalone",
            ports: { "19530": "tcp", "9091": "tcp" },
            env: {
                ETCD_USE_EMBED: "true",
                ETCD_DATA_DIR: "/var/lib/milvus/etcd",
                COMMON_STORAGETYPE: "local",
                COMMON_SECURITY_AUTHORIZATIONENABLED: "true",
                COMMON_SECURITY_DEFAULTROOTPASSWORD: "generated-native-root-password",
                NVIDIA_VISIBLE_DEVICES: "all",
            },
        });
        const ports = await valueOf(milvus.order.publicPorts);
        expect(address).toBe(`n1.fake-clore.test:${ports["19530"]}`);
        expect(healthUrl).toBe(`http://n1.fake-clore.test:${ports["9091"]}/healthz`);
        expect(await pulumi.isSecret(milvus.rootPassword)).toBe(true);
        expect(await pulumi.isSecret(milvus.token)).toBe(true);
        // The endpoint contract: the order's Milvus serves plaintext gRPC.
        expect(await valueOf(milvus.tls)).toEqual({ enabled: false });
        await settle();
        // The env holds the root password, so the whole env goes to the engine as a secret.
        const order = recorded.find((r) => r.type === ORDER_TYPE && r.name === "native-order")!;
        expect(order.secretInputs).toEqual(expect.arrayContaining(["apiKey", "env"]));
        for (const r of recorded) expect(plainText(r.rawInputs)).not.toContain("generated-native-root-password");
    });

    it("rejects a version that is not a release tag", async () => {
        const { nativeMilvusOrderSpec } = await import("../../../components/clore/nativeOrderSpec");
        expect(() => nativeMilvusOrderSpec("latest")).toThrow('CloreNativeMilvus: version "latest" is not a Milvus release tag such as "v3.0.2"');
        expect(nativeMilvusOrderSpec().image).toBe("milvusdb/milvus:v3.0.2-gpu");
    });
});

describe("Clore.ai components refuse bad input before registering anything", () => {
    it("CloreNativeMilvus with a version that is not a release tag, and CloreDockerHost with a port out of range", async () => {
        const { collectResources } = await import("../../../policies/offline/collector");
        const { CloreNativeMilvus } = await import("../../../components/clore/cloreNativeMilvus");
        const { CloreDockerHost } = await import("../../../components/clore/cloreDockerHost");
        const { resources } = await collectResources(
            () => {
                expect(() => new CloreNativeMilvus("bad", { apiKey: "k", version: "latest" })).toThrow('version "latest" is not a Milvus release tag');
                expect(() => new CloreDockerHost("bad", { apiKey: "k", image: "img:1", sshPublicKey: "ssh-ed25519 AAAA", ports: [70000] })).toThrow("port 70000 is not a TCP port");
                return {};
            },
            { project: "milvus-gpu", stack: "staging" },
        );
        expect(resources).toEqual([]);
    });
});
