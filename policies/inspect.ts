import { CONTAINER_ROLES, ContainerRole, ROLE_LABEL } from "../components/standalone/containerSpec";
import { isLoopback } from "../components/standalone/settings";
import { isUnknown, ResourceView, UNKNOWN } from "./view";

export { isUnknown, UNKNOWN };

/*
 * Readers that find the Milvus-related pieces in a stack's resources, whatever way they
 * are deployed: Docker containers (standalone), a Helm release of the milvus chart
 * (cluster), plain Kubernetes workloads, or a Clore.ai order running an image directly.
 * Rules use these instead of poking at provider-specific props themselves.
 */

export type Service = ContainerRole | "other";

export const TYPES = {
    container: "docker:index/container:Container",
    remoteImage: "docker:index/remoteImage:RemoteImage",
    helmRelease: "kubernetes:helm.sh/v3:Release",
    k8sService: "kubernetes:core/v1:Service",
} as const;

const WORKLOAD_TYPES = new Set([
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:core/v1:Pod",
]);

/** Run-to-completion workloads (the cluster backup CronJob): their images count, long-running checks (probes) do not apply. */
const JOB_TYPES = new Set(["kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob"]);

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads a nested property by path segments; undefined when any step is missing, UNKNOWN when a step is unknown. */
export function at(value: unknown, ...path: string[]): unknown {
    let cur = value;
    for (const key of path) {
        if (isUnknown(cur)) return UNKNOWN;
        if (!isObj(cur)) return undefined;
        cur = cur[key];
    }
    return cur;
}

export function asArray(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

export function isCloreOrder(r: ResourceView): boolean {
    return /clore.*CloreOrder$/i.test(r.type);
}

export function isMilvusRelease(r: ResourceView): boolean {
    if (r.type !== TYPES.helmRelease) return false;
    const chart = String(r.props.chart ?? "");
    return chart === "milvus" || chart.endsWith("/milvus");
}

export function isWorkload(r: ResourceView): boolean {
    return WORKLOAD_TYPES.has(r.type);
}

export function isJob(r: ResourceView): boolean {
    return JOB_TYPES.has(r.type);
}

/** Which service an image reference is, by repository name. */
export function serviceOfImage(image: string | undefined): Service {
    if (!image) return "other";
    const repo = image.split("@")[0].replace(/:[^/]*$/, "").toLowerCase();
    const last = repo.split("/").pop() ?? "";
    if (last === "etcd") return "etcd";
    if (last === "minio") return "minio";
    if (last === "milvus") return "milvus";
    if (last === "attu") return "attu";
    return "other";
}

/** Docker `envs` (["K=V"]) as a map. */
export function envMap(envs: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of asArray(envs)) {
        if (typeof e !== "string") continue;
        const i = e.indexOf("=");
        if (i > 0) out[e.slice(0, i)] = e.slice(i + 1);
    }
    return out;
}

/** The name a violation shows for a resource: the Docker/Kubernetes name when set, else the Pulumi name. */
export function resourceName(r: ResourceView): string {
    return String(r.props.name ?? r.name);
}

/** Docker `labels` ([{label, value}]) as a map. */
export function labelMap(labels: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const l of asArray(labels)) {
        if (isObj(l) && typeof l.label === "string" && typeof l.value === "string") out[l.label] = l.value;
    }
    return out;
}

/** The role this package's spec builders put on every container (ROLE_LABEL), when present and valid. */
export function labelledRole(props: Obj): ContainerRole | undefined {
    const role = labelMap(props.labels)[ROLE_LABEL];
    return (CONTAINER_ROLES as readonly string[]).includes(role) ? (role as ContainerRole) : undefined;
}

/**
 * What a Docker container runs. Containers made by this package say so in their role label;
 * for others (hand-made resources in a user's program) the image, command, env and name are
 * the best evidence there is, in that order.
 */
export function containerService(props: Obj): Service {
    const labelled = labelledRole(props);
    if (labelled) return labelled;
    const image = typeof props.image === "string" && !props.image.startsWith("sha256:") ? props.image : undefined;
    const byImage = serviceOfImage(image);
    if (byImage !== "other") return byImage;
    const command = asArray(props.command).map(String);
    const first = (command[0] ?? "").split("/").pop() ?? "";
    if (first === "etcd") return "etcd";
    if (first === "minio") return "minio";
    if (first === "milvus") return "milvus";
    const env = envMap(props.envs);
    if ("ETCD_ENDPOINTS" in env) return "milvus";
    if ("MINIO_ROOT_USER" in env || "MINIO_ACCESS_KEY" in env) return "minio";
    if (Object.keys(env).some((k) => k.startsWith("ETCD_"))) return "etcd";
    // Attu is configured with the Milvus address; its name often contains "milvus" too.
    if ("MILVUS_URL" in env) return "attu";
    const name = String(props.name ?? "").toLowerCase();
    if (/attu/.test(name)) return "attu";
    if (/etcd/.test(name)) return "etcd";
    if (/minio/.test(name)) return "minio";
    if (/milvus|standalone/.test(name)) return "milvus";
    return "other";
}

export interface PublishedPort {
    internal: number;
    external?: number;
    ip: string;
}

/** Ports a Docker container publishes; an unset ip means every interface (Docker's default). */
export function containerPorts(props: Obj): PublishedPort[] {
    return asArray(props.ports)
        .filter(isObj)
        .map((p) => ({ internal: Number(p.internal), external: p.external === undefined ? undefined : Number(p.external), ip: String(p.ip ?? "0.0.0.0") }));
}

export { isLoopback } from "../components/standalone/settings";

/** Ports a container publishes beyond loopback (for one container port, when given); unknown addresses are not judged. */
export function openPorts(props: Obj, internal?: number): PublishedPort[] {
    return containerPorts(props).filter((p) => (internal === undefined || p.internal === internal) && !isUnknown(p.ip) && !isLoopback(p.ip));
}

/** Kubernetes Service types that reach beyond the cluster. */
export const EXPOSED_SERVICE_TYPES: ReadonlySet<string> = new Set(["LoadBalancer", "NodePort"]);

/** A container spec inside a Kubernetes workload, with the pod it belongs to. */
export interface PodContainer {
    name: string;
    image: string;
    props: Obj;
}

export function podSpecOf(r: ResourceView): Obj | undefined {
    const spec =
        r.type === "kubernetes:core/v1:Pod"
            ? at(r.props, "spec")
            : r.type === "kubernetes:batch/v1:CronJob"
              ? at(r.props, "spec", "jobTemplate", "spec", "template", "spec")
              : at(r.props, "spec", "template", "spec");
    return isObj(spec) ? spec : undefined;
}

export function podContainers(r: ResourceView): PodContainer[] {
    const spec = podSpecOf(r);
    return asArray(spec?.containers)
        .filter(isObj)
        .map((c) => ({ name: String(c.name ?? ""), image: String(c.image ?? ""), props: c }));
}

/** The Milvus image a chart release deploys (`image.all`), as repository:tag. */
export function releaseMilvusImage(values: unknown): string | undefined {
    const repo = at(values, "image", "all", "repository");
    const tag = at(values, "image", "all", "tag");
    if (repo === undefined && tag === undefined) return undefined;
    return `${repo ?? "milvusdb/milvus"}${tag === undefined ? "" : `:${tag}`}`;
}

/** Milvus roles the 5.x chart runs in cluster mode (indexNode only in older layouts). */
export const CHART_ROLES = ["proxy", "mixCoordinator", "queryNode", "dataNode", "streamingNode", "indexNode"] as const;

/** Chart roles that will actually run, given the values. */
export function enabledChartRoles(values: unknown): string[] {
    if (at(values, "cluster", "enabled") === false) return ["standalone"];
    return CHART_ROLES.filter((role) => {
        const enabled = at(values, role, "enabled");
        if (role === "indexNode") return enabled === true;
        if (role === "streamingNode") return at(values, "streaming", "enabled") !== false;
        return enabled !== false;
    });
}

/** Parses a Kubernetes memory quantity ("8Gi", "512M", "1073741824") into bytes. */
export function quantityBytes(q: unknown): number | undefined {
    if (typeof q === "number") return q;
    if (typeof q !== "string") return undefined;
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P|E|m)?$/.exec(q.trim());
    if (!m) return undefined;
    const units: Record<string, number> = {
        Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5,
        k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, m: 1e-3,
    };
    return Math.round(Number(m[1]) * (m[2] ? units[m[2]] : 1));
}

/** Every object in a value tree (depth-first), for rules that look for declarations anywhere. */
export function* walk(value: unknown, depth = 0): Generator<Obj> {
    if (depth > 40) return;
    if (Array.isArray(value)) {
        for (const v of value) yield* walk(v, depth + 1);
    } else if (isObj(value)) {
        yield value;
        for (const v of Object.values(value)) yield* walk(v, depth + 1);
    }
}

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

export const AUTH_ENV = "COMMON_SECURITY_AUTHORIZATIONENABLED";
/** Milvus's `common.security.tlsMode` as an env override: 1 one-way, 2 mutual. */
export const TLS_MODE_ENV = "COMMON_SECURITY_TLSMODE";

export function tlsModeOn(value: unknown): boolean {
    return value === 1 || value === 2 || value === "1" || value === "2";
}

/** Whether a milvus chart release turns Milvus's TLS on (user.yaml tlsMode, or the env override). */
export function releaseTlsEnabled(values: unknown): boolean {
    const userYaml = at(values, "extraConfigFiles", "user.yaml");
    if (typeof userYaml === "string" && /tlsMode:\s*[12]\b/.test(userYaml)) return true;
    for (const o of walk(values)) {
        if (o.name === TLS_MODE_ENV && tlsModeOn(o.value)) return true;
    }
    return false;
}
export const ROOT_PASSWORD_ENV = "COMMON_SECURITY_DEFAULTROOTPASSWORD";

/** Whether a milvus chart release turns authentication on (user.yaml or the env override). */
export function releaseAuthEnabled(values: unknown): boolean {
    const userYaml = at(values, "extraConfigFiles", "user.yaml");
    if (typeof userYaml === "string" && /authorizationEnabled:\s*true/.test(userYaml)) return true;
    for (const o of walk(values)) {
        if (o.name === AUTH_ENV && String(o.value) === "true") return true;
    }
    return false;
}

/** Whether a milvus chart release sets a root password other than the default. */
export function releaseSetsRootPassword(values: unknown): boolean {
    for (const o of walk(values)) {
        if (o.name === ROOT_PASSWORD_ENV && (isObj(o.valueFrom) || (typeof o.value === "string" && o.value !== "" && o.value !== "Milvus"))) return true;
    }
    return false;
}

/**
 * Every image a resource deploys, with where it sits (for messages): the image pull, a
 * container, a Clore.ai order, a workload's containers, and `image: {repository, tag}` blocks
 * in a milvus chart's values (a block without a tag leaves the chart's own pinned default).
 */
export function deployedImages(r: ResourceView): { image: unknown; where: string }[] {
    if (r.type === TYPES.remoteImage) return [{ image: r.props.name, where: "the image pull" }];
    if (r.type === TYPES.container) return [{ image: r.props.image, where: `container ${resourceName(r)}` }];
    if (isCloreOrder(r)) return [{ image: r.props.image, where: "the Clore.ai order" }];
    if (isWorkload(r) || isJob(r)) {
        return [
            ...podContainers(r).map((c) => ({ image: c.image, where: `container ${c.name}` })),
            ...asArray(podSpecOf(r)?.initContainers)
                .filter(isObj)
                .map((c) => ({ image: c.image, where: `init container ${String(c.name ?? "")}` })),
        ];
    }
    if (isMilvusRelease(r) && !isUnknown(r.props.values)) {
        const out: { image: unknown; where: string }[] = [];
        for (const o of walk(r.props.values)) {
            const img = o.image;
            if (!isObj(img)) continue;
            for (const b of isObj(img.all) ? [img.all] : [img]) {
                if (b.tag === undefined || b.tag === "") continue;
                out.push({ image: `${String(b.repository ?? "image")}:${String(b.tag)}`, where: "an image in the chart values" });
            }
        }
        return out;
    }
    return [];
}
