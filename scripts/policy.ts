// npm run policy -- --stack <name> [--config policy-config.json] [--json] [--dir <project dir>]
// Runs the policy pack's rules on the resources the program registers for a stack,
// under Pulumi mocks: no Pulumi CLI, no engine, no cloud credentials.
// Exit code: 0 clean (advisories allowed), 1 a mandatory violation, 2 bad input.
import { ConfigError, isInputError } from "../components/errors";
import { formatViolation } from "../policies/engine";
import { checkStack, readPolicyConfig } from "../policies/offline/check";
import { parseArgs } from "node:util";

async function main(): Promise<number> {
    const { values: args } = parseArgs({
        options: { stack: { type: "string" }, config: { type: "string" }, json: { type: "boolean", default: false }, dir: { type: "string" } },
    });
    if (typeof args.stack !== "string") throw new ConfigError("--stack", args.stack, "a stack name, e.g. --stack dev");
    const policyConfig = args.config !== undefined ? readPolicyConfig(args.config) : {};
    const result = await checkStack(args.stack, { policyConfig, root: args.dir });
    const mandatory = result.violations.filter((v) => v.level === "mandatory").length;
    if (args.json) {
        process.stdout.write(`${JSON.stringify({ stack: result.stack, resources: result.resources.length, violations: result.violations }, null, 2)}\n`);
    } else {
        for (const v of result.violations) console.log(formatViolation(v));
        if (result.placeholders.length > 0) {
            console.log(`note: checked with placeholder secrets for ${result.placeholders.join(", ")} (encrypted in or absent from the stack file)`);
        }
        console.log(
            `policy: stack ${result.stack}: ${result.resources.length} resources checked, ${mandatory} mandatory and ${result.violations.length - mandatory} advisory violation(s)`,
        );
    }
    return mandatory > 0 ? 1 : 0;
}

main().then(
    (code) => {
        process.exitCode = code;
    },
    (e: unknown) => {
        // Bad input (config errors, unknown command-line options) gets its message, anything else a stack.
        if (isInputError(e)) {
            console.error(`policy: ${(e as Error).message}`);
        } else console.error(`policy: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        process.exitCode = 2;
    },
);
