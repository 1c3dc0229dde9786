import { AccessReport } from "../access/step";
import { CanaryReport, CollectionReport, SchemaReport } from "../verify/report";
import { SloReport } from "../verify/sloReport";
import { AppliedStep } from "./applied";
import { ServerFacts } from "./connect";
import { SchemaStepSettings } from "./input";

/** What the phases produced, as values. */
export interface StepOutcome {
    input: SchemaStepSettings;
    server: ServerFacts;
    steps: readonly AppliedStep[];
    collections: CollectionReport[];
    canaries: CanaryReport[];
    slos: SloReport[];
    access?: AccessReport;
    timingsMs: SchemaReport["timingsMs"];
}

function summaryOf(o: StepOutcome): string {
    const { verify } = o.input;
    const changes = o.steps.length;
    return (
        (changes > 0 ? `${changes} change${changes === 1 ? "" : "s"} applied` : "no changes: the schema already matches") +
        (verify.enabled ? `; ${o.canaries.length} canar${o.canaries.length === 1 ? "y" : "ies"} run` : "; verification disabled") +
        (o.slos.length ? `; SLO ${o.slos.every((r) => r.passed) ? "met" : "MISSED"}` : "") +
        (verify.enabled && verify.slo && !o.slos.length ? "; SLO not run: no dense vector index declared" : "")
    );
}

/** The step's report, built from the values the phases recorded. */
export function schemaReportOf(o: StepOutcome): SchemaReport {
    const failures = [
        ...o.collections.flatMap((c) => c.failures.map((f) => `collection ${c.name}: ${f}`)),
        ...o.canaries.flatMap((k) => k.failures.map((f) => `canary ${k.index.type}/${k.index.metric}: ${f}`)),
        ...o.slos.flatMap((r) => r.failures.map((f) => `slo ${r.index.type}/${r.index.metric}: ${f}`)),
        ...(o.access?.failures.map((f) => `access: ${f}`) ?? []),
    ];
    return {
        address: o.input.address,
        serverVersion: o.server.serverVersion,
        capabilities: o.server.capabilities,
        changed: o.steps.length > 0,
        summary: summaryOf(o),
        recallThreshold: o.input.verify.recallThreshold,
        collections: o.collections,
        canaries: o.canaries,
        ...(o.input.verify.slo ? { slo: o.slos } : {}),
        ...(o.access ? { access: o.access } : {}),
        passed: failures.length === 0,
        failures,
        timingsMs: o.timingsMs,
        finishedAt: new Date().toISOString(),
    };
}
