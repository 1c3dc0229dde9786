import type { Manifest } from "./helm";

/** Readers over rendered Kubernetes manifests, for the render test's assertions. */

export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"];

export interface RenderedContainer {
    workload: string;
    kind: string;
    name: string;
    init: boolean;
    image: string;
    limits: Record<string, unknown>;
    env: Record<string, unknown>;
}

export function podSpec(m: Manifest): Manifest | undefined {
    if (m.kind === "Pod") return m.spec;
    if (m.kind === "CronJob") return m.spec?.jobTemplate?.spec?.template?.spec;
    return m.spec?.template?.spec;
}

export function podLabels(m: Manifest): Record<string, string> {
    return (m.kind === "Pod" ? m.metadata?.labels : m.spec?.template?.metadata?.labels) ?? {};
}

export const workloads = (ms: Manifest[]) => ms.filter((m) => WORKLOAD_KINDS.includes(m.kind));

export function containers(ms: Manifest[]): RenderedContainer[] {
    return workloads(ms).flatMap((w) => {
        const spec = podSpec(w) ?? {};
        const one = (c: Manifest, init: boolean): RenderedContainer => ({
            workload: `${w.kind}/${w.metadata.name}`,
            kind: w.kind,
            name: c.name,
            init,
            image: c.image,
            limits: c.resources?.limits ?? {},
            env: Object.fromEntries((c.env ?? []).map((e: Manifest) => [e.name, e.value])),
        });
        return [...(spec.initContainers ?? []).map((c: Manifest) => one(c, true)), ...(spec.containers ?? []).map((c: Manifest) => one(c, false))];
    });
}

/** Whether a matchLabels selector picks pods with these labels. */
export function selects(matchLabels: Record<string, string> | undefined, labels: Record<string, string>): boolean {
    if (!matchLabels || Object.keys(matchLabels).length === 0) return false;
    return Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
}

/** Kubernetes quantity -> bytes (binary and decimal suffixes). */
export function bytesOf(q: unknown): number {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(String(q));
    if (!m) return NaN;
    const unit: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
    return Number(m[1]) * (m[2] ? unit[m[2]] : 1);
}

/** MiB of heap plus direct memory a JVM option string reserves ("-Xmx2048m -XX:MaxDirectMemorySize=4096m"). */
export function jvmMib(opts: string): number {
    const mb = (re: RegExp) => Number(re.exec(opts)?.[1] ?? 0);
    return mb(/-Xmx(\d+)[mM]/) + mb(/MaxDirectMemorySize=(\d+)[mM]/);
}

/** Every PersistentVolumeClaim the render asks for: standalone claims and StatefulSet claim templates. */
export function volumeClaims(ms: Manifest[]): { owner: string; name: string; storageClassName?: string; size: string }[] {
    const out: { owner: string; name: string; storageClassName?: string; size: string }[] = [];
    for (const m of ms) {
        if (m.kind === "PersistentVolumeClaim") out.push({ owner: `PVC/${m.metadata.name}`, name: m.metadata.name, storageClassName: m.spec.storageClassName, size: m.spec.resources.requests.storage });
        for (const t of m.kind === "StatefulSet" ? (m.spec.volumeClaimTemplates ?? []) : []) {
            out.push({ owner: `StatefulSet/${m.metadata.name}`, name: t.metadata.name, storageClassName: t.spec.storageClassName, size: t.spec.resources.requests.storage });
        }
    }
    return out;
}
