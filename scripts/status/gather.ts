import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { createClient } from "../../components/schema/index";
import { backupStatus, containerStatuses, diskStatus, DockerCli, dockerCli, findContainers, gpuStatus, inspectContainers } from "./docker";
import { gatherMilvus } from "./milvus";
import { RentalStatus, StatusReport } from "./report";

/** What the status is gathered from: flags, or a stack's outputs (stackOutputs.ts). */
export interface StatusTarget {
    address: string;
    token?: string;
    tls?: { caPem?: string; serverName?: string };
    /** The deployment's Docker daemon ("local": this machine's); undefined: Milvus only. */
    dockerHost?: string;
    /** Container names start with `<prefix>-`; undefined: every container with the role label. */
    prefix?: string;
    backup?: { container: string; schedule?: string };
    rental?: RentalStatus;
}

export interface GatherOptions {
    progress?: (what: string) => void;
    /** Given in tests; otherwise made from the target. */
    client?: MilvusClient;
    docker?: DockerCli;
    now?: Date;
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function gatherStatus(t: StatusTarget, o: GatherOptions = {}): Promise<StatusReport> {
    const progress = o.progress ?? (() => undefined);
    const client =
        o.client ??
        createClient({
            address: t.address,
            ...(t.token ? { token: t.token } : {}),
            ...(t.tls ? { tls: true, ...(t.tls.caPem ? { tlsCaPem: t.tls.caPem } : {}), ...(t.tls.serverName ? { tlsServerName: t.tls.serverName } : {}) } : {}),
            rpcTimeoutMs: 15_000,
            lean: true,
        });
    try {
        const report: StatusReport = { gatheredAt: (o.now ?? new Date()).toISOString(), milvus: await gatherMilvus(client, t.address, progress) };
        const docker = o.docker ?? (t.dockerHost ? dockerCli(t.dockerHost) : undefined);
        if (docker) {
            try {
                progress("containers");
                const inspected = await inspectContainers(docker, await findContainers(docker, t.prefix));
                report.containers = await containerStatuses(docker, inspected);
                const milvus = inspected.find((c) => c.Config.Labels?.["milvus-gpu.role"] === "milvus");
                if (milvus) {
                    progress("disk use of the data directory");
                    report.disk = await diskStatus(docker, milvus);
                    progress("GPU memory");
                    report.gpu = await gpuStatus(docker, milvus);
                } else {
                    report.disk = report.gpu = { unavailable: `no Milvus container${t.prefix ? ` named ${t.prefix}-*` : ""} on the Docker host` };
                }
                const backup = t.backup?.container ?? inspected.find((c) => c.Config.Labels?.["milvus-gpu.role"] === "backup")?.Name.replace(/^\//, "");
                if (backup) {
                    progress("backup runs");
                    report.backup = await backupStatus(docker, backup, t.backup?.schedule);
                }
            } catch (e) {
                report.containers = { unavailable: reason(e) };
            }
        }
        if (t.rental) report.rental = t.rental.expiresAt === "unknown" ? { unavailable: "the order's end is not known yet (refresh the stack)" } : t.rental;
        return report;
    } finally {
        if (!o.client) await client.closeConnection().catch(() => undefined);
    }
}
