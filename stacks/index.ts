import { loadStackConfig, StackConfig } from "./config";
import { cloreNativeStack } from "./cloreNative";
import { clusterStack } from "./cluster";
import { standaloneStack } from "./standalone";

export * from "./config";
export * from "./standalone";
export * from "./cloreNative";
export * from "./cluster";
export * from "./verification";

/** Builds the resources of one validated stack config and returns the stack outputs. */
export function buildStack(config: StackConfig): Record<string, unknown> {
    switch (config.kind) {
        case "docker":
            return standaloneStack(config).outputs;
        case "clore-native":
            return cloreNativeStack(config).outputs;
        case "cluster":
            return clusterStack(config).outputs;
    }
}

/** The program: the running stack's config, validated, deployed. */
export function runStack(): Record<string, unknown> {
    return buildStack(loadStackConfig());
}
