import { describe, expect, it } from "vitest";
import { makeSchemaProvider, pipelineModule, SchemaDeploymentInputs } from "../../../../components/schema/step/provider";

/** The engine's stand-in for a value another resource computes, as a dynamic provider's check sees it in preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const spec = { collections: [] };

describe("the schema step's check during preview", () => {
    const provider = makeSchemaProvider(pipelineModule());

    it("passes inputs that are not known yet (a TLS certificate made on the host) and judges the rest", async () => {
        const r = await provider.check!({} as SchemaDeploymentInputs, { address: "localhost:19530", spec, tls: true, tlsCaPem: UNKNOWN, tlsServerName: "localhost" } as SchemaDeploymentInputs);
        expect(r.failures ?? []).toEqual([]);
        const addressUnknown = await provider.check!({} as SchemaDeploymentInputs, { address: UNKNOWN, spec, healthTimeoutSeconds: 0 } as unknown as SchemaDeploymentInputs);
        expect((addressUnknown.failures ?? []).map((f) => f.property)).toEqual(["healthTimeoutSeconds"]);
    });

    it("still refuses a known CA that is not a certificate", async () => {
        const r = await provider.check!({} as SchemaDeploymentInputs, { address: "localhost:19530", spec, tlsCaPem: "not a certificate" } as SchemaDeploymentInputs);
        expect((r.failures ?? []).map((f) => f.property)).toEqual(["tlsCaPem"]);
    });
});
