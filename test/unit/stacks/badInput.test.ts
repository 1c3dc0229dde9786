import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { StackFileError } from "../../../components/errors";
import { nativeMilvusOrderSpec } from "../../../components/clore/nativeOrderSpec";
import { checkStack } from "../../../policies/offline/check";
import { parseStackConfig } from "../../../stacks/config";
import { DECLARED_DEFAULTS } from "../../../stacks/model";
import { renderStack } from "../../../stacks/render";
import { loadStackFile, parseStackFile, stackConfigOf } from "../../../stacks/stackFile";
import { configErrorsIn, configErrorsOf } from "../../helpers/configErrors";

const ROOT = path.resolve(__dirname, "../../..");
const fields = (run: () => unknown) => configErrorsOf(run).map((e) => e.field).sort();

/** A throwaway project folder holding one Pulumi.<stack>.yaml with `text`. */
function stackDir(stack: string, text: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "milvus-gpu-bad-input-"));
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    return dir;
}

function cli(script: string, args: string[]): { status: number | null; stderr: string; stdout: string } {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", script), ...args], { cwd: ROOT, encoding: "utf8" });
    return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe("memory, addresses, loopback, ports and GPUs are validated before deploy", () => {
    it.each<[string | number, string]>([
        [16, "a number without a unit is 16 bytes"],
        ["16", "a string without a unit"],
        ["1k", "too small to start"],
        ["4000t", "larger than any host"],
    ])("rejects milvus.memory %j (%s)", (memory) => {
        const [e] = configErrorsOf(() => parseStackConfig({ milvus: { memory } }, "t"));
        expect(e.field).toBe("milvus.memory");
        expect(e.allowed).toMatch(/with its unit.*from 16m to 32t/);
    });

    it.each([
        ["milvus", { host: "my laptop" }, "milvus.host"],
        ["milvus", { httpHost: "0.0.0.0 " + "x" }, "milvus.httpHost"],
        ["attu", { enabled: true, host: "bad host!" }, "attu.host"],
        ["host", { type: "ssh", address: "gpu box" }, "host.address"],
    ])("rejects an address with spaces or odd characters in %s", (key, value, field) => {
        expect(fields(() => parseStackConfig({ [key]: value }, "t"))).toEqual([field]);
    });

    it("judges loopback by parsing: 127.0.0.1.nip.io is a public name, so auth cannot be switched off there", () => {
        expect(fields(() => parseStackConfig({ milvus: { host: "127.0.0.1.nip.io", auth: false } }, "t"))).toEqual(["milvus.auth"]);
        for (const host of ["127.0.0.1", "127.3.4.5", "::1", "localhost"]) {
            expect(parseStackConfig({ milvus: { host, auth: false } }, "t")).toMatchObject({ standalone: { milvus: { auth: false } } });
        }
    });

    it("rejects two published ports on the same host address and port", () => {
        expect(fields(() => parseStackConfig({ milvus: { grpcPort: 9091, host: "127.0.0.1" } }, "t"))).toEqual(["milvus.httpPort"]);
        // 0.0.0.0 overlaps every address.
        expect(fields(() => parseStackConfig({ minio: { publishApi: { host: "0.0.0.0", port: 19530 } } }, "t"))).toEqual(["minio.publishApi"]);
        expect(fields(() => parseStackConfig({ etcd: { publish: true }, attu: { enabled: true, port: 2379 } }, "t"))).toEqual(["attu.port"]);
        // Different addresses may share a port.
        expect(() => parseStackConfig({ milvus: { host: "10.0.0.5", httpHost: "127.0.0.1", grpcPort: 9091 } }, "t")).not.toThrow();
    });

    it("rejects a GPU listed twice", () => {
        const [e] = configErrorsOf(() => parseStackConfig({ milvus: { gpu: [0, 0] } }, "t"));
        expect(e.field).toBe("milvus.gpu[1]");
        expect(e.allowed).toMatch(/not listed before/);
    });

    it("publishes 9091 on loopback by default, on its own address when asked", () => {
        const config = parseStackConfig({}, "t");
        expect(config.kind === "docker" && config.standalone.milvus.http).toEqual({ host: "127.0.0.1", port: 9091 });
        const open = parseStackConfig({ milvus: { httpHost: "0.0.0.0" } }, "t");
        expect(open.kind === "docker" && open.standalone.milvus.grpc.host).toBe("0.0.0.0");
        expect(open.kind === "docker" && open.standalone.milvus.http.host).toBe("0.0.0.0");
    });
});

describe("what only the schema step found is found at config time", () => {
    const collection = (index: Record<string, unknown>) => ({
        collections: [{ name: "docs", fields: [{ name: "id", type: "INT64", primary: true }, { name: "v", type: "FLOAT_VECTOR", dim: 8 }], indexes: [{ field: "v", ...index }] }],
    });

    it("an HNSW ef below verify.topK", () => {
        const [e] = configErrorsOf(() => parseStackConfig({ schema: collection({ type: "HNSW", metric: "L2", searchParams: { ef: 5 } }), verify: { topK: 10 } }, "t"));
        expect(e.field).toBe("schema.collections[0].indexes.v.searchParams.ef");
        expect(e.allowed).toMatch(/verify\.topK/);
    });

    it("a GPU index type without the GPU build, in standalone and in cluster mode", () => {
        const gpuIndex = collection({ type: "GPU_CAGRA", metric: "L2" });
        expect(fields(() => parseStackConfig({ schema: gpuIndex }, "t"))).toEqual(["schema.collections[0].indexes.v.type"]);
        expect(fields(() => parseStackConfig({ mode: "cluster", schema: gpuIndex }, "t"))).toEqual(["schema.collections[0].indexes.v.type"]);
        expect(() => parseStackConfig({ schema: gpuIndex, milvus: { gpu: true } }, "t")).not.toThrow();
        expect(() => parseStackConfig({ mode: "cluster", schema: gpuIndex, cluster: { gpu: { enabled: true } } }, "t")).not.toThrow();
    });

    it("a spec the deployed Milvus version cannot serve (INVERTED needs 2.4), from the image, the release, the Clore version or the chart", () => {
        const spec = collection({ type: "HNSW", metric: "L2" });
        const c = spec.collections[0] as Record<string, unknown>;
        c.fields = [...(c.fields as object[]), { name: "tag", type: "VARCHAR", maxLength: 16 }];
        c.indexes = [...(c.indexes as object[]), { field: "tag", type: "INVERTED" }];
        const [e] = configErrorsOf(() => parseStackConfig({ schema: spec, milvus: { image: "milvusdb/milvus:v2.3.5" } }, "t"));
        expect(e.field).toBe("schema.collections[0].indexes.tag.type");
        expect(e.allowed).toMatch(/deployed Milvus is v2\.3\.5, from milvus\.image/);
        expect(() => parseStackConfig({ schema: spec, release: "v2.4.0" }, "t")).not.toThrow();
        expect(() => parseStackConfig({ schema: spec }, "t")).not.toThrow();
        expect(fields(() => parseStackConfig({ schema: spec, host: { type: "clore", usage: "native", milvusVersion: "v2.3.5" } }, "t"))).toEqual(["schema.collections[0].indexes.tag.type"]);
    });

    it("the reserved partition name _default", () => {
        const spec = collection({ type: "HNSW", metric: "L2" });
        (spec.collections[0] as Record<string, unknown>).partitions = ["_default"];
        expect(fields(() => parseStackConfig({ schema: spec }, "t"))).toEqual(["schema.collections[0].partitions[0]"]);
    });
});

describe("every problem of a block arrives in one run", () => {
    it("the seed-like config reports the image and the auth problem together", () => {
        const errors = configErrorsOf(() =>
            parseStackConfig({ release: "v2.4.0", milvus: { gpu: true, image: "milvusdb/milvus:v2.4.0", auth: false, memory: 16 } }, "t"),
        );
        expect(errors.map((e) => e.field).sort()).toEqual(["milvus.auth", "milvus.image", "milvus.memory"]);
    });

    it("cross-field checks still run when a sibling field is bad", () => {
        expect(fields(() => parseStackConfig({ milvus: { gpu: [0, 0], auth: false, host: "0.0.0.0", grpcPort: "x" } }, "t"))).toEqual([
            "milvus.auth",
            "milvus.gpu[1]",
            "milvus.grpcPort",
        ]);
    });
});

describe("Clore.ai native usage: host.env cannot weaken security", () => {
    const native = (env: Record<string, string>) => ({ host: { type: "clore", usage: "native", env } });

    it.each(["COMMON_SECURITY_AUTHORIZATIONENABLED", "common_security_tlsMode", "COMMON_SECURITY_DEFAULTROOTPASSWORD", "TLS_SERVERPEMPATH", "ETCD_USE_EMBED"])(
        "rejects %s, naming the key",
        (key) => {
            const [e] = configErrorsOf(() => parseStackConfig(native({ [key]: "false" }), "t"));
            expect(e.field).toBe(`host.env.${key}`);
            expect(e.allowed).toMatch(/does not set itself/);
        },
    );

    it("accepts other Milvus overrides, and render shows them with the package's settings", () => {
        const config = parseStackConfig(native({ QUOTAANDLIMITS_ENABLED: "false" }), "t");
        const rendered = renderStack(config, "json") as { order: { env: Record<string, string> } };
        expect(rendered.order.env.QUOTAANDLIMITS_ENABLED).toBe("false");
        expect(rendered.order.env.COMMON_SECURITY_AUTHORIZATIONENABLED).toBe(nativeMilvusOrderSpec().env.COMMON_SECURITY_AUTHORIZATIONENABLED);
    });
});

describe("one stack-file reader: render, policy and the program agree", () => {
    it("an empty stack file is a stack with defaults everywhere", async () => {
        const dir = stackDir("empty", "");
        expect(loadStackFile(dir, "empty").config.kind).toBe("docker");
        const check = await checkStack("empty", { root: dir });
        expect(check.resources.length).toBeGreaterThan(0);
    });

    it("a stack file with a bad value fails the same way in render and in policy, before any resource", async () => {
        const dir = stackDir("bad", "config:\n  milvus-gpu:milvus:\n    memory: 16\n");
        let renderError: unknown;
        try {
            loadStackFile(dir, "bad");
        } catch (e) {
            renderError = e;
        }
        expect(renderError).toBeInstanceOf(StackFileError);
        await expect(checkStack("bad", { root: dir })).rejects.toThrow((renderError as Error).message);
        expect((renderError as Error).message).toBe("Pulumi.bad.yaml:3:13: milvus.memory: invalid value 16; expected " + configErrorsIn(() => parseStackConfig({ milvus: { memory: 16 } }, "t"))[0].allowed);
    });

    it.each([
        ["bad indentation", "config:\n  milvus-gpu:mode: standalone\n   milvus-gpu:dataDir: /x\n", 2],
        ["a tab", "config:\n\tmilvus-gpu:mode: standalone\n", 2],
        ["a duplicate key", "config:\n  milvus-gpu:mode: standalone\n  milvus-gpu:mode: cluster\n", 3],
    ])("malformed YAML (%s) gives file, line, column and the problem", (_, text, line) => {
        expect(() => parseStackFile(text, "Pulumi.x.yaml", "x")).toThrow(new RegExp(`^Pulumi\\.x\\.yaml:${line}:\\d+: `));
    });

    it("keys without a namespace are the project's, as Pulumi reads them", () => {
        const f = parseStackFile("config:\n  mode: cluster\n", "Pulumi.x.yaml", "x");
        expect(stackConfigOf(f).kind).toBe("cluster");
    });

    it("a namespace that differs from ours only by case or punctuation is a typo, with a did-you-mean", () => {
        expect(() => parseStackFile("config:\n  milvus_gpu:milvus:\n    memory: 4g\n  docker:host: unix:///var/run/docker.sock\n", "Pulumi.x.yaml", "x")).toThrow(
            /^Pulumi\.x\.yaml:2:3: .*"milvus_gpu".*did you mean "milvus-gpu:milvus"\?$/,
        );
        for (const ns of ["Milvus-GPU", "milvusgpu", "milvus.gpu"]) {
            expect(() => parseStackFile(`config:\n  ${ns}:mode: cluster\n`, "Pulumi.x.yaml", "x")).toThrow(/did you mean/);
        }
        // Other namespaces are legal.
        expect(() => stackConfigOf(parseStackFile("config:\n  docker:host: ssh://x\n  kubernetes:context: k\n", "Pulumi.x.yaml", "x"))).not.toThrow();
    });

    it.each([
        ["render.ts", ["--stack", "STACK"]],
        ["policy.ts", ["--stack", "STACK", "--dir", "DIR"]],
    ])("the %s CLI prints file:line:column and no stack trace for malformed YAML, and exits 2", (script, args) => {
        const dir = stackDir("broken", "config:\n  milvus-gpu:mode: standalone\n  milvus-gpu:mode: cluster\n");
        // render reads from the project root; give it the file there for the run.
        const file = path.join(ROOT, "Pulumi.zz-broken.yaml");
        fs.copyFileSync(path.join(dir, "Pulumi.broken.yaml"), file);
        try {
            const stack = script === "render.ts" ? "zz-broken" : "broken";
            const r = cli(script, args.map((a) => (a === "STACK" ? stack : a === "DIR" ? dir : a)));
            expect(r.status).toBe(2);
            expect(r.stderr).toMatch(/Pulumi\.(zz-)?broken\.yaml:3:3: Map keys must be unique/);
            expect(r.stderr).not.toMatch(/\n\s+at /);
        } finally {
            fs.rmSync(file, { force: true });
        }
    });
});

describe("the keys Pulumi.yaml declares", () => {
    it("have defaults that change nothing, so a cluster or Clore-native stack accepts them as the engine injects them", () => {
        const injected = Object.fromEntries(Object.entries(DECLARED_DEFAULTS).map(([k, v]) => [k, v]));
        expect(parseStackConfig({ ...injected, mode: "cluster" }, "t").kind).toBe("cluster");
        expect(parseStackConfig({ ...injected, host: { type: "clore", usage: "native" } }, "t").kind).toBe("clore-native");
        expect(parseStackConfig(injected, "t")).toEqual(parseStackConfig({}, "t"));
        // A value that is not the default is still refused where it does not apply.
        expect(fields(() => parseStackConfig({ ...injected, mode: "cluster", namePrefix: "x" }, "t"))).toEqual(["namePrefix"]);
    });

    it("are declared with exactly those defaults", () => {
        const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default: unknown }> };
        expect(Object.fromEntries(Object.entries(project.config).map(([k, v]) => [k, v.default]))).toEqual(DECLARED_DEFAULTS);
    });
});

describe("the example stack files stay valid", () => {
    it.each(["dev", "staging", "production"])("Pulumi.%s.yaml", (stack) => {
        expect(() => loadStackFile(ROOT, stack)).not.toThrow();
    });

    it("render still runs on them", () => {
        expect(execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "render.ts"), "--stack", "dev"], { cwd: ROOT, encoding: "utf8" })).toContain('"containers"');
    });
});
