import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { ConfigError, ConfigErrors } from "../../errors";

/**
 * Reads `verify --passwords FILE`: a YAML (or JSON) mapping of declared user to password. The
 * contents are never put in a message: a bad entry is named by its user only.
 */
export function readPasswordsFile(file: string): Record<string, string> {
    let value: unknown;
    try {
        value = parse(readFileSync(file, "utf8"));
    } catch (e) {
        const why = (e as NodeJS.ErrnoException).code ? (e as Error).message.split("\n")[0] : "not YAML or JSON";
        throw new ConfigError("--passwords", file, `a readable YAML or JSON file mapping each declared user to its password (${why})`);
    }
    return passwordMapOf(value, { field: "--passwords", shown: file, allowed: "a YAML or JSON mapping of user name to password", entries: "passwords" });
}

/** A mapping of user name to password, or the errors naming what is not (values never shown). */
export function passwordMapOf(value: unknown, where: { field: string; shown: string; allowed: string; entries: string }): Record<string, string> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ConfigError(where.field, where.shown, where.allowed);
    const bad = Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v !== "string");
    if (bad.length) throw new ConfigErrors(bad.map(([user]) => new ConfigError(`${where.entries}.${user}`, "(not shown)", "a password (a string)")));
    return value as Record<string, string>;
}
