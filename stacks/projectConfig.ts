import { stringify } from "yaml";
import { stackFileJsonSchema } from "./jsonSchema";
import { DECLARED_DEFAULTS } from "./model";

type Json = Record<string, unknown>;

function typeOf(schema: Json): string {
    if (schema.type === "object" || schema.anyOf !== undefined) {
        const alternatives = (schema.anyOf as Json[] | undefined) ?? [];
        if (alternatives.length === 2 && alternatives[0].type === "integer") return "integer";
        return schema.type === "string" ? "string" : "object";
    }
    return String(schema.type);
}

/**
 * Pulumi.yaml's `config:` section: the keys the model declares (so `pulumi config` and the CLI
 * know them and check their types before the program runs), typed from the stack-file JSON
 * Schema, with the defaults the model derives from the schemas.
 */
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
