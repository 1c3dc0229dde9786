/**
 * The one shape every rule reads: a resource as the policy engine hands it over
 * (`@pulumi/policy` ResourceValidationArgs) or as the offline collector records it
 * from the mocks. Keeping rules on this small view lets the same rule body run in
 * `pulumi preview --policy-pack` and in `npm run policy` without an engine.
 */
export interface ResourceView {
    /** Type token, e.g. "docker:index/container:Container". */
    type: string;
    /** Logical Pulumi name. */
    name: string;
    urn: string;
    /** Input properties (secrets unwrapped: rules must never print them). */
    props: Record<string, unknown>;
    /**
     * Dotted paths of props that were Pulumi secrets. Known offline (the collector sees
     * the wire format); the policy engine does not say, so there it is undefined.
     */
    secretPaths?: string[];
}

/**
 * Stands in for a value the engine cannot know yet (during `pulumi preview`, e.g. an id or a
 * generated password). Rules skip a check whose input is unknown: the same rules run again
 * with known values when `pulumi up` reaches the resource.
 */
export const UNKNOWN = "(unknown until deployed)";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN;
}

export type EnforcementLevel = "mandatory" | "advisory" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["mandatory", "advisory", "disabled"];

/** JSON-schema subset a rule uses to declare its own settings (Pulumi's policy config format). */
export interface RuleConfigSchema {
    properties: Record<string, { type: "string" | "number" | "integer" | "boolean"; description: string; default?: string | number | boolean }>;
}

export interface RuleContext {
    /** Stack the resources belong to (from their URNs). */
    stack: string;
    /** This rule's settings: its configSchema defaults overlaid with the user's policy config. */
    config: Record<string, unknown>;
}

export type ReportResource = (message: string) => void;
export type ReportStack = (message: string, resource?: ResourceView) => void;

export interface PolicyRule {
    name: string;
    description: string;
    /** What to change when the rule fires, shown with every violation. */
    fix: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: RuleConfigSchema;
    validateResource?: (resource: ResourceView, report: ReportResource, ctx: RuleContext) => void;
    validateStack?: (resources: ResourceView[], report: ReportStack, ctx: RuleContext) => void;
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` -> stack. */
export function stackOfUrn(urn: string | undefined): string {
    const m = /^urn:pulumi:([^:]+)::/.exec(urn ?? "");
    return m ? m[1] : "";
}

/** Defaults from a rule's configSchema with user values on top. */
export function ruleSettings(rule: PolicyRule, given: Record<string, unknown> | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, prop] of Object.entries(rule.configSchema?.properties ?? {})) {
        if (prop.default !== undefined) out[key] = prop.default;
    }
    for (const [key, value] of Object.entries(given ?? {})) {
        if (key !== "enforcementLevel") out[key] = value;
    }
    return out;
}
