/**
 * On-demand backups of a deployment's milvus-backup container.
 *   npm run backup -- --stack <stack>              take a backup now, with progress and an end line
 *   npm run backup -- --stack <stack> --status     the latest runs and the backups in the target
 *   npm run backup -- --container <name> [--docker-host ssh://user@host:22] [...]
 */
import { parseArgs } from "node:util";
import { opsOutput, runWithEndLine, TARGET_OPTIONS, TARGET_USAGE, targetOf } from "./backup/target";
import { formatStatus, parseRuns } from "./backup/runs";

const USAGE = `usage: npm run backup -- ${TARGET_USAGE} [--status]
  --stack        reads the stack's \`backup\` output (pulumi stack output backup) for the container and its Docker host
  --container    the backup container's name (<namePrefix>-backup), on this machine's Docker or --docker-host
  --docker-host  a Docker daemon such as ssh://root@gpu1.example.com:22 (your ssh agent must hold the key)
  --status       show the latest runs (name, trigger, size, collections, duration, error) and the target's backups`;

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: { ...TARGET_OPTIONS, status: { type: "boolean", default: false }, help: { type: "boolean", default: false } },
    });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    const target = targetOf(values);
    if (typeof target === "string") {
        console.error(`${target}\n${USAGE}`);
        return 2;
    }
    if (values.status) {
        const runs = parseRuns(opsOutput(target, ["runs"]));
        const names = opsOutput(target, ["list"]).split("\n").filter((n) => n.trim());
        console.log(formatStatus(runs, names));
        return 0;
    }
    return runWithEndLine("backup", target, ["run", "manual"]);
}

main().then(
    (code) => process.exit(code),
    (e: Error) => {
        console.error(`backup: ${e.message}`);
        process.exit(2);
    },
);
