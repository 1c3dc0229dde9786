import { describe, expect, it } from "vitest";
import { ofType, recordResources, settle, valueOf } from "../../helpers/pulumiMocks";
import { engineConfigFor } from "../../helpers/stackConfig";

describe("the program on the dev stack (mocked engine)", () => {
    it("deploys etcd, MinIO and Milvus on the local Docker host and exports endpoint, health URL and secret credentials", async () => {
        const recorded = recordResources({ stack: "dev", config: engineConfigFor("dev") });
        const { runStack } = await import("../../../stacks");
        const outputs = runStack() as Record<string, any>;
        expect(await valueOf(outputs.endpoint)).toBe("localhost:19530");
        expect(await valueOf(outputs.healthUrl)).toBe("http://localhost:9091/healthz");
        expect(await valueOf(outputs.username)).toBe("root");
        const { isSecret } = await import("@pulumi/pulumi");
        expect(await isSecret(outputs.rootPassword)).toBe(true);
        expect(await isSecret(outputs.minioSecretKey)).toBe(true);
        await settle();
        const names = ofType(recorded, "docker:index/container:Container").map((c) => c.inputs.name).sort();
        expect(names).toEqual(["milvus-etcd", "milvus-minio", "milvus-standalone"]);
        const milvus = ofType(recorded, "docker:index/container:Container").find((c) => c.inputs.name === "milvus-standalone")!;
        expect(milvus.inputs.memory).toBe(4096);
        expect(milvus.inputs.gpus).toBeUndefined();
        // Host preparation, then one health gate per container, run on this machine; the gates
        // wait instead of the provider, so `up` fails naming the container that is not healthy.
        const commands = ofType(recorded, "command:local:Command");
        expect(commands.map((c) => c.name).sort()).toEqual([
            "host-prepare",
            "milvus-credentials-record",
            "milvus-etcd-healthy",
            "milvus-minio-healthy",
            "milvus-standalone-healthy",
        ]);
        expect(String(commands.find((c) => c.name === "milvus-standalone-healthy")!.inputs.stdin)).toContain("name='milvus-standalone'");
        for (const c of ofType(recorded, "docker:index/container:Container")) expect(c.inputs.wait, c.name).toBe(false);
    });
});
