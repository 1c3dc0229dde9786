import { AccessAction, describeAccessAction } from "../access/plan";
import { DatabaseAction, describeDatabaseAction } from "../collections/databases";

/** One change the step made, as a value: the report is built from these, never from their wording. */
export type AppliedStep =
    | { kind: "database"; action: DatabaseAction }
    | { kind: "collection"; database: string; collection: string; description: string }
    | { kind: "access"; action: AccessAction };

export function describeApplied(step: AppliedStep): string {
    switch (step.kind) {
        case "database":
            return describeDatabaseAction(step.action);
        case "collection":
            return step.description;
        case "access":
            return describeAccessAction(step.action);
    }
}
