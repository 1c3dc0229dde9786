import { execFileSync } from "node:child_process";

/** The parts of `docker inspect` the scenarios assert on. */
export interface ContainerState {
    id: string;
    name: string;
    image: string;
    imageId: string;
    running: boolean;
    health?: string;
    lastHealthOutput?: string;
    memoryBytes: number;
    mounts: { source: string; destination: string }[];
    env: string[];
}

export function docker(...args: string[]): string {
    return execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 }).trim();
}

/** The container's state, or undefined when there is no container of that name. */
export function inspectContainer(name: string): ContainerState | undefined {
    let raw: string;
    try {
        raw = docker("container", "inspect", name);
    } catch {
        return undefined;
    }
    const [c] = JSON.parse(raw) as DockerInspect[];
    const log = c.State.Health?.Log ?? [];
    return {
        id: c.Id,
        name: c.Name.replace(/^\//, ""),
        image: c.Config.Image,
        imageId: c.Image,
        running: c.State.Running,
        health: c.State.Health?.Status,
        lastHealthOutput: log.length ? log[log.length - 1].Output : undefined,
        memoryBytes: c.HostConfig.Memory,
        mounts: (c.Mounts ?? []).map((m) => ({ source: m.Source, destination: m.Destination })),
        env: c.Config.Env ?? [],
    };
}

export function containerNames(prefix: string): { etcd: string; minio: string; milvus: string } {
    return { etcd: `${prefix}-etcd`, minio: `${prefix}-minio`, milvus: `${prefix}-standalone` };
}

/** The containers `milvus-gpu:monitoring` adds beside a deployment. */
export function monitoringContainerNames(prefix: string): string[] {
    return ["node-exporter", "gpu-exporter", "prometheus", "grafana"].map((role) => `${prefix}-${role}`);
}

/** Removes whatever a failed scenario left behind under this prefix (containers and network). */
export function removeDeployment(prefix: string): void {
    for (const name of [...Object.values(containerNames(prefix)), ...monitoringContainerNames(prefix)]) {
        try {
            docker("rm", "-f", name);
        } catch {
            // already gone
        }
    }
    try {
        docker("network", "rm", `${prefix}-net`);
    } catch {
        // already gone
    }
}

interface DockerInspect {
    Id: string;
    Name: string;
    Image: string;
    Config: { Image: string; Env?: string[] };
    State: { Running: boolean; Health?: { Status: string; Log?: { Output: string }[] } };
    HostConfig: { Memory: number };
    Mounts?: { Source: string; Destination: string }[];
}
