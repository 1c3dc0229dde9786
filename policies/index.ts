// The CrossGuard entry point: `pulumi preview --policy-pack policies`.
// Constructing the PolicyPack starts the analyzer's gRPC server, so nothing else
// (tests, the offline runner) may import this file; they use ./engine instead.
import { PolicyPack, PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { RULES } from "./rules";
import { PolicyRule, ResourceView, ruleSettings, stackOfUrn } from "./view";

function view(r: { type: string; name: string; urn: string; props: Record<string, unknown> }): ResourceView {
    return { type: r.type, name: r.name, urn: r.urn, props: r.props };
}

function report(reportViolation: ReportViolation, rule: PolicyRule) {
    return (message: string, urn?: string) => reportViolation(`${message}. Fix: ${rule.fix}`, urn);
}

function toPolicies(rule: PolicyRule): (ResourceValidationPolicy | StackValidationPolicy)[] {
    const base = {
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        remediationSteps: rule.fix,
        configSchema: rule.configSchema,
    };
    const out: (ResourceValidationPolicy | StackValidationPolicy)[] = [];
    if (rule.validateResource) {
        const validate = rule.validateResource;
        out.push({
            ...base,
            name: rule.name,
            validateResource: (args, reportViolation) => {
                const ctx = { stack: stackOfUrn(args.urn), config: ruleSettings(rule, args.getConfig<Record<string, unknown>>()) };
                validate(view(args), (m) => report(reportViolation, rule)(m), ctx);
            },
        });
    }
    if (rule.validateStack) {
        const validate = rule.validateStack;
        // A rule with both kinds gets a second, stack-level policy of its own name.
        out.push({
            ...base,
            name: rule.validateResource ? `${rule.name}-stack` : rule.name,
            validateStack: (args, reportViolation) => {
                const resources = args.resources.map((r: PolicyResource) => view(r));
                const ctx = { stack: stackOfUrn(resources[0]?.urn), config: ruleSettings(rule, args.getConfig<Record<string, unknown>>()) };
                validate(resources, (m, r) => report(reportViolation, rule)(m, r?.urn), ctx);
            },
        });
    }
    return out;
}

new PolicyPack("milvus-gpu", {
    description: "Guards Milvus deployments: pinned images, GPU builds for GPU indexes, limits and health checks, no default credentials, private etcd/MinIO, persistent data, production in cluster mode, memory that fits the host, post-deploy verification.",
    policies: RULES.flatMap(toPolicies),
});
