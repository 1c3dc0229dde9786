// npm run render -- --stack <name> [--format compose|json]
// Prints what the stack would deploy, without a Pulumi engine or Docker.
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { ConfigError, isInputError } from "../components/errors";
import { RENDER_FORMATS, RenderFormat, renderStack } from "../stacks/render";
import { readStackConfig } from "./stackFile";

function main(): number {
    const { values: args } = parseArgs({ options: { stack: { type: "string", default: "dev" }, format: { type: "string", default: "json" } } });
    const stack = args.stack;
    const format = args.format as RenderFormat;
    if (!RENDER_FORMATS.includes(format)) throw new ConfigError("--format", args.format, RENDER_FORMATS.join(" or "));
    const rendered = renderStack(readStackConfig(stack), format);
    process.stdout.write(format === "compose" ? stringify(rendered, { lineWidth: 0 }) : `${JSON.stringify(rendered, null, 2)}\n`);
    return 0;
}

try {
    process.exitCode = main();
} catch (e) {
    // Bad input gets its message and exit 2; anything else is a bug and keeps its stack.
    if (isInputError(e)) {
        console.error(`render: ${e.message}`);
        process.exitCode = 2;
    } else {
        console.error(`render: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        process.exitCode = 1;
    }
}
