import { RunError } from "@pulumi/pulumi";

/**
 * The one error type for bad input anywhere in the package. A Pulumi RunError, so `pulumi up`
 * and `preview` print its message alone, without the program's stack trace. It always names the
 * field (a dotted path such as `standalone.milvus.memory`), the value that was
 * given and what would have been accepted, so a user can fix their stack config
 * without reading source.
 */
export class ConfigError extends RunError {
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
export class ConfigErrors extends RunError {
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

export interface FileProblem {
    line?: number;
    col?: number;
    problem: string;
}

/**
 * A stack (or spec) file that cannot be used: YAML that does not parse, or config values
 * that fail validation. Each problem carries the file, line and column it is about.
 */
export class StackFileError extends Error {
    constructor(
        readonly file: string,
        readonly problems: FileProblem[],
        /** The config errors behind the problems, when they are config errors. */
        readonly configErrors: ConfigError[] = [],
    ) {
        super(problems.map((p) => `${file}${p.line !== undefined ? `:${p.line}:${p.col ?? 1}` : ""}: ${p.problem}`).join("\n"));
        this.name = "StackFileError";
    }
}

/** Bad input of any kind (config values, a stack file, command-line flags): exit 2 with the message, no stack trace. */
export function isInputError(e: unknown): e is Error {
    return (
        e instanceof ConfigError ||
        e instanceof ConfigErrors ||
        e instanceof StackFileError ||
        (typeof (e as { code?: unknown })?.code === "string" && (e as { code: string }).code.startsWith("ERR_PARSE_ARGS"))
    );
}
