import { describe, expect, it } from "vitest";
import { backupStatus, containerStatuses, dataDirOf, diskStatus, DockerCli, findContainers, gpuStatus, inspectContainers } from "../../../scripts/status/docker";

/*
 * The docker side with the CLI's answers given (recorded from a real deployment on this
 * machine, trimmed): which commands are run, and how their answers become the report.
 */
function docker(answers: [RegExp, string | Error][]): DockerCli & { calls: string[][] } {
    const calls: string[][] = [];
    const cli = async (args: string[]) => {
        calls.push(args);
        const hit = answers.find(([re]) => re.test(args.join(" ")));
        if (!hit) throw new Error(`docker ${args[0]}: unexpected call ${args.join(" ")}`);
        if (hit[1] instanceof Error) throw hit[1];
        return hit[1];
    };
    return Object.assign(cli, { calls });
}

const inspected = [
    {
        Name: "/i22-standalone",
        Config: { Image: "milvus-gpu-e2e/milvus:v2.3.5", Labels: { "milvus-gpu.role": "milvus" } },
        State: { Status: "running", Health: { Status: "healthy" } },
        RestartCount: 0,
        HostConfig: { Memory: 4294967296, DeviceRequests: null },
        Mounts: [{ Source: "/tmp/i22/data/milvus", Destination: "/var/lib/milvus" }],
    },
    {
        Name: "/i22-etcd",
        Config: { Image: "milvus-gpu-e2e/etcd:v3.5.35", Labels: { "milvus-gpu.role": "etcd" } },
        State: { Status: "exited" },
        RestartCount: 3,
        HostConfig: { Memory: 536870912 },
        Mounts: [{ Source: "/tmp/i22/data/etcd", Destination: "/etcd" }],
    },
];

describe("status through the docker CLI", () => {
    it("finds the deployment's labelled containers by prefix", async () => {
        const cli = docker([[/^ps -a --filter label=milvus-gpu.role/, "e2e-dev-minio\ni22-standalone\ni22-etcd\n"]]);
        expect(await findContainers(cli, "i22")).toEqual(["i22-etcd", "i22-standalone"]);
        expect(await findContainers(cli)).toEqual(["e2e-dev-minio", "i22-etcd", "i22-standalone"]);
    });

    it("memory in use (docker stats, running ones only) against the limit (docker inspect)", async () => {
        const cli = docker([
            [/^inspect i22-standalone i22-etcd$/, JSON.stringify(inspected)],
            [/^stats --no-stream/, "i22-standalone\t114.5MiB / 4GiB\n"],
        ]);
        const all = await inspectContainers(cli, ["i22-standalone", "i22-etcd"]);
        expect(await containerStatuses(cli, all)).toEqual([
            { name: "i22-standalone", role: "milvus", image: "milvus-gpu-e2e/milvus:v2.3.5", state: "running", health: "healthy", memoryUsedBytes: Math.round(114.5 * 1024 ** 2), memoryLimitBytes: 4294967296, restarts: 0 },
            { name: "i22-etcd", role: "etcd", image: "milvus-gpu-e2e/etcd:v3.5.35", state: "exited", memoryLimitBytes: 536870912, restarts: 3 },
        ]);
        expect(cli.calls[1]).toEqual(["stats", "--no-stream", "--format", "{{.Name}}\t{{.MemUsage}}", "i22-standalone"]);
    });

    it("disk: du and df in a one-shot container of the Milvus image, the data directory mounted read-only", async () => {
        const cli = docker([[/^run --rm/, "279552\t/data\nFilesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda 264212084 43005052 52496212 46% /data\n"]]);
        expect(dataDirOf(inspected[0])).toBe("/tmp/i22/data");
        expect(await diskStatus(cli, inspected[0])).toEqual({
            path: "/tmp/i22/data",
            usedBytes: 279552 * 1024,
            filesystemSizeBytes: 264212084 * 1024,
            filesystemUsedBytes: 43005052 * 1024,
            filesystemAvailableBytes: 52496212 * 1024,
        });
        expect(cli.calls[0]).toEqual(["run", "--rm", "--network", "none", "-v", "/tmp/i22/data:/data:ro", "--entrypoint", "/bin/sh", "milvus-gpu-e2e/milvus:v2.3.5", "-c", "du -sk /data && df -kP /data"]);
        expect(await diskStatus(docker([[/^run/, new Error("docker run: no space left on device")]]), inspected[0])).toEqual({ unavailable: "docker run: no space left on device" });
    });

    it("GPU: none reserved says so without asking; reserved ones through nvidia-smi in the Milvus container", async () => {
        const none = docker([]);
        expect(await gpuStatus(none, inspected[0])).toEqual({ unavailable: "no GPU reserved for i22-standalone" });
        expect(none.calls).toEqual([]);
        const withGpu = { ...inspected[0], HostConfig: { ...inspected[0].HostConfig, DeviceRequests: [{ Capabilities: [["gpu"]] }] } };
        const cli = docker([[/^exec i22-standalone nvidia-smi/, "0, NVIDIA GeForce RTX 4090, 6144, 24564\n"]]);
        expect(await gpuStatus(cli, withGpu)).toEqual([{ index: 0, name: "NVIDIA GeForce RTX 4090", memoryUsedMiB: 6144, memoryTotalMiB: 24564 }]);
        const missing = docker([[/nvidia-smi/, new Error("docker exec: OCI runtime exec failed: exec: \"nvidia-smi\": executable file not found in $PATH")]]);
        expect(await gpuStatus(missing, withGpu)).toEqual({ unavailable: 'nvidia-smi in i22-standalone: docker exec: OCI runtime exec failed: exec: "nvidia-smi": executable file not found in $PATH' });
    });

    it("backup: the last run and the last good one from the ops script's runs; none yet", async () => {
        const runs = [
            '{"name":"i22_old","trigger":"schedule","startedAt":"2026-12-03T12:46:48Z","seconds":12,"ok":true,"sizeBytes":84333,"collections":1,"error":""}',
            '{"name":"i22_new","trigger":"schedule","startedAt":"2026-12-05T03:00:00Z","seconds":0,"ok":false,"sizeBytes":null,"collections":null,"error":"target: NoSuchBucket"}',
        ].join("\n");
        const cli = docker([[/^exec i22-backup \/bin\/sh -c/, runs]]);
        const b = await backupStatus(cli, "i22-backup", "0 3 * * *");
        expect(b).toMatchObject({ container: "i22-backup", schedule: "0 3 * * *", runs: 2, last: { name: "i22_new", ok: false }, lastSuccessful: { name: "i22_old", ok: true } });
        expect(cli.calls[0]).toEqual(["exec", "i22-backup", "/bin/sh", "-c", "/bin/sh /milvus-backup/bin/milvus-backup-ops runs || true"]);
        expect(await backupStatus(docker([[/^exec/, ""]]), "i22-backup")).toEqual({ container: "i22-backup", runs: 0 });
    });
});
