import { isIP } from "node:net";
import { z } from "zod";
import { ConfigError, ConfigErrors } from "./errors";

/**
 * Building blocks for the declarative config schemas (one per block, beside the code it
 * configures) and the one place where zod's issues become our ConfigErrors: the dotted
 * field, the value given and what is allowed. Every leaf carries its own "allowed" text, so
 * messages read the same whichever check failed, and the JSON Schema for stack files is
 * generated from the same definitions (see stacks/jsonSchema.ts).
 */
export { z };

type Range = { min?: number; max?: number };

function rangeText(kind: string, { min, max }: Range): string {
    if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
    if (min !== undefined) return `${kind} >= ${min}`;
    if (max !== undefined) return `${kind} <= ${max}`;
    return kind;
}

/** `pulumi config set k 5` stores the string "5"; stack files written by hand hold numbers. */
function numberFromString(v: unknown): unknown {
    if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
    return v;
}

/** JSON Schema fragments for leaves whose zod form (a preprocess or transform) has none. */
export const jsonShape = z.registry<{ json: Record<string, unknown> }>();

/** Registers the JSON Schema fragment a leaf stands for in stack files (see toJsonSchema). */
export function withJson<T extends z.ZodType>(schema: T, json: Record<string, unknown>): T {
    jsonShape.add(schema, { json });
    return schema;
}

/** An integer, given as a number or a numeric string. */
export function int(range: Range = {}, allowed = rangeText("an integer", range)) {
    let n = z.number({ error: allowed }).int({ error: allowed });
    if (range.min !== undefined) n = n.min(range.min, { error: allowed });
    if (range.max !== undefined) n = n.max(range.max, { error: allowed });
    return withJson(z.preprocess(numberFromString, n), {
        anyOf: [{ type: "integer", ...jsonRange(range) }, { type: "string", pattern: "^-?\\d+$" }],
        description: allowed,
    });
}

/** A finite number, given as a number or a numeric string. */
export function num(range: Range = {}, allowed = rangeText("a number", range)) {
    let n = z.number({ error: allowed });
    if (range.min !== undefined) n = n.min(range.min, { error: allowed });
    if (range.max !== undefined) n = n.max(range.max, { error: allowed });
    return withJson(z.preprocess(numberFromString, n), {
        anyOf: [{ type: "number", ...jsonRange(range) }, { type: "string", pattern: "^-?\\d+(\\.\\d+)?$" }],
        description: allowed,
    });
}

function jsonRange({ min, max }: Range): Record<string, number> {
    return { ...(min !== undefined ? { minimum: min } : {}), ...(max !== undefined ? { maximum: max } : {}) };
}

/** true/false; the strings "true"/"false" too (as `pulumi config set` stores them). */
export function bool(allowed = "true or false") {
    return withJson(
        z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean({ error: allowed })),
        { anyOf: [{ type: "boolean" }, { type: "string", enum: ["true", "false"] }], description: allowed },
    );
}

export function str(allowed = "a string") {
    return z.string({ error: allowed });
}

/** A string that is not empty or blank. */
export function text(allowed = "a non-empty string") {
    return z.string({ error: allowed }).refine((s) => s.trim() !== "", { error: allowed });
}

/** A string matching `pattern`; `allowed` says in words what that is. */
export function matching(pattern: RegExp, allowed: string) {
    return z.string({ error: allowed }).regex(pattern, { error: allowed });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, allowed = `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`) {
    return z.enum(values, { error: allowed });
}

export function list<T extends z.ZodType>(item: T, allowed = "a list") {
    return z.array(item, { error: allowed });
}

/** A YAML mapping with exactly these keys (a typo such as `memmory` is an error naming the known keys). */
export function mapping<S extends z.ZodRawShape>(shape: S, name?: string) {
    const known = Object.keys(shape).join(", ");
    return z.strictObject(shape, {
        error: (iss) => (iss.code === "unrecognized_keys" ? `one of the known keys${name ? ` of ${name}` : ""}: ${known}` : "an object (a YAML mapping)"),
    });
}

/** A mapping whose absence means `{}`, so its defaults apply. */
export function block<S extends z.ZodRawShape>(shape: S, name?: string) {
    return mapping(shape, name).prefault({} as z.input<z.ZodObject<S>>);
}

export const MEMORY_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
const MEMORY = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])i?b?|(b))\s*$/i;
/**
 * Smallest and largest memory a container may be given: below 16 MiB not even etcd starts, above
 * 32 TiB is a typo. (Too little for Milvus itself is the health gate's to report, naming the OOM.)
 */
export const MEMORY_BOUNDS = { min: 16 * 1024 ** 2, max: 32 * 1024 ** 4 } as const;
export const MEMORY_ALLOWED = 'a memory size with its unit, such as "512m", "16g" or "2Gi" (units b, k, m, g, t; from 16m to 32t)';

/** Bytes of a memory size such as "512m", "16g", "1.5g", "2Gi"; undefined when it is not one (a unit is required). */
export function memoryBytes(value: unknown): number | undefined {
    if (typeof value !== "string") return undefined;
    const m = MEMORY.exec(value);
    if (!m) return undefined;
    const bytes = Math.round(Number(m[1]) * MEMORY_UNITS[(m[2] ?? m[3]).toLowerCase()]);
    return bytes >= MEMORY_BOUNDS.min && bytes <= MEMORY_BOUNDS.max ? bytes : undefined;
}

/** A memory size in bytes (a number without a unit is refused: `16` would be 16 bytes). */
export function memory(allowed = MEMORY_ALLOWED) {
    return withJson(
        z.unknown().transform((v, ctx) => {
            const bytes = memoryBytes(v);
            if (bytes === undefined) {
                ctx.addIssue({ code: "custom", message: allowed, input: v });
                return z.NEVER;
            }
            return bytes;
        }),
        { type: "string", pattern: "^\\d+(\\.\\d+)?\\s*([kmgtKMGT][iI]?[bB]?|[bB])$", description: allowed },
    );
}

export function port(allowed = "a TCP port from 1 to 65535") {
    return int({ min: 1, max: 65535 }, allowed);
}

const DNS_NAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;

/** An IP address (v4 or v6) or a DNS name; nothing with spaces or other characters. */
export function isHostAddress(value: string): boolean {
    return isIP(value) !== 0 || DNS_NAME.test(value);
}

/** Loopback by parsing, not by prefix: 127.0.0.0/8, ::1 (and its v4-mapped form) and "localhost". */
export function isLoopback(host: string): boolean {
    const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
    if (h === "localhost" || h === "localhost.") return true;
    if (isIP(h) === 4) return h.split(".")[0] === "127";
    if (isIP(h) === 6) {
        const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
        if (mapped) return isLoopback(mapped[1]);
        return /^(0{0,4}:){7}0{0,3}1$|^::1$|^(0{0,4}:){1,6}:0{0,3}1$/.test(h);
    }
    return false;
}

/** The unspecified address: binding there publishes on every interface. */
export function isAnyAddress(host: string): boolean {
    const h = host.trim().replace(/^\[(.*)\]$/, "$1");
    return h === "0.0.0.0" || (isIP(h) === 6 && /^[0:]+$/.test(h));
}

export function hostAddress(allowed = 'an IP address or DNS name such as "0.0.0.0", "127.0.0.1" or "gpu1.example.com"') {
    return z
        .string({ error: allowed })
        .trim()
        .refine(isHostAddress, { error: allowed });
}

/** Drops `null` map values, which YAML gives for a key with nothing after it: such a key counts as unset. */
function withoutNulls(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (typeof value === "object" && value !== null) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
        return out;
    }
    return value;
}

function joinPath(field: string, path: readonly PropertyKey[]): string {
    let out = field;
    for (const seg of path) {
        if (typeof seg === "number") out += `[${seg}]`;
        else out += out === "" ? String(seg) : `.${String(seg)}`;
    }
    return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let v = root;
    for (const seg of path) {
        if (typeof v !== "object" || v === null) return undefined;
        v = (v as Record<PropertyKey, unknown>)[seg];
    }
    return v;
}

/** Default "allowed" texts for issues a leaf did not word itself. */
function fallbackAllowed(iss: z.core.$ZodRawIssue): string {
    switch (iss.code) {
        case "invalid_type":
            if (iss.expected === "array") return "a list";
            if (iss.expected === "object") return "an object (a YAML mapping)";
            if (iss.expected === "boolean") return "true or false";
            return `a ${iss.expected}`;
        case "invalid_value":
            return `one of ${iss.values.map((v) => JSON.stringify(v)).join(", ")}`;
        case "unrecognized_keys":
            return "one of the known keys";
        default:
            return typeof iss.message === "string" && iss.message ? iss.message : "a valid value";
    }
}

/** Turns zod issues into ConfigErrors, one per bad key (an unknown-keys issue names each key). */
export function configErrorsFromIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, field: string): ConfigError[] {
    const out: ConfigError[] = [];
    for (const iss of issues) {
        if (iss.code === "unrecognized_keys") {
            for (const key of iss.keys) {
                const path = [...iss.path, key];
                out.push(new ConfigError(joinPath(field, path), valueAt(raw, path), iss.message));
            }
            continue;
        }
        // The value as the user wrote it (before any coercion), else what the check saw.
        const input = (iss as { input?: unknown }).input;
        const written = valueAt(raw, iss.path);
        // A cross-field check names the value it judged (unless it asked for the written one).
        const given = iss.code === "custom" && input !== GIVEN ? input : input === GIVEN || written !== undefined ? written : input;
        out.push(new ConfigError(joinPath(field, iss.path), given, iss.message));
    }
    return out;
}

/**
 * Parses `raw` with `schema`, collecting every problem in one pass, and throws them as
 * ConfigErrors whose fields start with `field` (empty for top-level stack keys).
 */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown, field: string): z.output<S> {
    const input = withoutNulls(raw);
    const result = schema.safeParse(input, { reportInput: true, error: fallbackAllowed });
    if (result.success) return result.data;
    const errors = configErrorsFromIssues(result.error.issues, input, field);
    if (errors.length === 1) throw errors[0];
    throw new ConfigErrors(errors);
}

/** Adds a ConfigError-shaped issue from a cross-field check (`path` is relative to the checked object). */
export function report(ctx: z.core.$RefinementCtx<unknown>, path: PropertyKey[], input: unknown, allowed: string): void {
    ctx.addIssue({ code: "custom", message: allowed, path, input, continue: true });
}

/** Marks an issue whose value is the one given at its path in the raw input (not the parsed one). */
const GIVEN: unique symbol = Symbol("the value given");

/**
 * Like report, but the error shows the value as the user wrote it at that path (e.g. a whole
 * block that must be unset, or "256Mi" rather than its parsed form).
 */
export function reportGiven(ctx: z.core.$RefinementCtx<unknown>, path: PropertyKey[], allowed: string): void {
    ctx.addIssue({ code: "custom", message: allowed, path, input: GIVEN, continue: true });
}

/**
 * The JSON Schema of a config block: zod's conversion of the input side. Leaves registered in
 * `jsonShape` (coercions zod has no JSON form for) are replaced by their fragment, keeping the
 * default and description set on them; other preprocess leaves are shown as what they feed.
 */
export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
    const json = z.toJSONSchema(schema, {
        io: "input",
        unrepresentable: "any",
        override: (ctx) => {
            const target = ctx.jsonSchema as Record<string, unknown>;
            const own = jsonShape.get(ctx.zodSchema as unknown as z.ZodType)?.json;
            if (own) {
                const { default: dflt, description } = target;
                for (const k of Object.keys(target)) delete target[k];
                Object.assign(target, own);
                if (dflt !== undefined) target.default = dflt;
                if (typeof description === "string" && description !== own.description) {
                    target.description = own.description ? `${description}. Allowed: ${String(own.description)}` : description;
                }
                return;
            }
            const def = (ctx.zodSchema as unknown as { _zod: { def: { type: string; defaultValue?: unknown; in?: { _zod: { def: { type: string } } }; out?: z.ZodType } } })._zod.def;
            // zod leaves a default off when what it wraps is a coercion; the value is the same either way.
            if ((def.type === "default" || def.type === "prefault") && target.default === undefined && def.defaultValue !== undefined) {
                const value = def.defaultValue;
                if (typeof value !== "object" || value === null || Object.keys(value).length > 0) target.default = value;
            }
            // z.preprocess(f, inner): the input side is `unknown`; describe what it feeds instead.
            if (def.type === "pipe" && def.in?._zod.def.type === "transform" && def.out) {
                const { description } = target;
                for (const k of Object.keys(target)) delete target[k];
                Object.assign(target, toJsonSchema(def.out), typeof description === "string" ? { description } : {});
            }
        },
    }) as Record<string, unknown>;
    delete json.$schema;
    return json;
}

/** Collects ConfigErrors from several parsers, so one run reports every problem. */
export class ProblemList {
    readonly errors: ConfigError[] = [];

    add(field: string, value: unknown, allowed: string): void {
        this.errors.push(new ConfigError(field, value, allowed));
    }

    /** Runs `parse`, keeping its ConfigError(s) instead of throwing; undefined when it failed. */
    read<T>(parse: () => T): T | undefined {
        try {
            return parse();
        } catch (e) {
            if (e instanceof ConfigError) this.errors.push(e);
            else if (e instanceof ConfigErrors) this.errors.push(...e.errors);
            else throw e;
            return undefined;
        }
    }

    throwIfAny(): void {
        if (this.errors.length === 1) throw this.errors[0];
        if (this.errors.length > 1) throw new ConfigErrors(this.errors);
    }
}

/** Cross-field checks run even when some fields failed, so one run reports everything. */
export const always = { when: () => true } as const;
