import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../components/errors";
import { passwordMapOf, type SchemaSettings } from "../components/schema";
import { PROJECT } from "./namespace";

/**
 * `milvus-gpu:accessPasswords`: passwords of the users declared under `schema.access.users`,
 * by user name, each a secret (`pulumi config set --secret --path 'accessPasswords.<user>' ...`).
 * Users not listed get generated passwords. Kept out of `schema` so the schema stays plain,
 * reviewable config while the passwords stay secrets from the stack file to the state.
 */
export const ACCESS_PASSWORDS_KEY = "accessPasswords";

/** Reads the passwords as Pulumi secrets (empty when the key is unset). */
export function loadAccessPasswords(): Record<string, pulumi.Output<string>> {
    const text = pulumi.runtime.allConfig()[`${PROJECT}:${ACCESS_PASSWORDS_KEY}`];
    if (text === undefined) return {};
    return Object.fromEntries(Object.entries(parseAccessPasswords(text)).map(([user, password]) => [user, pulumi.secret(password)]));
}

/** The key's value as the engine hands it over (JSON text); values are never put in messages. */
export function parseAccessPasswords(text: string): Record<string, string> {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        value = undefined;
    }
    return passwordMapOf(value, {
        field: ACCESS_PASSWORDS_KEY,
        shown: "(not shown)",
        allowed: "a mapping of user name to password, each set with pulumi config set --secret --path 'accessPasswords.<user>' <password>",
        entries: ACCESS_PASSWORDS_KEY,
    });
}

/**
 * The user names a value of the key gives passwords for: its mapping's keys, readable even when
 * each password is encrypted (`--path 'accessPasswords.<user>'`). Encrypted whole, the names are
 * not visible (offline tools see none; the program sees them decrypted).
 */
export function accessPasswordUsers(value: unknown): string[] {
    if (typeof value === "string") {
        try {
            return accessPasswordUsers(JSON.parse(value));
        } catch {
            return [];
        }
    }
    if (typeof value !== "object" || value === null || Array.isArray(value) || "secure" in value) return [];
    return Object.keys(value);
}

/** A password for a user the schema does not declare (a typo, most likely): refused, naming the stack key, never the value. */
export class UndeclaredPasswordUserError extends ConfigError {
    constructor(user: string, declared: readonly string[]) {
        const key = `${PROJECT}:${ACCESS_PASSWORDS_KEY}.${user}`;
        const users = declared.length ? `declared: ${declared.join(", ")}` : "none is declared";
        super(key, "(not shown)", `a user declared under schema.access.users (${users})`);
        this.message = `${key}: user ${JSON.stringify(user)} is not declared under schema.access.users (${users}); declare the user there, or remove its password with pulumi config rm --path '${ACCESS_PASSWORDS_KEY}.${user}'`;
    }
}

/** Every password whose user the schema does not declare, with or without an access block. */
export function undeclaredAccessPasswords(schema: SchemaSettings, users: readonly string[]): ConfigError[] {
    const declared = schema.access?.users.map((u) => u.name) ?? [];
    return users.filter((u) => !declared.includes(u)).map((u) => new UndeclaredPasswordUserError(u, declared));
}
