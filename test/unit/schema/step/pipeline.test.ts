import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigErrors } from "../../../../components/errors";
import { DEFAULT_HEALTH_TIMEOUT_SECONDS, parseSchemaStepSettings } from "../../../../components/schema/step/pipeline";
import { readSpecFile } from "../../../../components/schema/spec/file";

const dev = readSpecFile(resolve(__dirname, "../../../../Pulumi.dev.yaml"));

describe("parseSchemaStepSettings", () => {
    it("accepts the dev spec with default health timeout", () => {
        const v = parseSchemaStepSettings({ address: "localhost:19530", spec: dev.schema, verify: dev.verify });
        expect(v.healthTimeoutSeconds).toBe(DEFAULT_HEALTH_TIMEOUT_SECONDS);
        expect(v.spec.collections[0].name).toBe("documents");
        expect(v.verify.canaryRows).toBe(1000);
    });

    it("rejects a search ef below the verification's k, since Milvus refuses ef < limit", () => {
        expect(() => parseSchemaStepSettings({ address: "h:1", spec: dev.schema, verify: { topK: 100, canaryRows: 1000 } })).toThrow(
            "schema.collections[0].indexes.embedding.searchParams.ef: invalid value 64; expected at least verify.topK (100)",
        );
    });

    it("reports address, spec, verify and timeout problems together", () => {
        try {
            parseSchemaStepSettings({ address: "", spec: { collections: "no" }, verify: { seed: -1 }, healthTimeoutSeconds: 0 });
            expect.unreachable();
        } catch (e) {
            expect(e).toBeInstanceOf(ConfigErrors);
            expect((e as ConfigErrors).errors.map((x) => x.field)).toEqual(["address", "schema.collections", "verify.seed", "healthTimeoutSeconds"]);
        }
    });
});

describe("readSpecFile", () => {
    it("reads the dev stack's config keys", () => {
        expect(Object.keys(dev.schema as object)).toEqual(["collections"]);
        expect(dev.verify).toMatchObject({ recallThreshold: 0.9 });
    });
});
