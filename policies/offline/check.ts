import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../../components/errors";
import { evaluate, PolicyConfig, validatePolicyConfig, Violation } from "../engine";
import { ResourceView } from "../view";
import { collectResources } from "./collector";
import { readRuntimeConfig } from "./stackConfig";

export const PROJECT = "milvus-gpu";
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export interface StackCheck {
    stack: string;
    resources: ResourceView[];
    violations: Violation[];
    /** Config keys that are encrypted in the stack file and so were not visible offline. */
    encryptedKeys: string[];
}

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
    const { config, encryptedKeys } = readRuntimeConfig(root, stack);
    // Loaded lazily: the program module reads nothing at import, but keeps this module usable without it.
    const program = options.program ?? (await import("../../stacks")).runStack;
    const { resources } = await collectResources(program, { project: PROJECT, stack, config });
    return { stack, resources, violations: evaluate(resources, options.policyConfig ?? {}, undefined, stack), encryptedKeys };
}
