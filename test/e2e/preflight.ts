// `npm run e2e` first checks the machine and stops, naming what is missing, rather than
// letting scenarios fail obscurely or pass without having run.
import { checkPrerequisites } from "./harness/prerequisites";

const results = checkPrerequisites();
for (const r of results) console.log(`${r.ok ? "ok     " : r.required ? "MISSING" : "note   "}  ${r.name}: ${r.detail}`);
const missing = results.filter((r) => r.required && !r.ok);
if (missing.length) {
    console.error(`\ne2e cannot run here: missing ${missing.map((m) => m.name).join("; ")}`);
    process.exit(1);
}
