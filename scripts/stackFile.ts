import * as path from "node:path";
import { StackConfig } from "../stacks/config";
import { loadStackFile } from "../stacks/stackFile";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Reads and validates Pulumi.<stack>.yaml from the project root, as the program would. */
export function readStackConfig(stack: string, root = PROJECT_ROOT): StackConfig {
    return loadStackFile(root, stack).config;
}
