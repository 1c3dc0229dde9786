import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseWith } from "../../../components/configSchema";
import { stackFileJsonSchema } from "../../../stacks/jsonSchema";
import { DECLARED_DEFAULTS, inputDefault, KNOWN_KEYS, keysOfKind, SECRET_HOLDING_KEYS, SECRET_KEYS, STACK_KEYS } from "../../../stacks/model";

const ROOT = path.resolve(__dirname, "../../..");

describe("the stack config model (one per key: parsing, JSON Schema, Pulumi.yaml and defaults come from it)", () => {
    it("gives the stack-file schema exactly its keys, each under the namespace and without it", () => {
        const schema = stackFileJsonSchema();
        expect(Object.keys(schema.$defs as object)).toEqual(KNOWN_KEYS);
        const properties = Object.keys(((schema.properties as Record<string, Record<string, unknown>>).config.properties as object) ?? {});
        expect(properties).toEqual(KNOWN_KEYS.flatMap((k) => [`milvus-gpu:${k}`, k]));
    });

    it("derives each declared default from the key's schema: parsing the default gives what parsing nothing gives", () => {
        for (const [key, value] of Object.entries(DECLARED_DEFAULTS)) {
            const schema = STACK_KEYS[key].schema;
            expect(inputDefault(schema), key).toEqual(value);
            expect(parseWith(schema, value, key), key).toEqual(parseWith(schema, undefined, key));
        }
        expect(DECLARED_DEFAULTS).toMatchObject({ mode: "standalone", release: "v3.0.2", waitTimeoutSeconds: 300, milvus: {}, host: {} });
    });

    it("declares in Pulumi.yaml what the model declares, with the model's defaults", () => {
        const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { config: Record<string, { default: unknown }> };
        expect(Object.keys(project.config)).toEqual(Object.keys(DECLARED_DEFAULTS));
        // Optional keys without a neutral default would become required if declared.
        for (const key of ["schemaAddress", "backup", ...SECRET_KEYS]) expect(project.config[key], key).toBeUndefined();
    });

    it("splits the keys by the kind of stack that reads them", () => {
        expect(keysOfKind("cluster")).toEqual(["cluster"]);
        expect(keysOfKind("standalone")).toEqual(expect.arrayContaining(["host", "namePrefix", "etcd", "minio", "milvus", "attu"]));
        expect(keysOfKind("shared")).toEqual(["mode", "schemaAddress", "schema", "verify", "backup"]);
        expect(SECRET_HOLDING_KEYS).toEqual([...SECRET_KEYS, "accessPasswords"]);
        const all = (["shared", "standalone", "cluster", "secret"] as const).flatMap(keysOfKind);
        expect(all.sort()).toEqual([...KNOWN_KEYS].sort());
    });
});
