/**
 * Restores a backup into a running deployment that does not hold its collections.
 *   npm run restore -- --stack <stack> --backup <name|latest>
 *   npm run restore -- --container <name> [--docker-host <uri>] --backup <name|latest>
 * A new deployment is better restored as code: backup.restoreFrom in its stack config.
 */
import { parseArgs } from "node:util";
import { runWithEndLine, TARGET_OPTIONS, TARGET_USAGE, targetOf } from "./backup/target";
import { BACKUP_NAME } from "../components/backup/config";

const USAGE = `usage: npm run restore -- ${TARGET_USAGE} --backup <name|latest>
  --backup   a backup name (npm run backup -- --stack <stack> --status lists them) or latest
  Collections the backup holds must not exist in the target deployment: milvus-backup refuses them, changing nothing.`;

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: { ...TARGET_OPTIONS, backup: { type: "string" }, help: { type: "boolean", default: false } },
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (!values.backup || (values.backup !== "latest" && !BACKUP_NAME.test(values.backup))) {
        console.error(`--backup: invalid value ${JSON.stringify(values.backup ?? "(missing)")}; expected latest or a backup name (letters, digits and _)\n${USAGE}`);
        return 2;
    }
    const target = targetOf(values);
    if (typeof target === "string") {
        console.error(`${target}\n${USAGE}`);
        return 2;
    }
    return runWithEndLine(`restore ${values.backup}`, target, ["restore", values.backup]);
}

main().then(
    (code) => process.exit(code),
    (e: Error) => {
        console.error(`restore: ${e.message}`);
        process.exit(2);
    },
);
