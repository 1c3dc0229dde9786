import * as pulumi from "@pulumi/pulumi";
import { passwordMapOf } from "../components/schema";
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
