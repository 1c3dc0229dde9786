import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parseStackConfig, StackConfig, stackConfigFromYaml } from "../stacks/config";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Reads and validates Pulumi.<stack>.yaml from the project root, as the program would. */
export function readStackConfig(stack: string, root = PROJECT_ROOT): StackConfig {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const stacks = fs.readdirSync(root).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice(7, -5));
        throw new Error(`--stack: no stack file ${path.basename(file)}; stacks here: ${stacks.join(", ") || "(none)"}`);
    }
    return parseStackConfig(stackConfigFromYaml(parse(fs.readFileSync(file, "utf8")), path.basename(file)), stack);
}
