import { ConfigError } from "../components/errors";
import { RULES } from "./rules";
import { ENFORCEMENT_LEVELS, EnforcementLevel, PolicyRule, ResourceView, RuleContext, ruleSettings, stackOfUrn } from "./view";

/**
 * Per-rule policy config in the format `pulumi preview --policy-pack-config` reads:
 * `{ "<rule>": "advisory" }` or `{ "<rule>": { "enforcementLevel": "...", <settings> } }`,
 * and `"all"` for every rule at once.
 */
export type PolicyConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface Violation {
    rule: string;
    level: Exclude<EnforcementLevel, "disabled">;
    message: string;
    fix: string;
    resourceName?: string;
    resourceType?: string;
    urn?: string;
}

export function validatePolicyConfig(config: unknown, rules: readonly PolicyRule[] = RULES, file = "policy config"): PolicyConfig {
    if (typeof config !== "object" || config === null || Array.isArray(config)) throw new ConfigError(file, config, "a JSON object keyed by rule name");
    const names = rules.map((r) => r.name);
    for (const [key, value] of Object.entries(config)) {
        if (key !== "all" && !names.includes(key)) throw new ConfigError(`${file}.${key}`, value, `"all" or a rule name: ${names.join(", ")}`);
        const level = typeof value === "string" ? value : typeof value === "object" && value !== null ? (value as Record<string, unknown>).enforcementLevel : value;
        if (level !== undefined && !(ENFORCEMENT_LEVELS as readonly unknown[]).includes(level)) {
            throw new ConfigError(`${file}.${key}${typeof value === "string" ? "" : ".enforcementLevel"}`, level, ENFORCEMENT_LEVELS.join(", "));
        }
    }
    return config as PolicyConfig;
}

/** The level a rule runs at: its own entry, else "all", else its default. */
export function levelOf(rule: PolicyRule, config: PolicyConfig): EnforcementLevel {
    for (const key of [rule.name, "all"]) {
        const entry = config[key];
        if (typeof entry === "string") return entry;
        if (entry && entry.enforcementLevel) return entry.enforcementLevel;
    }
    return rule.enforcementLevel;
}

function settingsOf(rule: PolicyRule, config: PolicyConfig): Record<string, unknown> {
    const entry = config[rule.name];
    return ruleSettings(rule, typeof entry === "object" ? entry : undefined);
}

/** Runs every enabled rule over a stack's resources, the offline equivalent of the pack under the engine. */
export function evaluate(resources: ResourceView[], config: PolicyConfig = {}, rules: readonly PolicyRule[] = RULES, stack?: string): Violation[] {
    const stackName = stack ?? stackOfUrn(resources[0]?.urn);
    const out: Violation[] = [];
    for (const rule of rules) {
        const level = levelOf(rule, config);
        if (level === "disabled") continue;
        const ctx: RuleContext = { stack: stackName, config: settingsOf(rule, config) };
        const base = { rule: rule.name, level, fix: rule.fix };
        if (rule.validateResource) {
            for (const r of resources) {
                rule.validateResource(r, (message) => out.push({ ...base, message, resourceName: r.name, resourceType: r.type, urn: r.urn }), ctx);
            }
        }
        if (rule.validateStack) {
            rule.validateStack(resources, (message, r) => out.push({ ...base, message, resourceName: r?.name, resourceType: r?.type, urn: r?.urn }), ctx);
        }
    }
    return out;
}

export function formatViolation(v: Violation): string {
    return `[${v.level}] ${v.rule}: ${v.resourceName ?? "(stack)"} — ${v.message}. Fix: ${v.fix}`;
}
