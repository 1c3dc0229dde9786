// The CrossGuard entry point: `pulumi preview --policy-pack policies`.
// Constructing the PolicyPack starts the analyzer's gRPC server, so nothing else
// (tests, the offline runner) may import this file; they use ./engine and ./packAdapter.
import { PolicyPack, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { runResourceRule, runStackRule, viewOf } from "./packAdapter";
import { RULES } from "./rules";
import { PolicyRule } from "./view";

function toPolicies(rule: PolicyRule): (ResourceValidationPolicy | StackValidationPolicy)[] {
    const base = {
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        remediationSteps: rule.fix,
        configSchema: rule.configSchema,
    };
    const out: (ResourceValidationPolicy | StackValidationPolicy)[] = [];
    if (rule.validateResource) {
        out.push({
            ...base,
            name: rule.name,
            validateResource: (args, reportViolation) =>
                runResourceRule(rule, viewOf(args), args.getConfig<Record<string, unknown>>(), (m) => reportViolation(m)),
        });
    }
    if (rule.validateStack) {
        out.push({
            ...base,
            // A rule with both kinds of check gets a second, stack-level policy of its own name.
            name: rule.validateResource ? `${rule.name}-stack` : rule.name,
            validateStack: (args, reportViolation) =>
                runStackRule(rule, args.resources.map(viewOf), args.getConfig<Record<string, unknown>>(), (m, urn) => reportViolation(m, urn)),
        });
    }
    return out;
}

new PolicyPack("milvus-gpu", {
    description:
        "Guards Milvus deployments: pinned images without known vulnerabilities, chart and Milvus of the same line, GPU builds for GPU indexes, limits and health checks, no default credentials, private etcd/MinIO, private 9091 and Attu, authentication and TLS when public, persistent data, backups for rented hosts, production in cluster mode, memory that fits the host, post-deploy verification.",
    policies: RULES.flatMap(toPolicies),
});
