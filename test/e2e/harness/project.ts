import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { holdsSecure } from "../../../stacks/stackFile";
import { ROOT } from "./prerequisites";

/**
 * A throwaway copy of the project for the engine to run: the real program, components and
 * node_modules (symlinked, so what runs is this checkout), stack files and a file backend in
 * a temp dir, so the checkout is never written to.
 */
export interface E2eProject {
    dir: string;
    stateDir: string;
    /** Passed to every CLI call: backend, passphrase, no update check. */
    env: Record<string, string>;
    remove(): void;
}

const LINKED = ["index.ts", "components", "stacks", "package.json", "tsconfig.json", "node_modules", "Pulumi.yaml", "bin"];

/** `source` defaults to this checkout; another one (an old commit's tree) runs that code instead. */
export function e2eProject(label: string, source: string = ROOT): E2eProject {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), `milvus-gpu-e2e-${label}-`));
    const dir = path.join(base, "project");
    const stateDir = path.join(base, "state");
    fs.mkdirSync(dir);
    fs.mkdirSync(stateDir);
    linkProgram(dir, source);
    return {
        dir,
        stateDir,
        env: {
            PULUMI_BACKEND_URL: `file://${stateDir}`,
            PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex"),
            PULUMI_SKIP_UPDATE_CHECK: "true",
        },
        remove: () => fs.rmSync(base, { recursive: true, force: true }),
    };
}

function linkProgram(dir: string, source: string): void {
    for (const entry of LINKED) {
        if (fs.existsSync(path.join(source, entry))) fs.symlinkSync(path.join(source, entry), path.join(dir, entry));
    }
}

/**
 * Points the project at the code in `source` (its stacks, stack files and state stay): what a
 * user does by upgrading the package under an existing stack.
 */
export function relinkProject(project: E2eProject, source: string): void {
    for (const entry of LINKED) fs.rmSync(path.join(project.dir, entry), { force: true });
    linkProgram(project.dir, source);
}

/** `milvus-gpu:<key>` values as they would be written in Pulumi.<stack>.yaml. */
export type StackFileConfig = Record<string, unknown>;

/**
 * Creates (or selects) a stack whose Pulumi.<stack>.yaml holds `config` as structured YAML,
 * exactly as a user writes it, and `secrets` set with `pulumi config set --secret`.
 */
export async function e2eStack(project: E2eProject, name: string, config: StackFileConfig, secrets: Record<string, string> = {}): Promise<Stack> {
    const stack = await LocalWorkspace.createOrSelectStack({ stackName: name, workDir: project.dir }, { workDir: project.dir, envVars: project.env });
    await writeStackConfig(project, stack, config);
    for (const [key, value] of Object.entries(secrets)) await stack.setConfig(`milvus-gpu:${key}`, { value, secret: true });
    return stack;
}

/** Replaces the stack file's plain `milvus-gpu:*` keys, keeping its salt and secrets. */
export async function writeStackConfig(project: E2eProject, stack: Stack, config: StackFileConfig): Promise<void> {
    const file = stackFile(project, stack.name);
    const doc = (fs.existsSync(file) ? YAML.parse(fs.readFileSync(file, "utf8")) : undefined) ?? {};
    // Keys holding encrypted values (whole, or leaves set with --path) stay as they are.
    const kept = Object.entries((doc.config ?? {}) as Record<string, unknown>).filter(([, v]) => holdsSecure(v));
    doc.config = { ...Object.fromEntries(kept), ...Object.fromEntries(Object.entries(config).map(([k, v]) => [`milvus-gpu:${k}`, v])) };
    fs.writeFileSync(file, YAML.stringify(doc));
}

export function stackFile(project: E2eProject, stack: string): string {
    return path.join(project.dir, `Pulumi.${stack}.yaml`);
}

/** The config of a committed stack file, without the namespace and without its secrets. */
export function committedStackConfig(stack: string): StackFileConfig {
    return stackFileConfig(path.join(ROOT, `Pulumi.${stack}.yaml`));
}

/** A stack file's `milvus-gpu:*` config, without the namespace and without encrypted values. */
export function stackFileConfig(file: string): StackFileConfig {
    const doc = YAML.parse(fs.readFileSync(file, "utf8"));
    const out: StackFileConfig = {};
    for (const [key, value] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
        if (!key.startsWith("milvus-gpu:")) continue;
        if (value !== null && typeof value === "object" && "secure" in (value as object)) continue;
        out[key.slice("milvus-gpu:".length)] = value;
    }
    return out;
}

/** The raw checkpoint file the file backend keeps for a stack (what an attacker with the bucket sees). */
export function stateFileText(project: E2eProject, stack: string): string {
    const found: string[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory() && e.name !== "backups" && e.name !== "history") walk(p);
            else if (e.isFile() && e.name === `${stack}.json`) found.push(p);
        }
    };
    walk(path.join(project.stateDir, ".pulumi", "stacks"));
    if (found.length !== 1) throw new Error(`expected one state file for stack ${stack}, found ${found.length}`);
    return fs.readFileSync(found[0], "utf8");
}
