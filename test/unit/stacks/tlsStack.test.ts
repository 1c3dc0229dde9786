import { describe, expect, it } from "vitest";
import { placeholderTlsPair } from "../../../policies/offline/placeholderTls";
import { ofType, recordResources, settle, valueOf } from "../../helpers/pulumiMocks";
import { engineConfigFor } from "../../helpers/stackConfig";

const SCHEMA_STEP = "pulumi-nodejs:dynamic/milvus-gpu:SchemaDeployment";
const CONTAINER = "docker:index/container:Container";
const FAKE_CERT = "-----BEGIN CERTIFICATE-----\nMIIB-as-read-back-from-the-host\n-----END CERTIFICATE-----\n";

describe("the program with milvus.tls (mocked engine)", () => {
    it("generated: the certificate is made on the Docker host before Milvus starts and the schema step trusts exactly it", async () => {
        const recorded = recordResources({
            stack: "dev",
            config: engineConfigFor("dev", { "milvus-gpu:milvus": { memory: "4g", host: "0.0.0.0", tls: { mode: "one-way" } } }),
            computed: (type, name) => (type === "command:local:Command" && name === "milvus-tls" ? { stdout: FAKE_CERT } : undefined),
        });
        const { runStack } = await import("../../../stacks");
        const outputs = runStack() as Record<string, any>;
        expect(await valueOf(outputs.tlsCertificate)).toBe(FAKE_CERT);
        expect(await valueOf(outputs.tlsServerName)).toBe("localhost");
        await settle();
        const step = ofType(recorded, "command:local:Command").find((c) => c.name === "milvus-tls")!;
        expect(String(step.inputs.create)).toContain("/tmp/milvus-gpu-dev/.milvus-gpu/tls");
        expect(step.inputs.stdin).toBeUndefined();
        const milvus = ofType(recorded, CONTAINER).find((c) => c.inputs.name === "milvus-standalone")!;
        expect(milvus.inputs.envs).toContain("COMMON_SECURITY_TLSMODE=1");
        expect(milvus.inputs.volumes).toContainEqual({ hostPath: "/tmp/milvus-gpu-dev/.milvus-gpu/tls", containerPath: "/milvus/tls", readOnly: true });
        const [schema] = ofType(recorded, SCHEMA_STEP);
        expect(schema.inputs).toMatchObject({ tls: true, tlsCaPem: FAKE_CERT, tlsServerName: "localhost" });
    });

    it("config: the pair from the secret keys goes to the host on stdin (a secret), is checked first, and names the server itself", async () => {
        const pair = placeholderTlsPair("milvus.example.com");
        const recorded = recordResources({
            stack: "dev",
            config: engineConfigFor("dev", {
                "milvus-gpu:milvus": { memory: "4g", tls: { mode: "one-way", certificate: "config" } },
                "milvus-gpu:milvusTlsCert": pair.cert,
                "milvus-gpu:milvusTlsKey": pair.key,
            }),
            secretKeys: ["milvus-gpu:milvusTlsCert", "milvus-gpu:milvusTlsKey"],
            computed: (type, name) => (type === "command:local:Command" && name === "milvus-tls" ? { stdout: pair.cert } : undefined),
        });
        const { runStack } = await import("../../../stacks");
        const outputs = runStack() as Record<string, any>;
        expect(await valueOf(outputs.tlsCertificate)).toBe(pair.cert);
        await settle();
        const step = ofType(recorded, "command:local:Command").find((c) => c.name === "milvus-tls")!;
        expect(step.secretInputs).toContain("stdin");
        expect(String(step.inputs.create)).not.toContain("PRIVATE KEY");
        const [schema] = ofType(recorded, SCHEMA_STEP);
        expect(schema.inputs.tls).toBe(true);
        expect(schema.inputs.tlsCaPem).toBe(pair.cert);
        expect(schema.inputs.tlsServerName).toBeUndefined();
    });

    it("config without the secrets stops the program, naming the key to set", async () => {
        recordResources({ stack: "dev", config: engineConfigFor("dev", { "milvus-gpu:milvus": { memory: "4g", tls: { mode: "one-way", certificate: "config" } } }) });
        const { runStack } = await import("../../../stacks");
        expect(() => runStack()).toThrowError(/milvus-gpu:milvusTlsCert: invalid value \(missing\); expected a PEM set with `pulumi config set --secret milvus-gpu:milvusTlsCert < file` because milvus\.tls\.certificate is "config"/);
    });
});
