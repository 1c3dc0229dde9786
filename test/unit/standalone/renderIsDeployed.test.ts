import { describe, expect, it } from "vitest";
import { collectResources } from "../../../policies/offline/collector";
import { placeholderTlsPair } from "../../../policies/offline/placeholderTls";
import { ResourceView } from "../../../policies/view";
import { parseStackConfig, PROJECT } from "../../../stacks/config";
import { RenderedContainer, renderStack } from "../../../stacks/render";
import { engineConfigFor } from "../../helpers/stackConfig";

/*
 * `npm run render` must show exactly what `pulumi up` deploys: every container the program
 * creates (as the Docker provider receives it) against the compose and the JSON render of the
 * same config, field by field.
 */

const MB = 1024 * 1024;
const CONTAINER = "docker:index/container:Container";
const IMAGE = "docker:index/remoteImage:RemoteImage";

type Compose = { services: Record<string, Record<string, any>> };

/** Compose memory notation ("4g", "1537m", "512k", "123b") in bytes. */
function composeBytes(v: string): number {
    const m = /^(\d+)([bkmg])$/.exec(v);
    if (!m) throw new Error(`not a compose memory value: ${v}`);
    return Number(m[1]) * { b: 1, k: 1024, m: MB, g: 1024 * MB }[m[2] as "b" | "k" | "m" | "g"];
}

/** Go durations ("1m30s") and compose ones ("90s") in seconds. */
function seconds(v: string): number {
    const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v);
    if (!m || v === "") throw new Error(`not a duration: ${v}`);
    return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

const envOf = (envs: string[]) => Object.fromEntries(envs.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));

/** Deploys (under mocks, the program's own path) and renders the same stack config. */
async function deployedAndRendered(stack: string, engineConfig: Record<string, string>) {
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(engineConfig)) {
        if (!k.startsWith(`${PROJECT}:`)) continue;
        try {
            raw[k.slice(PROJECT.length + 1)] = JSON.parse(v);
        } catch {
            raw[k.slice(PROJECT.length + 1)] = v;
        }
    }
    const config = parseStackConfig(raw, stack);
    const compose = renderStack(config, "compose") as Compose;
    const json = renderStack(config, "json") as { containers: RenderedContainer[] };
    const { runStack } = await import("../../../stacks");
    const secretKeys = Object.keys(engineConfig).filter((k) => /:(milvusTls|rootPassword|minio(Access|Secret)Key)/.test(k));
    const { resources } = await collectResources(runStack, { project: PROJECT, stack, config: engineConfig, secretKeys });
    return { resources, compose, json };
}

function compareContainer(c: ResourceView, resources: ResourceView[], compose: Compose, json: { containers: RenderedContainer[] }) {
    const p = c.props as Record<string, any>;
    const name = p.name as string;
    const [service, s] = Object.entries(compose.services).find(([, svc]) => svc.container_name === name) ?? [];
    expect(s, `compose service for ${name}`).toBeDefined();
    const j = json.containers.find((x) => x.name === name)!;
    expect(j, `json container ${name}`).toBeDefined();

    // Image: the container runs the id of the image pulled by that reference.
    const image = resources.find((r) => r.type === IMAGE && r.name === `${c.name}-image`)!;
    expect(image.props.name, name).toBe(s!.image);
    expect(j.image).toBe(s!.image);

    // Memory and swap.
    expect(p.memory * MB, `${name} memory`).toBe(composeBytes(s!.deploy.resources.limits.memory));
    expect(p.memorySwap * MB, `${name} memswap`).toBe(composeBytes(s!.memswap_limit));
    expect(j.memoryBytes, name).toBe(p.memory * MB);
    expect(j.memorySwapBytes, name).toBe(p.memorySwap * MB);

    // Ports.
    const ports = (p.ports ?? []).map((x: any) => `${x.ip}:${x.external}:${x.internal}`);
    expect(ports, `${name} ports`).toEqual(s!.ports ?? []);
    expect(j.ports).toEqual((p.ports ?? []).map((x: any) => `${x.ip}:${x.external}->${x.internal}`));

    // Env: the same keys; the same values, except secrets, which are references in the render
    // (and secrets in what is deployed).
    const env = envOf(p.envs ?? []);
    expect(Object.keys(env).sort(), `${name} env keys`).toEqual(Object.keys(s!.environment).sort());
    expect(Object.keys(j.env).sort()).toEqual(Object.keys(env).sort());
    (p.envs as string[]).forEach((e, i) => {
        const key = e.slice(0, e.indexOf("="));
        const rendered = String(s!.environment[key]);
        if (/^\$\{[A-Z_]+:\?/.test(rendered)) {
            expect(c.secretPaths!.some((sp) => sp === "envs" || sp === `envs[${i}]`), `${name} ${key} is a secret`).toBe(true);
            expect(j.env[key]).toMatch(/^<secret:/);
            expect(env[key].length).toBeGreaterThan(0);
        } else {
            expect(env[key], `${name} ${key}`).toBe(rendered);
            expect(j.env[key]).toBe(rendered);
        }
    });

    // Volumes, read-only or not.
    const volumes = (p.volumes ?? []).map((v: any) => `${v.hostPath}:${v.containerPath}${v.readOnly ? ":ro" : ""}`);
    expect(volumes, `${name} volumes`).toEqual(s!.volumes ?? []);
    expect(j.volumes).toEqual(volumes);

    // Labels.
    const labels = Object.fromEntries((p.labels ?? []).map((l: any) => [l.label, l.value]));
    expect(labels, `${name} labels`).toEqual(s!.labels ?? {});
    expect(j.labels).toEqual(labels);

    // Healthcheck.
    const h = p.healthcheck;
    expect(h.tests, name).toEqual(s!.healthcheck.test);
    for (const [ours, theirs] of [["interval", "interval"], ["timeout", "timeout"], ["startPeriod", "start_period"]] as const) {
        expect(h[ours] === undefined ? undefined : seconds(h[ours]), `${name} ${ours}`).toBe(s!.healthcheck[theirs] === undefined ? undefined : seconds(s!.healthcheck[theirs]));
    }
    expect(h.retries).toBe(s!.healthcheck.retries);
    expect(j.healthcheck.test).toEqual(h.tests);

    // The rest of what a container is.
    expect(p.command, `${name} command`).toEqual(s!.command);
    expect(p.entrypoints, `${name} entrypoint`).toEqual(s!.entrypoint);
    expect(p.user, `${name} user`).toBe(s!.user);
    expect(j.user).toBe(p.user);
    // Files put into the container: path and content.
    const uploads = Object.fromEntries((p.uploads ?? []).map((u: any) => [u.file, u.content]));
    expect(uploads, `${name} files`).toEqual(j.files ?? {});
    expect(p.restart).toBe(s!.restart);
    expect(p.securityOpts ?? []).toEqual(s!.security_opt ?? []);
    const device = s!.deploy.resources.reservations?.devices?.[0];
    expect(p.gpus, `${name} gpus`).toBe(device ? (device.count === "all" ? "all" : `device=${device.device_ids.join(",")}`) : undefined);
    expect(j.gpus).toBe(p.gpus);
    expect(p.networksAdvanced[0].aliases).toEqual([service]);
}

const TLS = placeholderTlsPair("milvus.example.com");

const CASES: Record<string, Record<string, string>> = {
    "the committed dev stack": engineConfigFor("dev"),
    "every option that shapes a container": engineConfigFor("dev", {
        "milvus-gpu:release": "v2.4.0",
        "milvus-gpu:restart": "always",
        // Not a whole MiB: deployed rounded up, and rendered as deployed.
        "milvus-gpu:etcd": { memory: "100001k", publish: true },
        "milvus-gpu:minio": { memory: "1537m", publishApi: { host: "127.0.0.1", port: 19000 }, publishConsole: true },
        "milvus-gpu:milvus": { memory: "3g", gpu: [0, 1], host: "0.0.0.0", grpcPort: 29530, httpPort: 29091 },
        "milvus-gpu:attu": { enabled: true, port: 8001, memory: "256m" },
        "milvus-gpu:schema": undefined,
    }),
    "monitoring: node-exporter, Prometheus and Grafana": engineConfigFor("dev", {
        "milvus-gpu:monitoring": { enabled: true, prometheus: { retention: "7d", publish: { host: "127.0.0.1", port: 19090 } }, grafana: { memory: "300m" } },
    }),
    "monitoring with a GPU: the DCGM exporter too, Grafana off": engineConfigFor("dev", {
        "milvus-gpu:milvus": { memory: "4g", gpu: [0] },
        "milvus-gpu:monitoring": { enabled: true, grafana: { enabled: false }, prometheus: { publish: false } },
    }),
    "TLS with a generated certificate, 9091 published elsewhere": engineConfigFor("dev", {
        "milvus-gpu:milvus": { memory: "4g", host: "0.0.0.0", httpHost: "10.0.0.5", tls: { mode: "one-way" } },
    }),
    "TLS with the certificate from config": engineConfigFor("dev", {
        "milvus-gpu:milvus": { memory: "4g", tls: { mode: "one-way", certificate: "config" } },
        "milvus-gpu:milvusTlsCert": TLS.cert,
        "milvus-gpu:milvusTlsKey": TLS.key,
    }),
};

describe("what render shows is what up deploys, container by container", () => {
    it.each(Object.keys(CASES))("%s", async (label) => {
        const { resources, compose, json } = await deployedAndRendered("render-check", CASES[label]);
        const containers = resources.filter((r) => r.type === CONTAINER);
        expect(containers.map((c) => c.props.name).sort()).toEqual(Object.values(compose.services).map((s) => s.container_name).sort());
        expect(json.containers.length).toBe(containers.length);
        for (const c of containers) compareContainer(c, resources, compose, json);
    });

    it("TLS: the certificate directory is mounted read-only in both", async () => {
        const { compose } = await deployedAndRendered("render-check", CASES["TLS with a generated certificate, 9091 published elsewhere"]);
        expect(compose.services.standalone.volumes).toContain("/tmp/milvus-gpu-dev/.milvus-gpu/tls:/milvus/tls:ro");
        expect(compose.services.standalone.ports).toEqual(["0.0.0.0:19530:19530", "10.0.0.5:9091:9091"]);
    });

    it("memory swap equals the memory limit in both (no swap)", async () => {
        const { compose } = await deployedAndRendered("render-check", CASES["the committed dev stack"]);
        for (const s of Object.values(compose.services)) expect(s.memswap_limit).toBe(s.deploy.resources.limits.memory);
    });
});
