/**
 * On-demand backups of a deployment's milvus-backup container.
 *   npm run backup -- --stack <stack>              take a backup now, with progress and an end line
 *   npm run backup -- --stack <stack> --status     the latest runs and the backups in the target
 *   npm run backup -- --container <name> [--docker-host ssh://user@host:22] [...]
 */
import { parseArgs } from "node:util";
import { BackupContainer, containerOfStack, opsOutput, runOps } from "./backup/target";
import { formatStatus, parseRuns } from "./backup/runs";
import { PROJECT_ROOT } from "./stackFile";

const USAGE = `usage: npm run backup -- (--stack <stack> | --container <name> [--docker-host <uri>]) [--status]
  --stack        reads the stack's \`backup\` output (pulumi stack output backup) for the container and its Docker host
  --container    the backup container's name (<namePrefix>-backup), on this machine's Docker or --docker-host
  --docker-host  a Docker daemon such as ssh://root@gpu1.example.com:22 (your ssh agent must hold the key)
  --status       show the latest runs (name, trigger, size, collections, duration, error) and the target's backups`;

export function targetOf(values: { stack?: string; container?: string; "docker-host"?: string }): BackupContainer | string {
    if (values.stack && values.container) return "give --stack or --container, not both";
    if (values.stack) return containerOfStack(values.stack, PROJECT_ROOT);
    if (values.container) return { container: values.container, ...(values["docker-host"] ? { dockerHost: values["docker-host"] } : {}) };
    return "give --stack <stack> or --container <name>";
}

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            container: { type: "string" },
            "docker-host": { type: "string" },
            status: { type: "boolean", default: false },
            help: { type: "boolean", default: false },
        },
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
    const started = Date.now();
    console.log(`backing up through ${target.container}${target.dockerHost ? ` on ${target.dockerHost}` : ""} ...`);
    let last = "";
    const code = await runOps(target, ["run", "manual"], (line) => {
        if (line.startsWith("backup-ops:")) last = line.slice("backup-ops:".length).trim();
        console.log(`  ${line}`);
    });
    const seconds = Math.round((Date.now() - started) / 1000);
    console.log(code === 0 ? `backup done in ${seconds}s: ${last}` : `backup FAILED after ${seconds}s: ${last || `exit ${code}`}`);
    return code === 0 ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e: Error) => {
            console.error(`backup: ${e.message}`);
            process.exit(2);
        },
    );
}
