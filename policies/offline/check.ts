import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../../components/errors";
import { evaluate, levelOf, PolicyConfig, validatePolicyConfig, Violation } from "../engine";
import { noDefaultCredentials } from "../rules";
import { stackFileView } from "../rules/secretAccessPasswords";
import { ResourceView } from "../view";
import { collectResources } from "./collector";
import { PROJECT } from "../../stacks/namespace";
import { readStackFile, stackConfigOf } from "../../stacks/stackFile";
import { placeholderTlsPair } from "./placeholderTls";

export { PROJECT };
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export interface StackCheck {
    stack: string;
    resources: ResourceView[];
    violations: Violation[];
    /** Config keys that are encrypted in the stack file and so were not visible offline. */
    encryptedKeys: string[];
    /** Secret keys given a placeholder value for the check (encrypted or access keys not set here). */
    placeholders: string[];
}

/**
 * Access credentials a program needs to run but that no rule looks at: offline they get a
 * placeholder (as secrets) when the stack file does not set them, as CI has no secrets.
 * Milvus/MinIO credentials are not among them: unset, they are generated, as on a real deploy.
 */
export const ACCESS_KEYS = ["cloreApiKey", "sshPrivateKey", "milvusTlsCert", "milvusTlsKey"];

/** Reads a policy config file in `pulumi preview --policy-pack-config` format. */
export function readPolicyConfig(file: string): PolicyConfig {
    let raw: unknown;
    try {
        raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new ConfigError("--config", file, `a readable JSON file (${(e as Error).message})`);
    }
    return validatePolicyConfig(raw, undefined, path.basename(file));
}

/**
 * Runs a program under mocks with the stack's config and checks what it registers:
 * the whole offline path of `npm run policy`. `program` defaults to the project's
 * own stack function.
 */
export async function checkStack(
    stack: string,
    options: { root?: string; policyConfig?: PolicyConfig; program?: () => unknown } = {},
): Promise<StackCheck> {
    const root = options.root ?? PROJECT_ROOT;
    // The same reader and validation as `render` and the program: an invalid stack fails here, before any resource.
    const stackFile = readStackFile(root, stack);
    stackConfigOf(stackFile);
    const config = { ...stackFile.runtimeConfig };
    const encryptedKeys = stackFile.encryptedKeys.map((k) => `${PROJECT}:${k}`);
    // Loaded lazily: the program module reads nothing at import, but keeps this module usable without it.
    const stacks = await import("../../stacks");
    const plainSecrets = stackFile.plainTextSecrets.filter((p) => !p.startsWith("accessPasswords")).map((p) => `${PROJECT}:${p}`);
    const plainPasswords = stackFile.plainTextSecrets.filter((p) => p.startsWith("accessPasswords"));
    const placeholders = [...encryptedKeys];
    for (const key of ACCESS_KEYS.map((k) => `${PROJECT}:${k}`)) {
        if (!(key in config) && !placeholders.includes(key)) placeholders.push(key);
    }
    // The TLS pair is checked by the program (PEM, key of the certificate): a real throwaway pair stands in.
    const tls = placeholderTlsPair();
    // accessPasswords encrypted whole: its user names are not visible offline, so the check runs as if all were generated.
    const PEM_PLACEHOLDERS: Record<string, string> = { [`${PROJECT}:milvusTlsCert`]: tls.cert, [`${PROJECT}:milvusTlsKey`]: tls.key, [`${PROJECT}:accessPasswords`]: "{}" };
    // A partly encrypted key (secure leaves under --path) already carries placeholders for its leaves.
    for (const key of placeholders) if (!(key in config)) config[key] = PEM_PLACEHOLDERS[key] ?? `offline-placeholder-${key.split(":").pop()}`;
    const program = options.program ?? stacks.runStack;
    const { resources } = await collectResources(program, { project: PROJECT, stack, config, secretKeys: placeholders });
    const policyConfig = options.policyConfig ?? {};
    // The stack file itself is judged too (passwords in plain text), as one more view beside the resources.
    const violations = evaluate([...resources, stackFileView(stack, PROJECT, plainPasswords)], policyConfig, undefined, stack);
    // Only visible offline: a secret written into the stack file without `pulumi config set --secret`.
    const level = levelOf(noDefaultCredentials, policyConfig);
    if (level !== "disabled") {
        for (const key of plainSecrets) {
            violations.push({
                rule: noDefaultCredentials.name,
                level,
                message: `${key} is stored in plain text in Pulumi.${stack}.yaml`,
                fix: noDefaultCredentials.fix,
                resourceName: `Pulumi.${stack}.yaml`,
            });
        }
    }
    return { stack, resources, violations, encryptedKeys, placeholders };
}
