import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ConfigError } from "../../components/errors";

export interface RuntimeConfig {
    /** "project:key" -> value as the engine hands it to a program: strings, structured values as JSON. */
    config: Record<string, string>;
    /** Keys stored encrypted (`secure:`); their values cannot be read offline and are left out. */
    encryptedKeys: string[];
}

/** Converts the `config:` section of a Pulumi.<stack>.yaml into the runtime's config map. */
export function runtimeConfigFromYaml(doc: unknown, file: string): RuntimeConfig {
    if (doc === null || doc === undefined) return { config: {}, encryptedKeys: [] };
    if (typeof doc !== "object" || Array.isArray(doc)) throw new ConfigError(file, doc, "a YAML mapping with a config: section");
    const section = (doc as Record<string, unknown>).config ?? {};
    if (typeof section !== "object" || section === null || Array.isArray(section)) throw new ConfigError(`${file}: config`, section, "a mapping of config keys");
    const config: Record<string, string> = {};
    const encryptedKeys: string[] = [];
    for (const [key, value] of Object.entries(section)) {
        if (typeof value === "object" && value !== null && "secure" in value) {
            encryptedKeys.push(key);
            continue;
        }
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { config, encryptedKeys };
}

export function stackFilePath(root: string, stack: string): string {
    return path.join(root, `Pulumi.${stack}.yaml`);
}

/** Reads Pulumi.<stack>.yaml under `root`, naming the stacks that exist when it is missing. */
export function readRuntimeConfig(root: string, stack: string): RuntimeConfig {
    const file = stackFilePath(root, stack);
    if (!fs.existsSync(file)) {
        const stacks = fs.readdirSync(root).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice("Pulumi.".length, -".yaml".length));
        throw new ConfigError("--stack", stack, `a stack with a Pulumi.<stack>.yaml in ${root}: ${stacks.join(", ") || "(none)"}`);
    }
    return runtimeConfigFromYaml(parse(fs.readFileSync(file, "utf8")), path.basename(file));
}
