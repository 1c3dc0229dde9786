import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerLabels } from "../../components/standalone/containerSpec";
import { evaluate } from "../../policies/engine";
import { plainProps, POLICY_UNKNOWN_SENTINELS, viewOf } from "../../policies/packAdapter";
import { RULES } from "../../policies/rules";
import { UNKNOWN } from "../../policies/view";

const ROOT = path.resolve(__dirname, "..", "..");
const URN = (type: string, name: string) => `urn:pulumi:dev::milvus-gpu::${type}::${name}`;
const CONTAINER = "docker:index/container:Container";

// What the seed's compose file gives MinIO, as a Docker provider resource.
const seedMinio = {
    name: "milvus-minio",
    image: "sha256:" + "a".repeat(64),
    command: ["minio", "server", "/minio_data", "--console-address", ":9001"],
    envs: ["MINIO_ACCESS_KEY=minioadmin", "MINIO_SECRET_KEY=minioadmin"],
    memory: 4096,
    healthcheck: { tests: ["CMD", "curl", "-f", "http://localhost:9000/minio/health/live"] },
    ports: [{ internal: 9000, external: 9000, ip: "0.0.0.0" }],
    volumes: [{ hostPath: "/opt/milvus/minio", containerPath: "/minio_data" }],
};

describe("pack adapter: props as the policy engine hands them over", () => {
    it("knows the policy SDK's unknown-value sentinels", () => {
        const proxy = require("@pulumi/policy/proxy") as Record<string, string>;
        const actual = ["unknownBooleanValue", "unknownNumberValue", "unknownStringValue", "unknownArrayValue", "unknownAssetValue", "unknownArchiveValue", "unknownObjectValue"].map((k) => proxy[k]);
        expect([...POLICY_UNKNOWN_SENTINELS]).toEqual(actual);
    });

    it("skips checks whose inputs are unknown during preview instead of reporting false violations", () => {
        const unknownArray = POLICY_UNKNOWN_SENTINELS[3];
        const unknownObject = POLICY_UNKNOWN_SENTINELS[6];
        const container = viewOf({ type: CONTAINER, name: "milvus-minio", urn: URN(CONTAINER, "milvus-minio"), props: { ...seedMinio, envs: unknownArray, ports: [] } });
        expect(container.props.envs).toBe(UNKNOWN);
        const release = viewOf({
            type: "kubernetes:helm.sh/v3:Release",
            name: "milvus",
            urn: URN("kubernetes:helm.sh/v3:Release", "milvus"),
            props: { chart: "milvus", version: "5.0.19", values: unknownObject },
        });
        expect(evaluate([container, release], {}, RULES.filter((r) => r.validateResource))).toEqual([]);
        // The same container with known envs is judged.
        const known = viewOf({ type: CONTAINER, name: "milvus-minio", urn: URN(CONTAINER, "milvus-minio"), props: seedMinio });
        expect(evaluate([known], {}, RULES.filter((r) => r.name === "no-default-credentials")).length).toBe(2);
        expect(plainProps({ a: [POLICY_UNKNOWN_SENTINELS[2], "x"] })).toEqual({ a: [UNKNOWN, "x"] });
    });
});

describe("the CrossGuard pack over the analyzer protocol (what `pulumi preview --policy-pack` talks to)", () => {
    let server: ChildProcess;
    let client: InstanceType<typeof analyzerGrpc.AnalyzerClient>;

    beforeAll(async () => {
        // Loaded the way the Pulumi CLI loads a policy pack: @pulumi/pulumi's run-policy-pack
        // (ts-node with type checking) in the pack's directory; the engine address is unused here.
        server = spawn(process.execPath, [path.join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack", "index.js"), "127.0.0.1:1", "."], {
            cwd: path.join(ROOT, "policies"),
        });
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            server.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(Number(m[1]));
            });
            server.on("exit", (code) => reject(new Error(`policy pack exited with ${code}`)));
        });
        client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    }, 60_000);

    afterAll(() => {
        client?.close();
        server?.kill();
    });

    const call = <Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req) =>
        new Promise<Res>((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));

    const analyze = async (type: string, name: string, props: Record<string, unknown>) => {
        const req = new analyzerPb.AnalyzeRequest();
        req.setType(type);
        req.setName(name);
        req.setUrn(URN(type, name));
        req.setProperties(Struct.fromJavaScript(props as Record<string, never>));
        req.setOptions(new analyzerPb.AnalyzerResourceOptions());
        const res = await call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(client.analyze, req);
        return res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage() }));
    };

    it("describes every rule with its default enforcement level and config schema", async () => {
        const { Empty } = await import("google-protobuf/google/protobuf/empty_pb");
        const info = await call<InstanceType<typeof Empty>, analyzerPb.AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
        expect(info.getName()).toBe("milvus-gpu");
        const names = info.getPoliciesList().map((p) => p.getName());
        for (const rule of RULES) expect(names).toContain(rule.name);
        const production = info.getPoliciesList().find((p) => p.getName() === "production-cluster-mode")!;
        expect(production.getEnforcementlevel()).toBe(analyzerPb.EnforcementLevel.MANDATORY);
        expect(production.getConfigschema()?.getProperties()?.toJavaScript()).toHaveProperty("minQueryNodes");
    });

    it("reports the seed's MinIO container: default keys and public ports, mandatory, with the fix", async () => {
        const ds = await analyze(CONTAINER, "milvus-minio", seedMinio);
        expect(ds.map((d) => d.policy).sort()).toEqual(["no-default-credentials", "no-default-credentials", "private-etcd-minio-ports"]);
        expect(ds.every((d) => d.level === analyzerPb.EnforcementLevel.MANDATORY)).toBe(true);
        expect(ds.find((d) => d.policy === "private-etcd-minio-ports")!.message).toContain("publishes MinIO port 9000 on 0.0.0.0:9000. Fix: Leave the etcd/MinIO ports unpublished");
    });

    it("knows Attu by its role label: no Milvus or data rule applies to it", async () => {
        const attu = {
            name: "milvus-attu",
            image: "sha256:" + "c".repeat(64),
            envs: ["MILVUS_URL=standalone:19530"],
            memory: 512,
            healthcheck: { tests: ["CMD-SHELL", "wget -q -O /dev/null http://localhost:3000 || exit 1"] },
            ports: [{ internal: 3000, external: 8000, ip: "127.0.0.1" }],
            labels: Object.entries(containerLabels({ role: "attu" })).map(([label, value]) => ({ label, value })),
        };
        expect(await analyze(CONTAINER, "milvus-attu", attu)).toEqual([]);
    });

    it("honours per-policy enforcement config as `--policy-pack-config` sets it", async () => {
        const req = new analyzerPb.ConfigureAnalyzerRequest();
        const disabled = new analyzerPb.PolicyConfig();
        disabled.setEnforcementlevel(analyzerPb.EnforcementLevel.DISABLED);
        disabled.setProperties(Struct.fromJavaScript({}));
        req.getPolicyconfigMap().set("private-etcd-minio-ports", disabled);
        const advisory = new analyzerPb.PolicyConfig();
        advisory.setEnforcementlevel(analyzerPb.EnforcementLevel.ADVISORY);
        advisory.setProperties(Struct.fromJavaScript({}));
        req.getPolicyconfigMap().set("no-default-credentials", advisory);
        await call(client.configure, req);
        const ds = await analyze(CONTAINER, "milvus-minio", seedMinio);
        expect(ds.map((d) => d.policy)).toEqual(["no-default-credentials", "no-default-credentials"]);
        expect(ds.every((d) => d.level === analyzerPb.EnforcementLevel.ADVISORY)).toBe(true);
    });

    it("runs the stack-level rules on the whole stack", async () => {
        const req = new analyzerPb.AnalyzeStackRequest();
        const r = new analyzerPb.AnalyzerResource();
        r.setType(CONTAINER);
        r.setName("milvus-standalone");
        r.setUrn(URN(CONTAINER, "milvus-standalone"));
        r.setProperties(Struct.fromJavaScript({ name: "milvus-standalone", command: ["milvus", "run", "standalone"] }));
        r.setOptions(new analyzerPb.AnalyzerResourceOptions());
        req.setResourcesList([r]);
        const res = await call<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(client.analyzeStack, req);
        const ds = res.getDiagnosticsList();
        expect(ds.map((d) => d.getPolicyname())).toEqual(["post-deploy-verification"]);
        expect(ds[0].getMessage()).toContain('stack "dev" deploys Milvus but has no post-deploy verification resource');
        expect(ds[0].getMessage()).toContain("Fix: Declare the collections");
    });
});
