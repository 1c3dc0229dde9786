import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configDocs, STACK_SCHEMA_FILE } from "../../../stacks/configDocs";
import { stackFileJsonSchema } from "../../../stacks/jsonSchema";

const ROOT = path.resolve(__dirname, "../../..");
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(stackFileJsonSchema());
const valid = (config: Record<string, unknown>) => validate({ config });

describe("the stack-file JSON Schema (generated from the config schemas)", () => {
    it.each(["dev", "staging", "production"])("accepts the example Pulumi.%s.yaml, which points editors at it", (stack) => {
        const text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
        expect(text.split("\n")[0]).toBe(`# yaml-language-server: $schema=./${STACK_SCHEMA_FILE}`);
        expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    });

    it.each([
        ["memory without a unit", { "milvus-gpu:milvus": { memory: 16 } }],
        ["a typo in a key", { "milvus-gpu:milvus": { memmory: "4g" } }],
        ["an unknown top-level key", { "milvus-gpu:milvsu": {} }],
        ["an unknown mode", { "milvus-gpu:mode": "distributed" }],
        ["a port out of range", { "milvus-gpu:milvus": { grpcPort: 70000 } }],
        ["a plain-text secret", { "milvus-gpu:rootPassword": "hunter2" }],
        ["an unknown host type", { "milvus-gpu:host": { type: "vm" } }],
        ["a bad index type", { "milvus-gpu:schema": { collections: [{ name: "c", fields: [], indexes: [{ field: "v", type: "HNSWW" }] }] } }],
        ["an unknown cluster key", { "milvus-gpu:cluster": { replicaz: 3 } }],
        ["a bad TLS mode", { "milvus-gpu:milvus": { tls: { mode: "two-way" } } }],
    ])("rejects %s", (_, config) => {
        expect(valid(config)).toBe(false);
    });

    it("accepts values as `pulumi config set` stores them, other namespaces and keys without a namespace", () => {
        expect(valid({ "milvus-gpu:waitTimeoutSeconds": "300", "milvus-gpu:milvus": { auth: "true", memory: "8Gi" } })).toBe(true);
        expect(valid({ "docker:host": "ssh://x", "kubernetes:context": "k", mode: "cluster" })).toBe(true);
        expect(valid({ "milvus-gpu:rootPassword": { secure: "v1:abc" } })).toBe(true);
    });

    it("is committed as generated, and so is the config reference in docs/configuration.md", () => {
        for (const [file, content] of Object.entries(configDocs(ROOT))) {
            expect(fs.readFileSync(path.join(ROOT, file), "utf8"), `${file} is stale: run npm run config-docs`).toBe(content);
        }
    });
});
