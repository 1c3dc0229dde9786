import { stringify } from "yaml";
import { stackFileJsonSchema } from "./jsonSchema";

type Json = Record<string, unknown>;

/**
 * The keys declared in Pulumi.yaml's `config:`, so `pulumi config` and the CLI know them and
 * check their types before the program runs. Pulumi makes a declared key without a default
 * required, so only keys with a neutral default are declared: the scalar keys with the
 * defaults the schemas apply anyway, and the blocks as empty mappings (absent and `{}` mean
 * the same to every block). Secrets and schemaAddress stay undeclared: they are optional and
 * have no default.
 */
export const DECLARED_DEFAULTS: Readonly<Record<string, unknown>> = {
    mode: "standalone",
    namePrefix: "milvus",
    dataDir: "/opt/milvus",
    release: "v3.0.2",
    restart: "unless-stopped",
    waitTimeoutSeconds: 300,
    host: {},
    etcd: {},
    minio: {},
    milvus: {},
    attu: {},
    schema: {},
    verify: {},
    cluster: {},
};

/** True when `value` is what Pulumi.yaml declares as the key's default (so it may have come from there). */
export function isDeclaredDefault(key: string, value: unknown): boolean {
    return key in DECLARED_DEFAULTS && JSON.stringify(DECLARED_DEFAULTS[key]) === JSON.stringify(value);
}

function typeOf(schema: Json): string {
    if (schema.type === "object" || schema.anyOf !== undefined) {
        const alternatives = (schema.anyOf as Json[] | undefined) ?? [];
        if (alternatives.length === 2 && alternatives[0].type === "integer") return "integer";
        return schema.type === "string" ? "string" : "object";
    }
    return String(schema.type);
}

/** Pulumi.yaml's `config:` section, from the stack-file JSON Schema. */
export function projectConfigSection(): string {
    const schema = stackFileJsonSchema();
    const defs = schema.$defs as Record<string, Json>;
    const config: Record<string, Json> = {};
    for (const [key, dflt] of Object.entries(DECLARED_DEFAULTS)) {
        const def = defs[key];
        const description = typeof def.description === "string" ? def.description : `see the README's config reference (${key})`;
        config[key] = { type: typeOf(def), description, default: dflt };
    }
    return stringify({ config }, { lineWidth: 0 });
}
