import { toJsonSchema } from "../components/configSchema";
import { PROJECT } from "./namespace";
import { STACK_KEYS } from "./model";

type Json = Record<string, unknown>;

/** The JSON Schema of a Pulumi.<stack>.yaml of this project: every key of our namespace, typed; other namespaces free. */
export function stackFileJsonSchema(): Json {
    const properties: Record<string, Json> = {};
    const defs: Record<string, Json> = {};
    for (const [key, { schema }] of Object.entries(STACK_KEYS)) {
        defs[key] = toJsonSchema(schema);
        properties[`${PROJECT}:${key}`] = { $ref: `#/$defs/${key}` };
        // A key without a namespace is the project's, as Pulumi reads it.
        properties[key] = { $ref: `#/$defs/${key}` };
    }
    return {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        $id: "https://github.com/milvus-gpu/pulumi-milvus-gpu/stack-file.schema.json",
        title: `Pulumi.<stack>.yaml of the ${PROJECT} project`,
        type: "object",
        properties: {
            config: {
                type: "object",
                properties,
                // Keys of other namespaces (docker:host, kubernetes:context) are the providers' business.
                patternProperties: { [`^(?!${PROJECT}:)[^:]+:.+$`]: {} },
                additionalProperties: false,
            },
            secretsprovider: { type: "string" },
            encryptedkey: { type: "string" },
            encryptionsalt: { type: "string" },
            environment: {},
        },
        additionalProperties: false,
        $defs: defs,
    };
}
