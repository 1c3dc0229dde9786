import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "../..");

/** `npm run verify -- ...` as a user runs it: its own process, no MILVUS_TOKEN from the environment. */
export function verify(...args: string[]): { code: number | null; stdout: string; stderr: string } {
    const res = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "scripts/verify.ts"), ...args], {
        cwd: root,
        encoding: "utf8",
        timeout: 170_000,
        env: { ...process.env, MILVUS_TOKEN: "" },
    });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}
