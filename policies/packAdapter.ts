import { PolicyRule, ResourceView, ruleSettings, stackOfUrn, UNKNOWN } from "./view";

/*
 * Glue between @pulumi/policy's arguments and the rules' ResourceView. Kept apart from
 * index.ts (which constructs the PolicyPack and so starts a gRPC server) so it can be tested.
 */

/**
 * The strings @pulumi/policy puts where a value is unknown during preview (its internal
 * proxy module; fixed values of the engine's wire protocol, checked by the tests).
 */
export const POLICY_UNKNOWN_SENTINELS: readonly string[] = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
];
const SENTINELS = new Set(POLICY_UNKNOWN_SENTINELS);
/** The policy SDK's proxy hands out its raw target under this key. */
const PROXY_TARGET = "__getSpecialProxyTarget";

/** A plain copy of policy props: proxies unwrapped, unknown values replaced by UNKNOWN. */
export function plainProps(value: unknown): unknown {
    if (typeof value === "string") return SENTINELS.has(value) ? UNKNOWN : value;
    if (typeof value !== "object" || value === null) return value;
    const raw = (value as Record<string, unknown>)[PROXY_TARGET] ?? value;
    if (Array.isArray(raw)) return raw.map(plainProps);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k] = plainProps(v);
    return out;
}

export function viewOf(r: { type: string; name: string; urn: string; props: unknown }): ResourceView {
    return { type: r.type, name: r.name, urn: r.urn, props: plainProps(r.props) as Record<string, unknown> };
}

/** A violation as the pack reports it: the message, then the rule's fix hint. */
export function packMessage(rule: PolicyRule, message: string): string {
    return `${message}. Fix: ${rule.fix}`;
}

/** Runs one rule's resource check the way the pack does (level and settings come from the engine). */
export function runResourceRule(rule: PolicyRule, resource: ResourceView, settings: Record<string, unknown> | undefined, report: (message: string) => void): void {
    const ctx = { stack: stackOfUrn(resource.urn), config: ruleSettings(rule, settings) };
    rule.validateResource?.(resource, (m) => report(packMessage(rule, m)), ctx);
}

export function runStackRule(
    rule: PolicyRule,
    resources: ResourceView[],
    settings: Record<string, unknown> | undefined,
    report: (message: string, urn?: string) => void,
): void {
    const ctx = { stack: stackOfUrn(resources[0]?.urn), config: ruleSettings(rule, settings) };
    rule.validateStack?.(resources, (m, r) => report(packMessage(rule, m), r?.urn), ctx);
}
