import * as pulumi from "@pulumi/pulumi";
import { firstRunRecord } from "../../components/standalone/recordedCredentials";

export interface RecordedResource {
    type: string;
    name: string;
    /** Inputs with secret wrappers removed. */
    inputs: Record<string, any>;
    /** Top-level input names whose value (or part of it) arrived as a Pulumi secret. */
    secretInputs: string[];
    /** Inputs as the engine receives them, secrets still wrapped. */
    rawInputs: Record<string, any>;
    /** Reference (`urn::id`) of the provider the resource is created with, when not the default one. */
    provider?: string;
}

// How the SDK marks a secret value on the wire to the engine (and so to the mocks).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A value wrapped the way the engine stores a secret. */
export function wrapSecret(value: unknown): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** Everything outside secret wrappers, as text: what a state file would hold in clear. */
export function plainText(v: unknown): string {
    const strip = (x: unknown): unknown => {
        if (isWrappedSecret(x)) return "[secret]";
        if (Array.isArray(x)) return x.map(strip);
        if (typeof x === "object" && x !== null) return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, strip(y)]));
        return x;
    };
    return JSON.stringify(strip(v));
}

function isWrappedSecret(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

function containsSecret(v: unknown): boolean {
    if (isWrappedSecret(v)) return true;
    if (Array.isArray(v)) return v.some(containsSecret);
    if (typeof v === "object" && v !== null) return Object.values(v).some(containsSecret);
    return false;
}

export function unwrapSecrets(v: any): any {
    if (isWrappedSecret(v)) return unwrapSecrets(v.value);
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    return v;
}

export interface MockOptions {
    project?: string;
    stack?: string;
    config?: Record<string, string>;
    /** Config keys to treat as secrets, as `pulumi config set --secret` would. */
    secretKeys?: string[];
    /** Extra state a provider would compute on create (outputs that are not inputs). */
    computed?: (type: string, name: string, inputs: Record<string, any>) => Record<string, unknown> | undefined;
    /**
     * Creates a resource for real (e.g. runs a dynamic provider against a fake API); return
     * undefined to fall back to echoing the inputs.
     */
    create?: (type: string, name: string, rawInputs: Record<string, any>) => Promise<{ id: string; state: Record<string, unknown> } | undefined>;
}

/**
 * Installs Pulumi mocks that echo inputs back as state and record every resource
 * registered, so tests can read what a component would ask the providers for.
 */
export function recordResources(options: MockOptions = {}): RecordedResource[] {
    const recorded: RecordedResource[] = [];
    // Always overwritten: unit test files share a worker's modules (isolate: false), so a file that
    // sets no config must not see the previous file's.
    pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys);
    pulumi.runtime.setMocks(
        {
            async newResource(args) {
                recorded.push({
                    type: args.type,
                    name: args.name,
                    inputs: unwrapSecrets(args.inputs),
                    secretInputs: Object.keys(args.inputs).filter((k) => containsSecret(args.inputs[k])),
                    rawInputs: args.inputs,
                    provider: args.provider,
                });
                const created = await options.create?.(args.type, args.name, args.inputs);
                if (created) return created;
                const state = { ...args.inputs };
                if (args.type === "random:index/randomPassword:RandomPassword") state.result = `generated-${args.name}`;
                if (args.type === "docker:index/remoteImage:RemoteImage") state.imageId = `sha256:${args.name}`;
                if (args.type.startsWith("command:")) {
                    // A script fed on stdin (the credential record) answers as on its first run: with what it was given.
                    const stdin = unwrapSecrets(args.inputs.stdin);
                    state.stdout = typeof stdin === "string" ? firstRunRecord(stdin) : "docker 27.0.0";
                }
                Object.assign(state, options.computed?.(args.type, args.name, args.inputs) ?? {});
                return { id: `${args.name}-id`, state };
            },
            call(args) {
                return args.inputs;
            },
        },
        options.project ?? "milvus-gpu",
        options.stack ?? "test",
        false,
    );
    return recorded;
}

/** The resolved value of an Output (mocks resolve everything). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Whether an Output is marked secret. */
export function isSecretOutput(output: pulumi.Output<unknown>): Promise<boolean> {
    return pulumi.isSecret(output);
}

/** Lets registrations queued by constructors reach the mocks. */
export async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

export function ofType(recorded: RecordedResource[], type: string): RecordedResource[] {
    return recorded.filter((r) => r.type === type);
}
