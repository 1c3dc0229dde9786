import { describe, expect, it } from "vitest";
import { AppliedStep, describeApplied } from "../../../../components/schema/step/applied";
import { schemaReportOf, StepOutcome } from "../../../../components/schema/step/report";
import { parseSchemaStepSettings } from "../../../../components/schema/step/input";

const input = parseSchemaStepSettings({ address: "h:1", spec: { collections: [] } });
const server = { healthMs: 1, serverVersion: "v2.5.4", capabilities: { reported: "v2.5.4", gpu: false, checked: true } };
const steps: AppliedStep[] = [
    { kind: "database", action: { kind: "createDatabase", database: "app_a" } },
    { kind: "collection", database: "app_a", collection: "docs", description: "create collection docs" },
    { kind: "access", action: { kind: "createRole", role: "reader" } },
];

function outcome(more: Partial<StepOutcome> = {}): StepOutcome {
    return { input, server, steps, collections: [], canaries: [], slos: [], timingsMs: { health: 1, reconcile: 2, verify: 3, total: 6 }, ...more };
}

describe("the step's report, built from the recorded steps", () => {
    it("counts every applied step and reads as the step always has", () => {
        const r = schemaReportOf(outcome());
        expect(r).toMatchObject({ address: "h:1", serverVersion: "v2.5.4", changed: true, passed: true, failures: [] });
        expect(r.summary).toBe("3 changes applied; 0 canaries run");
        expect(steps.map(describeApplied)).toEqual(["create database app_a", "create collection docs", "create role reader"]);
    });

    it("says nothing changed when no step was recorded, and gathers failures by where they happened", () => {
        const r = schemaReportOf(
            outcome({
                steps: [],
                collections: [{ name: "docs", status: "unchanged", applied: [], notes: [], loaded: false, searches: [], passed: false, failures: ["not loaded"] }],
            }),
        );
        expect(r.changed).toBe(false);
        expect(r.summary).toBe("no changes: the schema already matches; 0 canaries run");
        expect(r.failures).toEqual(["collection docs: not loaded"]);
        expect(r.passed).toBe(false);
    });
});

describe("the access part of the report", () => {
    it("lists the databases and access changes it applied, not the collection steps, without reading their wording", async () => {
        const { checkAccessPhase } = await import("../../../../components/schema/step/verify");
        const withAccess = parseSchemaStepSettings({
            address: "h:1",
            spec: { collections: [], access: { required: false, roles: [{ name: "reader", grants: [] }], users: [] } },
            verify: { enabled: false },
        });
        const ctx = { input: withAccess, during: <T>(_phase: string, work: () => Promise<T>) => work() } as unknown as Parameters<typeof checkAccessPhase>[0];
        const access = await checkAccessPhase(ctx, { ...server, access: withAccess.spec.access }, { actions: [], drift: [], notes: ["a note"] }, steps);
        expect(access).toMatchObject({ applied: ["create database app_a", "create role reader"], notes: ["a note"], checked: false, users: [], passed: true });
    });
});
