import { BackupSettings, cronProblem } from "../backup/config";
import { backupStateHostDir } from "../backup/specs";
import { int, list, mapping, oneOf, parseWith, str, text, z } from "../configSchema";
import { containerNames } from "../standalone/specs";
import { GpuDevices, RESTART_POLICIES, RestartPolicy, StandaloneSettings } from "../standalone/settings";

/** One container Prometheus watches, with the limit its memory alert compares against. */
export interface WatchedContainer {
    /** Docker name (shown in alerts and the official dashboard's `pod` variable). */
    containerName: string;
    /** Name on the deployment's private network. */
    service: string;
    memoryBytes: number;
}

/**
 * What monitoring needs to know about the deployment it watches. A small view of the standalone
 * settings, so the builders below do not depend on their whole shape.
 */
export interface MonitoredDeployment {
    namePrefix: string;
    dataDir: string;
    restart: RestartPolicy;
    milvus: WatchedContainer;
    etcd: WatchedContainer;
    minio: WatchedContainer;
    /** GPUs reserved for Milvus: the GPU exporter gets the same ones. */
    gpu?: GpuDevices;
    /** Present when the backup container runs: its run records feed the backup alert. */
    backup?: { stateHostDir: string; schedule?: string };
    /** ISO time the Clore order ends (stack output rental.expiresAt). */
    rentalExpiresAt?: string;
}

export function monitoredDeployment(s: StandaloneSettings, backup?: BackupSettings, rentalExpiresAt?: string): MonitoredDeployment {
    const names = containerNames(s);
    return {
        namePrefix: s.namePrefix,
        dataDir: s.dataDir,
        restart: s.restart,
        milvus: { containerName: names.milvus, service: "standalone", memoryBytes: s.milvus.memoryBytes },
        etcd: { containerName: names.etcd, service: "etcd", memoryBytes: s.etcd.memoryBytes },
        minio: { containerName: names.minio, service: "minio", memoryBytes: s.minio.memoryBytes },
        ...(s.milvus.gpu ? { gpu: s.milvus.gpu } : {}),
        ...(backup ? { backup: { stateHostDir: backupStateHostDir(s), ...(backup.schedule ? { schedule: backup.schedule } : {}) } } : {}),
        ...(rentalExpiresAt ? { rentalExpiresAt } : {}),
    };
}

const ABSOLUTE_PATH = "an absolute path on the Docker host, such as /data/milvus";
const ISO_TIME = "an ISO 8601 time such as 2026-12-31T12:00:00Z";
const CRON = 'a five-field cron expression in UTC, such as "0 3 * * *"';

const absolutePath = () => text(ABSOLUTE_PATH).refine((p) => p.startsWith("/"), { error: ABSOLUTE_PATH });

function watchedContainer(name: string) {
    return mapping(
        {
            containerName: text("the container's Docker name"),
            service: text("the container's name on the deployment's private network"),
            memoryBytes: int({ min: 1 }, "the container's memory limit in bytes, an integer >= 1"),
        },
        name,
    );
}

/** A MonitoredDeployment as another language sends it: checked field by field before anything is made. */
const monitoredDeploymentSchema = mapping(
    {
        namePrefix: text("the deployment's container name prefix"),
        dataDir: absolutePath(),
        restart: oneOf(RESTART_POLICIES),
        milvus: watchedContainer("deployment.milvus"),
        etcd: watchedContainer("deployment.etcd"),
        minio: watchedContainer("deployment.minio"),
        gpu: z.union([z.literal("all"), list(text("a GPU device index or UUID"))], { error: '"all" or a list of GPU device indexes or UUIDs' }).optional(),
        backup: mapping(
            {
                stateHostDir: absolutePath(),
                schedule: str(CRON)
                    .superRefine((v, ctx) => {
                        const problem = cronProblem(v);
                        if (problem) ctx.addIssue({ code: "custom", message: problem, input: v });
                    })
                    .optional(),
            },
            "deployment.backup",
        ).optional(),
        rentalExpiresAt: str(ISO_TIME).refine((t) => Number.isFinite(Date.parse(t)), { error: ISO_TIME }).optional(),
    },
    "deployment",
);

/** Validates a MonitoredDeployment given as plain values (component args from any language). */
export function parseMonitoredDeployment(raw: unknown, field = "deployment"): MonitoredDeployment {
    return parseWith(monitoredDeploymentSchema, raw, field);
}
