/**
 * The one error type for bad input anywhere in the package. It always names the
 * field (a dotted path such as `standalone.milvus.memory`), the value that was
 * given and what would have been accepted, so a user can fix their stack config
 * without reading source.
 */
export class ConfigError extends Error {
    readonly field: string;
    readonly value: unknown;
    readonly allowed: string;

    constructor(field: string, value: unknown, allowed: string) {
        super(`${field}: invalid value ${describeValue(value)}; expected ${allowed}`);
        this.name = "ConfigError";
        this.field = field;
        this.value = value;
        this.allowed = allowed;
    }
}

/** Several ConfigErrors found in one pass, reported together. */
export class ConfigErrors extends Error {
    readonly errors: ConfigError[];

    constructor(errors: ConfigError[]) {
        super(errors.map((e) => e.message).join("\n"));
        this.name = "ConfigErrors";
        this.errors = errors;
    }
}

export function describeValue(value: unknown): string {
    if (value === undefined) return "(missing)";
    if (typeof value === "string") return JSON.stringify(value);
    try {
        const json = JSON.stringify(value);
        return json.length > 120 ? `${json.slice(0, 117)}...` : json;
    } catch {
        return String(value);
    }
}
