import type { ServiceType } from "./accessConfig";
import type { MessageQueue, MinioMode } from "./config";

/**
 * Names of the Kubernetes objects a release creates, as the 5.x chart and its subcharts
 * derive them from the release name, and the real limit of each. The charts cut names at
 * 63 characters without warning (two objects can then collide, and our service address would
 * point nowhere), so the release name is validated against the longest name it produces.
 */
export type NamedKind = "HelmRelease" | "Service" | "StatefulSet" | "Job";

export interface NameLimit {
    limit: number;
    why: string;
}

export const NAME_LIMITS: Readonly<Record<NamedKind, NameLimit>> = {
    HelmRelease: { limit: 53, why: "Helm refuses longer release names" },
    Service: { limit: 63, why: "a Service name is a DNS label" },
    // Pods of a StatefulSet carry the label controller-revision-hash = <name>-<10-character hash>, at most 63.
    StatefulSet: { limit: 52, why: "its pods carry a controller-revision-hash label of the name plus 11 characters" },
    // Its pods carry the label job-name = <name>, at most 63.
    Job: { limit: 63, why: "its pods carry the name as the job-name label" },
};

export interface ObjectName {
    kind: NamedKind;
    name: string;
}

/** What the names depend on. */
export interface NamingInputs {
    releaseName: string;
    messageQueue: MessageQueue;
    minioMode: MinioMode;
    serviceType: ServiceType;
}

/** The charts' rule: a release name that already contains the chart's name is used as is. */
export function chartFullname(releaseName: string, chartName: string): string {
    return releaseName.includes(chartName) ? releaseName : `${releaseName}-${chartName}`;
}

/** Component label values the milvus chart gives each role's pods (and names their objects with). */
export const ROLE_COMPONENT = {
    proxy: "proxy",
    mixCoordinator: "mixcoord",
    queryNode: "querynode",
    dataNode: "datanode",
    streamingNode: "streamingnode",
} as const;

/** The Secret the Milvus pods (and the backup CronJob) read the root password from. */
export function rootPasswordSecretName(releaseName: string): string {
    return `${releaseName}-root-password`;
}

/** Name of the Service we add for access from outside the cluster (see externalService). */
export function externalServiceName(releaseName: string): string {
    return `${chartFullname(releaseName, "milvus")}-external`;
}

export function kubernetesObjectNames(input: NamingInputs): ObjectName[] {
    const r = input.releaseName;
    const milvus = chartFullname(r, "milvus");
    const etcd = chartFullname(r, "etcd");
    const minio = chartFullname(r, "minio");
    const out: ObjectName[] = [{ kind: "HelmRelease", name: r }];
    const svc = (name: string) => out.push({ kind: "Service", name });
    const sts = (name: string) => out.push({ kind: "StatefulSet", name });

    svc(milvus);
    // Metrics Services of the roles (the proxy's metrics port is on the main Service).
    for (const c of ["datanode", "mixcoord", "querynode", "streamingnode"]) svc(`${milvus}-${c}`);
    if (input.serviceType !== "ClusterIP") svc(externalServiceName(r));
    sts(etcd);
    svc(etcd);
    svc(`${etcd}-headless`);
    svc(minio);
    if (input.minioMode === "distributed") {
        sts(minio);
        svc(`${minio}-svc`);
    }
    if (input.messageQueue === "pulsar") {
        const pulsar = chartFullname(r, "pulsarv3");
        for (const c of ["zookeeper", "bookie", "broker", "proxy", "recovery"]) {
            sts(`${pulsar}-${c}`);
            svc(`${pulsar}-${c}`);
        }
        out.push({ kind: "Job", name: `${pulsar}-bookie-init` }, { kind: "Job", name: `${pulsar}-pulsar-init` });
    }
    if (input.messageQueue === "kafka") {
        const kafka = chartFullname(r, "kafka");
        const zookeeper = chartFullname(r, "zookeeper");
        for (const name of [kafka, zookeeper]) {
            sts(name);
            svc(name);
            svc(`${name}-headless`);
        }
    }
    return out;
}

export interface NameOverLimit extends ObjectName {
    limit: number;
    why: string;
    /** Longest release name that keeps this object within its limit. */
    maxReleaseName: number;
}

/** Objects whose names would exceed their limit, longest excess first. */
export function namesOverLimit(input: NamingInputs): NameOverLimit[] {
    return kubernetesObjectNames(input)
        .filter((o) => o.name.length > NAME_LIMITS[o.kind].limit)
        .map((o) => {
            const { limit, why } = NAME_LIMITS[o.kind];
            return { ...o, limit, why, maxReleaseName: limit - (o.name.length - input.releaseName.length) };
        })
        .sort((a, b) => a.maxReleaseName - b.maxReleaseName);
}
