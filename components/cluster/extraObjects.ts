import { CLUSTER_ROLES, ClusterSettings } from "./config";
import { chartFullname, externalServiceName, ROLE_COMPONENT } from "./names";
import { ONE_AT_A_TIME } from "./resources";

/**
 * Kubernetes objects the component creates beside the Helm release, for what the chart
 * has no (usable) key for. Plain manifests: the component deploys them, the offline render
 * prints them and the render test checks them together with the chart's output.
 */
export interface ObjectMeta {
    name: string;
    namespace: string;
    labels: Record<string, string>;
}

export interface PodDisruptionBudgetManifest {
    apiVersion: "policy/v1";
    kind: "PodDisruptionBudget";
    metadata: ObjectMeta;
    spec: { maxUnavailable: number; selector: { matchLabels: Record<string, string> } };
}

export interface ServicePort {
    name: string;
    port: number;
    targetPort: string;
    protocol: "TCP";
}

export interface ServiceManifest {
    apiVersion: "v1";
    kind: "Service";
    metadata: ObjectMeta;
    spec: { type: "LoadBalancer" | "NodePort"; selector: Record<string, string>; ports: ServicePort[]; loadBalancerSourceRanges?: string[] };
}

export type ExtraObject = PodDisruptionBudgetManifest | ServiceManifest;

/** The labels the milvus chart puts on the pods of one role (chart name "milvus", no nameOverride). */
export function rolePodLabels(config: ClusterSettings, component: string): Record<string, string> {
    return { "app.kubernetes.io/name": "milvus", "app.kubernetes.io/instance": config.releaseName, component };
}

// No app.kubernetes.io/name: the chart's ServiceMonitor selects by name + instance and must not scrape these twice.
export function ownLabels(config: ClusterSettings, part: string): Record<string, string> {
    return { "app.kubernetes.io/instance": config.releaseName, "app.kubernetes.io/part-of": "milvus", "app.kubernetes.io/component": part, "app.kubernetes.io/managed-by": "pulumi" };
}

function pdb(config: ClusterSettings, name: string, matchLabels: Record<string, string>): PodDisruptionBudgetManifest {
    return {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name, namespace: config.namespace, labels: ownLabels(config, "disruption-budget") },
        spec: { ...ONE_AT_A_TIME, selector: { matchLabels } },
    };
}

/**
 * One PodDisruptionBudget per Milvus role (the chart has none) and one for MinIO: the MinIO
 * subchart's own budget is named plain `minio` and selects every MinIO pod in the namespace,
 * whatever release they belong to. etcd and the message queues use their charts' budgets.
 */
export function disruptionBudgets(config: ClusterSettings): PodDisruptionBudgetManifest[] {
    const milvus = chartFullname(config.releaseName, "milvus");
    const roles = CLUSTER_ROLES.map((role) => pdb(config, `${milvus}-${ROLE_COMPONENT[role]}`, rolePodLabels(config, ROLE_COMPONENT[role])));
    return [...roles, pdb(config, chartFullname(config.releaseName, "minio"), { app: "minio", release: config.releaseName })];
}

/**
 * The Service that reaches the proxies from outside the cluster. The chart's own Service
 * stays ClusterIP: as a LoadBalancer it would also publish the metrics port 9091, and it
 * cannot leave metrics out without dropping them (and the ServiceMonitor) everywhere.
 */
export function externalService(config: ClusterSettings): ServiceManifest | undefined {
    const { type, loadBalancerSourceRanges, exposeMetrics } = config.service;
    if (type === "ClusterIP") return undefined;
    const ports: ServicePort[] = [{ name: "milvus", port: 19530, targetPort: "milvus", protocol: "TCP" }];
    if (exposeMetrics) ports.push({ name: "metrics", port: 9091, targetPort: "metrics", protocol: "TCP" });
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: externalServiceName(config.releaseName), namespace: config.namespace, labels: ownLabels(config, "external-access") },
        spec: {
            type,
            selector: rolePodLabels(config, ROLE_COMPONENT.proxy),
            ports,
            ...(type === "LoadBalancer" ? { loadBalancerSourceRanges: [...loadBalancerSourceRanges] } : {}),
        },
    };
}

export function extraObjects(config: ClusterSettings): ExtraObject[] {
    const svc = externalService(config);
    return [...disruptionBudgets(config), ...(svc ? [svc] : [])];
}
