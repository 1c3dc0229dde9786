import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");

/**
 * A Pulumi.<stack>.yaml's config as the engine hands it to a program: `project:key` ->
 * string, objects as JSON. Encrypted values are replaced by test placeholders; an override
 * replaces a key, or removes it when undefined.
 */
export function engineConfigFor(stack: string, overrides: Record<string, unknown> = {}): Record<string, string> {
    const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) ?? {};
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...(doc.config ?? {}), ...overrides })) {
        if (value === undefined) continue; // an override of undefined removes the key
        if (value && typeof value === "object" && "secure" in (value as object)) out[key] = `test-secret-for-${key}`;
        else out[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return out;
}
