import { int, parseWith, ProblemList, text } from "../../configSchema";
import { ConfigError } from "../../errors";
import { passwordProblems, undeclaredPasswordUsers } from "../access/passwords";
import { TlsChoice, checkTlsChoice } from "../server/tls";
import type { SchemaArgs, VerifyArgs } from "../spec/args";
import { parseSchemaSettings, parseVerifySettings, schemaVerifyProblems } from "../spec/parse";
import { SchemaSettings, VerifySettings } from "../spec/settings";

/**
 * The schema step's input as every caller writes it: the MilvusSchema component (each value
 * wrapped in pulumi.Input), the dynamic provider that stores it, and `npm run verify`. Where the
 * spec comes from a file not yet read (`npm run verify`), `Spec` and `Verify` are `unknown`: the
 * one validator below reads them either way.
 */
export interface SchemaStepArgs<Spec = SchemaArgs | SchemaSettings, Verify = VerifyArgs | VerifySettings> {
    /** `host:port` of the Milvus gRPC endpoint. */
    address: string;
    /** `user:password` or API key; kept a secret in state. */
    token?: string;
    tls?: boolean;
    /** PEM of the CA that signed Milvus's certificate; implies TLS. May be a secret (kept one in state). */
    tlsCaPem?: string;
    /** Host name Milvus's certificate carries, when it is not the host of `address`. */
    tlsServerName?: string;
    /** Declared collections, as in stack config `milvus-gpu:schema` (a parsed SchemaSettings fits too). */
    spec: Spec;
    /** Verification options, as in stack config `milvus-gpu:verify`; defaults when absent. */
    verify?: Verify;
    /** How long to wait for Milvus to report healthy before failing (default 120 s). */
    healthTimeoutSeconds?: number;
    /** Password of each user declared under `spec.access.users` (secrets: never logged or reported). */
    passwords?: Record<string, string>;
}

export type SchemaStepInput = keyof SchemaStepArgs;

/** Every input of the step; a change to any of them runs the step again. */
export const SCHEMA_STEP_INPUTS = ["address", "token", "tls", "tlsCaPem", "tlsServerName", "spec", "verify", "healthTimeoutSeconds", "passwords"] as const;
// The list and the interface cannot drift apart: a key missing from either fails to compile.
type Listed = (typeof SCHEMA_STEP_INPUTS)[number];
const inputsListed: [Exclude<SchemaStepInput, Listed>, Exclude<Listed, SchemaStepInput>] extends [never, never] ? true : false = true;
void inputsListed;

/** The step's input, checked: what the pipeline runs on. */
export interface SchemaStepSettings {
    address: string;
    token?: string;
    tls: TlsChoice;
    spec: SchemaSettings;
    verify: VerifySettings;
    healthTimeoutSeconds: number;
    passwords: Record<string, string>;
}

export const DEFAULT_HEALTH_TIMEOUT_SECONDS = 120;

const ADDRESS_ALLOWED = "host:port of the Milvus gRPC endpoint (no spaces)";
const addressSchema = text(ADDRESS_ALLOWED).refine((a) => !/\s/.test(a), { error: ADDRESS_ALLOWED });
const healthTimeoutSchema = int({ min: 1, max: 3600 }).default(DEFAULT_HEALTH_TIMEOUT_SECONDS);

export interface SchemaStepReading {
    /** How messages name the spec and verify inputs: `schema`/`verify` as in stack config (the default), `spec` for the component's args. */
    names?: { spec: string; verify: string };
    /** Values not known yet (computed by another resource during preview): they are not judged, nor is any rule that needs them. */
    isUnknown?: (value: unknown) => boolean;
}

/**
 * The one check of the step's input, for every caller: the component (on what is known when it
 * is constructed), the dynamic provider's check (in preview) and the pipeline (before any network
 * call). Every problem is returned at once, options first in the order they are listed.
 */
export function schemaStepProblems(raw: Partial<Record<SchemaStepInput, unknown>>, reading: SchemaStepReading = {}): { problems: ConfigError[]; settings?: SchemaStepSettings } {
    const names = reading.names ?? { spec: "schema", verify: "verify" };
    const unknown = reading.isUnknown ?? (() => false);
    const known = (key: SchemaStepInput) => !unknown(raw[key]);
    const problems = new ProblemList();
    const address = known("address") ? problems.read(() => parseWith(addressSchema, raw.address, "address")) : undefined;
    const healthTimeoutSeconds = known("healthTimeoutSeconds") ? problems.read(() => parseWith(healthTimeoutSchema, raw.healthTimeoutSeconds, "healthTimeoutSeconds")) : undefined;
    const spec = known("spec") ? problems.read(() => parseSchemaSettings(raw.spec, names.spec)) : undefined;
    const verify = known("verify") ? problems.read(() => parseVerifySettings(raw.verify, names.verify)) : undefined;
    const tlsKnown = known("tls") && known("tlsCaPem") && known("tlsServerName");
    const tls = tlsKnown ? checkTlsChoice(raw, problems) : {};
    if (spec && verify) problems.errors.push(...schemaVerifyProblems(spec, verify, { schema: names.spec, verify: names.verify }));
    const passwords = (raw.passwords ?? {}) as Record<string, unknown>;
    if (spec && known("passwords")) {
        // Names are judged even where some passwords are not known yet; values only where they are.
        const knownPasswords = Object.fromEntries(Object.entries(passwords).filter(([, v]) => !unknown(v)));
        const pendingNames = Object.keys(passwords).filter((name) => !(name in knownPasswords));
        problems.errors.push(...passwordProblems(spec, knownPasswords, (spec.access?.required ?? false) && pendingNames.length === 0));
        problems.errors.push(...undeclaredPasswordUsers(spec, pendingNames));
    }
    const order = (e: { field: string }) => (e.field === "address" ? 0 : e.field === "healthTimeoutSeconds" ? 2 : 1);
    problems.errors.sort((x, y) => order(x) - order(y));
    if (problems.errors.length || address === undefined || spec === undefined || verify === undefined || healthTimeoutSeconds === undefined || !tlsKnown) {
        return { problems: problems.errors };
    }
    return {
        problems: [],
        settings: {
            address,
            ...(typeof raw.token === "string" && raw.token ? { token: raw.token } : {}),
            tls,
            spec,
            verify,
            healthTimeoutSeconds,
            passwords: passwords as Record<string, string>,
        },
    };
}

/** Parses the step's input, throwing every problem at once (a ConfigError, or ConfigErrors for several). */
export function parseSchemaStepSettings(raw: Partial<Record<SchemaStepInput, unknown>>, reading: Omit<SchemaStepReading, "isUnknown"> = {}): SchemaStepSettings {
    const { problems, settings } = schemaStepProblems(raw, reading);
    const list = new ProblemList();
    list.errors.push(...problems);
    list.throwIfAny();
    return settings!;
}

/** Exactly the step's inputs out of a larger record (the provider's stored outputs carry the report too). */
export function schemaStepArgsOf<T extends SchemaStepArgs<unknown, unknown>>(record: T): SchemaStepArgs<T["spec"], T["verify"]> {
    const out: Partial<Record<SchemaStepInput, unknown>> = {};
    for (const key of SCHEMA_STEP_INPUTS) if (record[key] !== undefined) out[key] = record[key];
    return out as SchemaStepArgs<T["spec"], T["verify"]>;
}
