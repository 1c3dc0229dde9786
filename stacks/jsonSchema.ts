import { toJsonSchema, z } from "../components/configSchema";
import { cloreHostSchema } from "../components/clore/config";
import { localHostSchema, sshHostSchema } from "../components/host/hostConfig";
import { standaloneSettingsShape } from "../components/standalone/settings";
import { MODES, SECRET_KEYS } from "./config";
import { configBlockSchemas } from "./configBlocks";
import { PROJECT } from "./namespace";
import { ACCESS_PASSWORDS_KEY } from "./accessPasswords";

type Json = Record<string, unknown>;

const SECURE = {
    type: "object",
    properties: { secure: { type: "string" } },
    required: ["secure"],
    additionalProperties: false,
    description: "An encrypted value: set it with `pulumi config set --secret`.",
};

/** The JSON Schema of a Pulumi.<stack>.yaml of this project: every key of our namespace, typed; other namespaces free. */
export function stackFileJsonSchema(): Json {
    const keys: Record<string, Json> = {
        mode: { type: "string", enum: [...MODES], default: "standalone", description: "standalone (Docker host) or cluster (Kubernetes)" },
        host: {
            description: "Where the standalone deployment runs: this machine's Docker, a Docker host over SSH, or a rented Clore.ai server",
            anyOf: [toJsonSchema(localHostSchema), toJsonSchema(sshHostSchema), toJsonSchema(cloreHostSchema)],
        },
        schemaAddress: { type: "string", pattern: "^[^\\s:/]+:\\d{1,5}$", description: "host:port the post-deploy step uses to reach Milvus" },
    };
    for (const [key, schema] of Object.entries(standaloneSettingsShape)) keys[key] = toJsonSchema(schema as z.ZodType);
    for (const [key, schema] of Object.entries(configBlockSchemas)) keys[key] = toJsonSchema(schema);
    for (const key of SECRET_KEYS) keys[key] = SECURE;
    keys[ACCESS_PASSWORDS_KEY] = {
        description: "Passwords of users declared under schema.access.users, by user name, each encrypted (pulumi config set --secret --path 'accessPasswords.<user>' ...); users not listed get generated passwords",
        anyOf: [SECURE, { type: "object", additionalProperties: SECURE }],
    };

    const properties: Record<string, Json> = {};
    const defs: Record<string, Json> = {};
    for (const [key, schema] of Object.entries(keys)) {
        defs[key] = schema;
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
