import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { firstRunRecord } from "../../components/standalone/recordedCredentials";
import { ResourceView } from "../view";

export interface CollectOptions {
    project: string;
    stack: string;
    /** Full config keys ("milvus-gpu:mode") to string values, as `pulumi.runtime.allConfig()` holds them. */
    config?: Record<string, string>;
    /** Config keys to treat as secrets. */
    secretKeys?: string[];
}

export interface CollectedStack {
    resources: ResourceView[];
    /** The program's return value, resolved (secrets unwrapped). */
    outputs: unknown;
}

/**
 * Provider outputs that a program reads back and that mocks would otherwise leave empty.
 * Values are fakes that look like the real thing where a rule or a component cares.
 */
function fakeOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "random:index/randomPassword:RandomPassword":
        case "random:index/randomString:RandomString": {
            const length = typeof inputs.length === "number" ? inputs.length : 16;
            // Deterministic per name, never a well-known default.
            const hex = createHash("sha256").update(name).digest("hex");
            return { result: `g${hex}`.slice(0, length) };
        }
        case "docker:index/remoteImage:RemoteImage":
            return { imageId: `sha256:${createHash("sha256").update(String(inputs.name)).digest("hex")}`, repoDigest: "" };
        case "command:local:Command":
        case "command:remote:Command":
            // A script fed on stdin (the credential record on a Docker host) prints, on a new host, what it was given.
            return { stdout: typeof inputs.stdin === "string" ? firstRunRecord(inputs.stdin) : "" };
        case "kubernetes:helm.sh/v3:Release":
            return { status: { status: "deployed", name: inputs.name, namespace: inputs.namespace } };
        default:
            if (/CloreOrder$/.test(type)) {
                // A rented server as the order provider reports it: each requested port mapped to a public one.
                const ports = typeof inputs.ports === "object" && inputs.ports !== null ? Object.keys(inputs.ports) : [];
                const publicPorts = Object.fromEntries(ports.map((p, i) => [p, 40000 + i]));
                return { orderId: 1, serverId: 1, publicHost: "clore-server.invalid", publicPorts, sshPort: publicPorts["22"], pricePerDay: 0 };
            }
            return {};
    }
}

/** The same URN shape the engine uses (without the parent type chain). */
function urnOf(stack: string, project: string, type: string, name: string): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

type SettingsModule = { waitForRPCs?: () => Promise<void> };

/**
 * Runs a Pulumi program under mocks and records every resource it registers (type,
 * name, inputs): the offline stand-in for the engine's view during `pulumi preview`.
 * No engine, no cloud credentials, no providers are involved. Not re-entrant: one
 * collection at a time per process (the Pulumi runtime is process-global).
 */
export async function collectResources(program: () => unknown, options: CollectOptions): Promise<CollectedStack> {
    const resources: ResourceView[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
                const secretPaths: string[] = [];
                const inputs = unwrapSecrets(args.inputs ?? {}, "", secretPaths) as Record<string, unknown>;
                resources.push({
                    type: args.type,
                    name: args.name,
                    urn: urnOf(options.stack, options.project, args.type, args.name),
                    props: inputs,
                    secretPaths,
                });
                return { id: args.custom === false ? undefined : `${args.name}-id`, state: { ...inputs, ...fakeOutputs(args.type, args.name, inputs) } };
            },
            call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
                return args.inputs as Record<string, unknown>;
            },
        },
        options.project,
        options.stack,
        // Not a preview: every value is known under mocks, so every apply (and the resources created in one) runs.
        false,
    );
    pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys);
    try {
        const result = await program();
        const outputs = await resolve(result);
        return { resources, outputs };
    } finally {
        // Also after a failing program: nothing of this run may reach the next run's mocks.
        await settle(resources);
    }
}

// The wire format's marker for a secret value: { [SIG_KEY]: SECRET_SIG, value }.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Replaces secret wrappers with their values, recording where they were (dotted paths). */
function unwrapSecrets(value: unknown, path: string, secretPaths: string[]): unknown {
    if (Array.isArray(value)) return value.map((v, i) => unwrapSecrets(v, `${path}[${i}]`, secretPaths));
    if (typeof value !== "object" || value === null) return value;
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) {
        secretPaths.push(path);
        return unwrapSecrets(obj.value, path, []);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = unwrapSecrets(v, path ? `${path}.${k}` : k, secretPaths);
    return out;
}

/** Resolves a (possibly nested) record of Outputs into plain values. */
async function resolve(value: unknown): Promise<unknown> {
    if (value === undefined || value === null) return value;
    const out: pulumi.Output<unknown> = pulumi.output(value as pulumi.Input<unknown>) as pulumi.Output<unknown>;
    // An unknown value never resolves; give up on it rather than hang the check.
    let timer: NodeJS.Timeout | undefined;
    try {
        return await Promise.race([
            new Promise((done) => out.apply((v) => done(v))),
            new Promise((done) => {
                timer = setTimeout(() => done(undefined), 10_000);
            }),
        ]);
    } finally {
        clearTimeout(timer);
    }
}

/** Waits until the runtime has no RPCs in flight and the resource count stops growing. */
async function settle(resources: ResourceView[]): Promise<void> {
    const settings = pulumi.runtime as unknown as SettingsModule;
    let seen = -1;
    for (let round = 0; round < 200 && seen !== resources.length; round++) {
        seen = resources.length;
        if (settings.waitForRPCs) await settings.waitForRPCs();
        await new Promise((r) => setTimeout(r, 10));
    }
}
