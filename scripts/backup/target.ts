import { execFileSync, spawn } from "node:child_process";
import { OPS_PATH } from "../../components/backup/specs";
import { PROJECT_ROOT } from "../stackFile";

/** Where a deployment's backup container runs: a Docker daemon (undefined: this machine's) and the container's name. */
export interface BackupContainer {
    dockerHost?: string;
    container: string;
}

/** Reads the `backup` stack output that the standalone stack exports (needs the pulumi CLI and the stack's backend). */
export function containerOfStack(stack: string, cwd: string): BackupContainer {
    let out: string;
    try {
        out = execFileSync("pulumi", ["stack", "output", "backup", "--json", "--stack", stack], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
        const err = e as { stderr?: string; message: string };
        throw new Error(`could not read the backup output of stack ${stack}: ${(err.stderr || err.message).trim().split("\n").slice(-1)[0]}`);
    }
    const value = JSON.parse(out || "null") as { container?: string; dockerHost?: string } | null;
    if (!value?.container) throw new Error(`stack ${stack} has no backup output: is milvus-gpu:backup configured and has \`pulumi up\` run since?`);
    return { container: value.container, ...(value.dockerHost && value.dockerHost !== "local" ? { dockerHost: value.dockerHost } : {}) };
}

function dockerArgs(target: BackupContainer, op: string[]): string[] {
    return [...(target.dockerHost ? ["-H", target.dockerHost] : []), "exec", target.container, "/bin/sh", OPS_PATH, ...op];
}

/** Runs one ops command in the container, streaming its lines to `onLine`; resolves with the exit code. */
export function runOps(target: BackupContainer, op: string[], onLine: (line: string) => void): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn("docker", dockerArgs(target, op), { stdio: ["ignore", "pipe", "pipe"] });
        let pending = "";
        const feed = (chunk: Buffer) => {
            pending += chunk.toString("utf8");
            const lines = pending.split("\n");
            pending = lines.pop() ?? "";
            lines.forEach(onLine);
        };
        child.stdout.on("data", feed);
        child.stderr.on("data", feed);
        child.on("error", (e) => reject(new Error(`could not run docker: ${e.message}`)));
        child.on("close", (code) => {
            if (pending) onLine(pending);
            resolve(code ?? 1);
        });
    });
}

/** Runs one ops command and returns its output (for list and runs). */
export function opsOutput(target: BackupContainer, op: string[]): string {
    return execFileSync("docker", dockerArgs(target, op), { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The flags both CLIs take to find the container (node:util parseArgs options). */
export const TARGET_OPTIONS = {
    stack: { type: "string" },
    container: { type: "string" },
    "docker-host": { type: "string" },
} as const;

export const TARGET_USAGE = "(--stack <stack> | --container <name> [--docker-host <uri>])";

/** The container the flags name, or what is wrong with them. */
export function targetOf(values: { stack?: string; container?: string; "docker-host"?: string }): BackupContainer | string {
    if (values.stack && values.container) return "give --stack or --container, not both";
    if (values.stack) return containerOfStack(values.stack, PROJECT_ROOT);
    if (values.container) return { container: values.container, ...(values["docker-host"] ? { dockerHost: values["docker-host"] } : {}) };
    return "give --stack <stack> or --container <name>";
}

/** Runs one operation with its lines as progress, then one end line ("<verb> done in Ns: ..." or FAILED); the exit code. */
export async function runWithEndLine(verb: string, target: BackupContainer, op: string[]): Promise<number> {
    const started = Date.now();
    console.log(`${verb} through ${target.container}${target.dockerHost ? ` on ${target.dockerHost}` : ""} ...`);
    let last = "";
    const code = await runOps(target, op, (line) => {
        if (line.startsWith("backup-ops:")) last = line.slice("backup-ops:".length).trim();
        console.log(`  ${line}`);
    });
    const seconds = Math.round((Date.now() - started) / 1000);
    const what = verb.split(" ")[0];
    console.log(code === 0 ? `${what} done in ${seconds}s: ${last}` : `${what} FAILED after ${seconds}s: ${last || `exit ${code}`}`);
    return code === 0 ? 0 : 1;
}
