import { describe, expect, it } from "vitest";
import { recordResources } from "../../helpers/pulumiMocks";
import { engineConfigFor } from "../../helpers/stackConfig";

describe("stack config errors stop the program before any resource", () => {
    it("names the bad key", async () => {
        const recorded = recordResources({ stack: "broken", config: engineConfigFor("dev", { "milvus-gpu:milvus": { memory: "lots" } }) });
        const { runStack } = await import("../../../stacks");
        expect(() => runStack()).toThrowError(/milvus\.memory: invalid value "lots"/);
        expect(recorded).toHaveLength(0);
    });
});
