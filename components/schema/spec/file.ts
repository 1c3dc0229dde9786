import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../../errors";

export const PROJECT = "milvus-gpu";

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads the raw schema and verify options from a file, in any of three shapes:
 * a Pulumi stack file (`config: { milvus-gpu:schema, milvus-gpu:verify }`), a file with
 * top-level `schema` / `verify`, or a bare schema (`collections: [...]`). YAML or JSON.
 * Validation is left to parseSchemaSettings / parseVerifySettings.
 */
export function readSpecDocument(doc: unknown, source: string): { schema: unknown; verify: unknown } {
    if (!isObject(doc)) throw new ConfigError(source, doc, "a YAML/JSON mapping");
    if (isObject(doc.config)) {
        const schema = doc.config[`${PROJECT}:schema`];
        if (schema === undefined) throw new ConfigError(`${source}: config.${PROJECT}:schema`, undefined, "the declared schema in the stack's config");
        return { schema, verify: doc.config[`${PROJECT}:verify`] };
    }
    if ("schema" in doc) return { schema: doc.schema, verify: doc.verify };
    return { schema: doc, verify: undefined };
}

export function readSpecFile(path: string): { schema: unknown; verify: unknown } {
    return readSpecDocument(parseYaml(readFileSync(path, "utf8")), path);
}
