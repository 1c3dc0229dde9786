import { execFile } from "node:child_process";
import { OPS_PATH } from "../../components/backup/specs";
import { ROLE_LABEL } from "../../components/standalone/containerSpec";
import { parseRuns } from "../backup/runs";
import { parseDuDf, parseMemUsage, parseNvidiaSmi } from "./parse";
import { BackupStatus, ContainerStatus, DiskStatus, Gathered, GpuStatus } from "./report";

/**
 * The Docker side of the status: everything through the `docker` CLI against the deployment's
 * Docker host (`-H ssh://...` for a remote one), so no second way in (ssh) is needed:
 * - containers: docker inspect (state, health, limit, restarts) and docker stats --no-stream (memory in use);
 * - disk: a one-shot container of the Milvus image with the data directory mounted read-only,
 *   running du and df (the host may have neither a shell we can reach nor the same tools);
 * - GPU: nvidia-smi inside the Milvus container, when it has GPUs reserved (the NVIDIA runtime puts it there);
 * - backup: the backup container's own `runs` command (runs.jsonl; nothing yet when it has not run).
 */

/** Runs `docker <args>` and resolves with its stdout; rejects with its stderr's last line. */
export type DockerCli = (args: string[]) => Promise<string>;

export function dockerCli(dockerHost?: string): DockerCli {
    const prefix = dockerHost && dockerHost !== "local" ? ["-H", dockerHost] : [];
    return (args) =>
        new Promise((resolve, reject) => {
            execFile("docker", [...prefix, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
                if (err) reject(new Error(`docker ${args[0]}: ${(stderr || err.message).trim().split("\n").slice(-1)[0]}`));
                else resolve(stdout);
            });
        });
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

interface Inspected {
    Name: string;
    Config: { Image: string; Labels?: Record<string, string> | null };
    State: { Status: string; Health?: { Status: string } };
    RestartCount?: number;
    HostConfig: { Memory?: number; DeviceRequests?: { Capabilities?: string[][] }[] | null };
    Mounts?: { Source: string; Destination: string }[];
}

/** The deployment's containers: those whose name starts with `prefix-` and carry the role label (all labelled ones without a prefix). */
export async function findContainers(docker: DockerCli, prefix?: string): Promise<string[]> {
    const out = await docker(["ps", "-a", "--filter", `label=${ROLE_LABEL}`, "--format", "{{.Names}}"]);
    return out
        .split("\n")
        .map((l) => l.trim())
        .filter((n) => n !== "" && (prefix === undefined || n.startsWith(`${prefix}-`)))
        .sort();
}

export async function inspectContainers(docker: DockerCli, names: string[]): Promise<Inspected[]> {
    if (names.length === 0) return [];
    return JSON.parse(await docker(["inspect", ...names])) as Inspected[];
}

export async function containerStatuses(docker: DockerCli, inspected: Inspected[]): Promise<ContainerStatus[]> {
    const running = inspected.filter((c) => c.State.Status === "running").map((c) => c.Name.replace(/^\//, ""));
    const used = new Map<string, number>();
    if (running.length) {
        const stats = await docker(["stats", "--no-stream", "--format", "{{.Name}}\t{{.MemUsage}}", ...running]);
        for (const line of stats.split("\n")) {
            const [name, mem] = line.split("\t");
            const bytes = mem ? parseMemUsage(mem) : undefined;
            if (name && bytes !== undefined) used.set(name.trim(), bytes);
        }
    }
    return inspected.map((c) => {
        const name = c.Name.replace(/^\//, "");
        const role = c.Config.Labels?.[ROLE_LABEL];
        const limit = c.HostConfig.Memory;
        return {
            name,
            ...(role ? { role } : {}),
            image: c.Config.Image,
            state: c.State.Status,
            ...(c.State.Health ? { health: c.State.Health.Status } : {}),
            ...(used.has(name) ? { memoryUsedBytes: used.get(name) } : {}),
            ...(limit ? { memoryLimitBytes: limit } : {}),
            ...(c.RestartCount !== undefined ? { restarts: c.RestartCount } : {}),
        };
    });
}

const MILVUS_DATA = "/var/lib/milvus";

/** The data directory: the parent of the Milvus container's /var/lib/milvus bind mount (`<dataDir>/milvus`). */
export function dataDirOf(milvus: Inspected): string | undefined {
    const source = milvus.Mounts?.find((m) => m.Destination === MILVUS_DATA)?.Source;
    return source ? source.replace(/\/milvus\/?$/, "") : undefined;
}

export async function diskStatus(docker: DockerCli, milvus: Inspected): Promise<Gathered<DiskStatus>> {
    const dir = dataDirOf(milvus);
    if (!dir) return { unavailable: `${milvus.Name.replace(/^\//, "")} has no bind mount at ${MILVUS_DATA}` };
    try {
        const out = await docker(["run", "--rm", "--network", "none", "-v", `${dir}:/data:ro`, "--entrypoint", "/bin/sh", milvus.Config.Image, "-c", "du -sk /data && df -kP /data"]);
        return { path: dir, ...parseDuDf(out) };
    } catch (e) {
        return { unavailable: reason(e) };
    }
}

export async function gpuStatus(docker: DockerCli, milvus: Inspected): Promise<Gathered<GpuStatus[]>> {
    const gpus = (milvus.HostConfig.DeviceRequests ?? []).some((r) => (r.Capabilities ?? []).some((c) => c.includes("gpu")));
    const name = milvus.Name.replace(/^\//, "");
    if (!gpus) return { unavailable: `no GPU reserved for ${name}` };
    try {
        return parseNvidiaSmi(await docker(["exec", name, "nvidia-smi", "--query-gpu=index,name,memory.used,memory.total", "--format=csv,noheader,nounits"]));
    } catch (e) {
        return { unavailable: `nvidia-smi in ${name}: ${reason(e)}` };
    }
}

export async function backupStatus(docker: DockerCli, container: string, schedule?: string): Promise<Gathered<BackupStatus>> {
    try {
        const runs = parseRuns(await docker(["exec", container, "/bin/sh", "-c", `/bin/sh ${OPS_PATH} runs || true`]));
        const last = runs[runs.length - 1];
        const lastSuccessful = [...runs].reverse().find((r) => r.ok);
        return { container, ...(schedule ? { schedule } : {}), runs: runs.length, ...(last ? { last } : {}), ...(lastSuccessful ? { lastSuccessful } : {}) };
    } catch (e) {
        return { unavailable: reason(e) };
    }
}
