import { ConfigError, ConfigErrors } from "./errors";

/**
 * Small readers for untyped config (YAML, JSON, `pulumi.Config`). Each takes the dotted
 * field path so errors name exactly where the bad value sits. A `Problems` collector lets a
 * parser report every bad field in one pass instead of the first only.
 */
export class Problems {
    readonly errors: ConfigError[] = [];

    add(field: string, value: unknown, allowed: string): void {
        this.errors.push(new ConfigError(field, value, allowed));
    }

    /** Runs `read`, recording a ConfigError (or several) instead of throwing; returns undefined on error. */
    capture<T>(read: () => T): T | undefined {
        try {
            return read();
        } catch (e) {
            if (e instanceof ConfigError) this.errors.push(e);
            else if (e instanceof ConfigErrors) this.errors.push(...e.errors);
            else throw e;
            return undefined;
        }
    }

    /** Throws all recorded problems at once, if any. */
    throwIfAny(): void {
        if (this.errors.length === 1) throw this.errors[0];
        if (this.errors.length > 1) throw new ConfigErrors(this.errors);
    }
}

export type RawObject = Record<string, unknown>;

export function isObject(value: unknown): value is RawObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads an optional object; `undefined`/`null` become `{}`. */
export function objectAt(value: unknown, field: string): RawObject {
    if (value === undefined || value === null) return {};
    if (!isObject(value)) throw new ConfigError(field, value, "an object (a YAML mapping)");
    return value;
}

/** Rejects keys that are not in `known`, which catches typos such as `memmory`. */
export function rejectUnknownKeys(obj: RawObject, field: string, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
        if (!known.includes(key)) {
            throw new ConfigError(`${field}.${key}`, obj[key], `one of the known keys of ${field}: ${known.join(", ")}`);
        }
    }
}

export function optionalString(value: unknown, field: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") throw new ConfigError(field, value, "a string");
    return value;
}

export function requiredString(value: unknown, field: string): string {
    const s = optionalString(value, field);
    if (s === undefined || s.trim() === "") throw new ConfigError(field, value, "a non-empty string");
    return s;
}

export function optionalBoolean(value: unknown, field: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    // YAML and `pulumi config set` both may hand us strings.
    if (value === "true") return true;
    if (value === "false") return false;
    if (typeof value !== "boolean") throw new ConfigError(field, value, "true or false");
    return value;
}

export function optionalInteger(
    value: unknown,
    field: string,
    range: { min?: number; max?: number } = {},
): number | undefined {
    if (value === undefined || value === null) return undefined;
    const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    const { min, max } = range;
    const allowed = `an integer${min !== undefined ? ` >= ${min}` : ""}${max !== undefined ? `${min !== undefined ? " and" : ""} <= ${max}` : ""}`;
    if (typeof n !== "number" || !Number.isInteger(n)) throw new ConfigError(field, value, allowed);
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) throw new ConfigError(field, value, allowed);
    return n;
}

export function optionalNumber(
    value: unknown,
    field: string,
    range: { min?: number; max?: number } = {},
): number | undefined {
    if (value === undefined || value === null) return undefined;
    const n = typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)) ? Number(value) : value;
    const { min, max } = range;
    const allowed = `a number${min !== undefined ? ` >= ${min}` : ""}${max !== undefined ? `${min !== undefined ? " and" : ""} <= ${max}` : ""}`;
    if (typeof n !== "number" || !Number.isFinite(n)) throw new ConfigError(field, value, allowed);
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) throw new ConfigError(field, value, allowed);
    return n;
}

export function optionalEnum<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        throw new ConfigError(field, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
    }
    return value as T;
}

export function optionalArray(value: unknown, field: string): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw new ConfigError(field, value, "a list");
    return value;
}

const MEMORY_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * Parses a Docker-style memory size ("512m", "16g", "1.5g", "2Gi") into bytes.
 * Kubernetes-style binary suffixes (Ki, Mi, Gi, Ti) are accepted too.
 */
export function parseMemory(value: unknown, field: string): number {
    const allowed = 'a memory size such as "512m", "16g" or "2Gi" (a positive number with unit b, k, m, g, t)';
    if (typeof value !== "string" && typeof value !== "number") throw new ConfigError(field, value, allowed);
    const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmgt])?(?:i?b?)?\s*$/i.exec(String(value));
    if (!m) throw new ConfigError(field, value, allowed);
    const bytes = Math.round(Number(m[1]) * MEMORY_UNITS[(m[2] ?? "b").toLowerCase()]);
    if (!(bytes > 0)) throw new ConfigError(field, value, allowed);
    return bytes;
}
