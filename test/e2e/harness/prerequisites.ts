import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** What `npm run e2e` needs from the machine, checked before anything runs. */
export interface Prerequisite {
    name: string;
    ok: boolean;
    /** What was found, or what to do about it. */
    detail: string;
    /** When false, a miss is reported but does not stop the run. */
    required: boolean;
}

export const ROOT = path.resolve(__dirname, "../../..");
export const IMAGE_TAGS_FILE = path.join(ROOT, "test/e2e/images/tags.json");

export interface E2eImages {
    etcd: string;
    minio: string;
    /** Two Milvus tags: the e2e upgrades a deployment from the first to the second. */
    milvus: [string, string];
    /** milvus-backup of the release that serves Milvus 2.3 (not built by build.sh: see images/README.md). */
    backup: string;
    /** Prometheus and node-exporter for the monitoring scenario (not built by build.sh: see images/README.md). */
    monitoring: { prometheus: string; nodeExporter: string };
}

export function e2eImages(): E2eImages {
    return JSON.parse(fs.readFileSync(IMAGE_TAGS_FILE, "utf8")) as E2eImages;
}

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
    try {
        return { ok: true, out: execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 }).trim() };
    } catch (e) {
        const err = e as { stderr?: string; message: string };
        return { ok: false, out: (err.stderr || err.message).trim().split("\n").slice(-2).join(" ") };
    }
}

export function onPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not in this directory
        }
    }
    return undefined;
}

export function sshdBinary(): string | undefined {
    return onPath("sshd") ?? ["/usr/sbin/sshd", "/usr/local/sbin/sshd"].find((p) => fs.existsSync(p));
}

export function checkPrerequisites(): Prerequisite[] {
    const out: Prerequisite[] = [];
    const node = Number(process.versions.node.split(".")[0]);
    out.push({ name: "node >= 22", ok: node >= 22, detail: process.version, required: true });

    const pulumi = run("pulumi", ["version"]);
    out.push({ name: "pulumi CLI on PATH", ok: pulumi.ok, detail: pulumi.ok ? pulumi.out : "install it: https://www.pulumi.com/docs/install/", required: true });
    const host = onPath("pulumi-language-nodejs");
    const pulumiBin = onPath("pulumi");
    const besideCli = pulumiBin && fs.existsSync(path.join(path.dirname(pulumiBin), "pulumi-language-nodejs"));
    out.push({
        name: "Node language host (pulumi-language-nodejs)",
        ok: Boolean(host || besideCli),
        detail: host ?? (besideCli ? "beside the CLI" : "missing: it ships with the Pulumi CLI; put it on PATH"),
        required: true,
    });
    for (const plugin of ["docker", "random", "command", "kubernetes"]) {
        const p = onPath(`pulumi-resource-${plugin}`);
        out.push({
            name: `provider plugin ${plugin}`,
            ok: true,
            detail: p ? `ambient: ${p}` : "not on PATH: the CLI installs it on first use (needs the internet)",
            required: false,
        });
    }

    const docker = run("docker", ["info", "--format", "{{.ServerVersion}} {{.Driver}}"]);
    out.push({
        name: `Docker daemon (${process.env.DOCKER_HOST ?? "local socket"})`,
        ok: docker.ok,
        detail: docker.ok ? `server ${docker.out}` : `not reachable: ${docker.out}`,
        required: true,
    });
    if (docker.ok) {
        const images = fs.existsSync(IMAGE_TAGS_FILE) ? e2eImages() : undefined;
        const handBuilt = images ? [images.backup, ...Object.values(images.monitoring ?? {})] : [];
        const tags = images ? [images.etcd, images.minio, ...images.milvus, ...handBuilt] : [];
        const missing = tags.filter((t) => !run("docker", ["image", "inspect", "--format", "{{.Id}}", t]).ok);
        const notBuilt = missing.filter((t) => handBuilt.includes(t));
        out.push({
            name: "e2e images in the daemon",
            ok: images !== undefined && missing.length === 0,
            detail: !images
                ? `no ${path.relative(ROOT, IMAGE_TAGS_FILE)}`
                : missing.length
                  ? `missing ${missing.join(", ")}: run bash test/e2e/images/build.sh${notBuilt.length ? ` (${notBuilt.join(", ")} ${notBuilt.length === 1 ? "is" : "are"} not built by it: see test/e2e/images/README.md)` : ""}`
                  : tags.join(", "),
            required: true,
        });
    }
    const sshd = sshdBinary();
    out.push({ name: "sshd (OpenSSH server)", ok: Boolean(sshd), detail: sshd ?? "missing: apt-get install openssh-server", required: true });
    for (const tool of ["ssh", "ssh-keygen"]) {
        const p = onPath(tool);
        out.push({ name: tool, ok: Boolean(p), detail: p ?? "missing: apt-get install openssh-client", required: true });
    }
    return out;
}
