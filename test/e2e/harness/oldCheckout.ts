import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "./prerequisites";

/** The project's files as of an earlier commit, to make state the way that code made it. */
export interface OldCheckout {
    commit: string;
    dir: string;
    remove(): void;
}

/** Why `commit` cannot be checked out here (no git, or a clone without that history), or undefined. */
export function oldCheckoutUnavailable(commit: string): string | undefined {
    const probe = spawnSync("git", ["-C", ROOT, "cat-file", "-e", `${commit}^{commit}`], { encoding: "utf8" });
    if (probe.error) return `git is not available (${probe.error.message})`;
    if (probe.status !== 0) return `commit ${commit} is not in this clone's history (a shallow clone or an export): fetch it to run this scenario`;
    return undefined;
}

/**
 * `commit`'s tree, exported to a temp dir (git archive: the repository and its worktrees are not
 * touched), with this checkout's node_modules linked in: the old program with today's SDK and providers.
 */
export function oldCheckout(commit: string): OldCheckout {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `milvus-gpu-at-${commit}-`));
    const tar = execFileSync("git", ["-C", ROOT, "archive", "--format=tar", commit], { maxBuffer: 256 * 1024 * 1024 });
    execFileSync("tar", ["-x", "-C", dir], { input: tar });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    return { commit, dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
