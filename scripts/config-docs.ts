// npm run config-docs [-- --check]
// Writes stack-file.schema.json (the JSON Schema editors use for Pulumi.<stack>.yaml) and the
// config reference in docs/configuration.md, both generated from the config schemas. --check only compares
// and exits 1 when either is stale (the test suite runs the same comparison).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { configDocs } from "../stacks/configDocs";

const ROOT = path.resolve(__dirname, "..");
const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
const stale: string[] = [];
for (const [file, content] of Object.entries(configDocs(ROOT))) {
    const full = path.join(ROOT, file);
    if (fs.readFileSync(full, "utf8") === content) continue;
    if (values.check) stale.push(file);
    else fs.writeFileSync(full, content);
}
if (stale.length > 0) {
    console.error(`config-docs: out of date: ${stale.join(", ")} (run npm run config-docs)`);
    process.exitCode = 1;
}
