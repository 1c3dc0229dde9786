import { describe, expect, it } from "vitest";
import { SCHEMA_STEP_INPUTS, schemaStepArgsOf, schemaStepProblems } from "../../../../components/schema/step/input";

const spec = {
    collections: [],
    access: { users: [{ name: "app", roles: [] }] },
};

describe("schemaStepProblems, the one check of the step's input", () => {
    it("judges everything when every value is known, names first", () => {
        const { problems, settings } = schemaStepProblems({ address: "a b", spec, passwords: { ap: "123456" }, healthTimeoutSeconds: 0 });
        expect(settings).toBeUndefined();
        expect(problems.map((p) => p.field)).toEqual(["address", "passwords.ap", "passwords.app", "healthTimeoutSeconds"]);
    });

    it("skips values not known yet and every rule that needs them, but still names passwords for undeclared users", () => {
        const pending = Symbol("pending");
        const isUnknown = (v: unknown) => v === pending;
        const { problems } = schemaStepProblems({ address: pending, spec, tlsCaPem: pending, tlsServerName: "bad name!", passwords: { ap: pending, app: pending } }, { isUnknown });
        // The TLS choices are judged together, so not while one of them is unknown; a missing password is not claimed while one is pending.
        expect(problems.map((p) => p.field)).toEqual(["passwords.ap"]);
        expect(problems[0].message).toMatch(/a user declared under schema\.access\.users: app/);
    });

    it("names the spec as the caller writes it (the component's `spec`, the stack's `schema`)", () => {
        const bad = { collections: "no" };
        expect(schemaStepProblems({ address: "h:1", spec: bad }).problems.map((p) => p.field)).toEqual(["schema.collections"]);
        expect(schemaStepProblems({ address: "h:1", spec: bad }, { names: { spec: "spec", verify: "verify" } }).problems.map((p) => p.field)).toEqual(["spec.collections"]);
    });

    it("returns the settings the pipeline runs on", () => {
        const { problems, settings } = schemaStepProblems({ address: "h:1", token: "root:pw", tls: true, spec: { collections: [] }, verify: { topK: 5 } });
        expect(problems).toEqual([]);
        expect(settings).toMatchObject({ address: "h:1", token: "root:pw", tls: { tls: true }, healthTimeoutSeconds: 120, passwords: {} });
        expect(settings!.verify.topK).toBe(5);
    });

    it("picks exactly the step's inputs out of a stored record", () => {
        const stored = { address: "h:1", spec: { collections: [] }, report: { passed: true }, healthTimeoutSeconds: 5 };
        expect(schemaStepArgsOf(stored)).toEqual({ address: "h:1", spec: { collections: [] }, healthTimeoutSeconds: 5 });
        expect(SCHEMA_STEP_INPUTS).toHaveLength(9);
    });
});
