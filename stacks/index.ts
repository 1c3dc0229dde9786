import { loadStackConfig } from "./config";
import { standaloneStack } from "./standalone";

export * from "./config";
export * from "./standalone";

/** Builds the stack the running Pulumi config asks for and returns its outputs. */
export function runStack(): Record<string, unknown> {
    const config = loadStackConfig();
    return standaloneStack(config).outputs as unknown as Record<string, unknown>;
}
