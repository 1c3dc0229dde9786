import { ConfigError } from "../errors";
import { objectAt, optionalArray, optionalBoolean, optionalEnum, optionalString, Problems, rejectUnknownKeys } from "../validate";

/** How Milvus is reached (service) and scraped (Prometheus operator ServiceMonitor). */
export type ServiceType = "ClusterIP" | "LoadBalancer" | "NodePort";
export const SERVICE_TYPES: readonly ServiceType[] = ["ClusterIP", "LoadBalancer", "NodePort"];

export interface ServiceSettings {
    type: ServiceType;
    /** CIDRs a LoadBalancer admits; never empty for a LoadBalancer. */
    loadBalancerSourceRanges: string[];
    /** Also publish the metrics/health port 9091 outside the cluster (off: it stays cluster-internal). */
    exposeMetrics: boolean;
}

export interface ServiceMonitorSettings {
    enabled: boolean;
    interval: string;
    scrapeTimeout: string;
    /** Labels a Prometheus selects ServiceMonitors by (e.g. `release: kube-prometheus-stack`). */
    labels: Record<string, string>;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+\/(\d{1,3})$/;
const DURATION = /^(\d+(ms|s|m|h))+$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function isCidr(r: unknown): r is string {
    if (typeof r !== "string") return false;
    const v4 = IPV4_CIDR.exec(r);
    if (v4) return v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32;
    const v6 = IPV6_CIDR.exec(r);
    return v6 !== null && r.includes(":") && Number(v6[1]) <= 128;
}

export function parseService(raw: unknown, field: string): ServiceSettings {
    const obj = objectAt(raw, field);
    rejectUnknownKeys(obj, field, ["type", "loadBalancerSourceRanges", "exposeMetrics"]);
    const problems = new Problems();
    const type = problems.capture(() => optionalEnum(obj.type, `${field}.type`, SERVICE_TYPES)) ?? "ClusterIP";
    const listed = problems.capture(() => optionalArray(obj.loadBalancerSourceRanges, `${field}.loadBalancerSourceRanges`) ?? []);
    const bad = (listed ?? []).map((r, i) => [r, i] as const).filter(([r]) => !isCidr(r));
    for (const [r, i] of bad) problems.add(`${field}.loadBalancerSourceRanges[${i}]`, r, 'a CIDR range such as "10.0.0.0/8" or "203.0.113.7/32"');
    const ranges = listed && bad.length === 0 ? (listed as string[]) : undefined;
    const exposeMetrics = problems.capture(() => optionalBoolean(obj.exposeMetrics, `${field}.exposeMetrics`)) ?? false;
    if (type === "LoadBalancer" && ranges?.length === 0) {
        // A cloud load balancer without source ranges admits every address on the internet.
        problems.add(
            `${field}.loadBalancerSourceRanges`,
            obj.loadBalancerSourceRanges,
            'at least one CIDR range allowed to reach the LoadBalancer, e.g. ["203.0.113.0/24"] (without ranges it is open to every address)',
        );
    }
    if (ranges && ranges.length > 0 && type !== "LoadBalancer") {
        problems.add(`${field}.loadBalancerSourceRanges`, ranges, `unset unless ${field}.type is "LoadBalancer"`);
    }
    if (exposeMetrics && type === "ClusterIP") {
        problems.add(`${field}.exposeMetrics`, exposeMetrics, `unset unless ${field}.type is "LoadBalancer" or "NodePort" (a ClusterIP service is cluster-internal already)`);
    }
    problems.throwIfAny();
    return { type, loadBalancerSourceRanges: ranges!, exposeMetrics };
}

/** Prometheus duration ("30s", "1m30s") in milliseconds. */
function durationMillis(d: string): number {
    const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    let total = 0;
    for (const m of d.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]];
    return total;
}

function duration(value: unknown, field: string, fallback: string): string {
    const v = optionalString(value, field) ?? fallback;
    if (!DURATION.test(v) || durationMillis(v) === 0) throw new ConfigError(field, value, 'a Prometheus duration such as "30s" or "1m"');
    return v;
}

export function parseLabels(raw: unknown, field: string): Record<string, string> {
    const obj = objectAt(raw, field);
    const problems = new Problems();
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(obj)) {
        if (!LABEL_KEY.test(key)) {
            problems.add(field, key, "label keys such as cloud.google.com/gke-accelerator or release");
            continue;
        }
        const v = typeof value === "number" || typeof value === "boolean" ? String(value) : value;
        if (typeof v !== "string" || !LABEL_VALUE.test(v)) {
            problems.add(`${field}.${key}`, value, "a label value: at most 63 letters, digits, '-', '_' or '.'");
            continue;
        }
        out[key] = v;
    }
    problems.throwIfAny();
    return out;
}

export function parseServiceMonitor(raw: unknown, field: string): ServiceMonitorSettings {
    const obj = objectAt(raw, field);
    rejectUnknownKeys(obj, field, ["enabled", "interval", "scrapeTimeout", "labels"]);
    const problems = new Problems();
    const enabled = problems.capture(() => optionalBoolean(obj.enabled, `${field}.enabled`)) ?? false;
    if (!enabled) {
        for (const key of ["interval", "scrapeTimeout", "labels"] as const) {
            if (obj[key] !== undefined) problems.add(`${field}.${key}`, obj[key], `unset while ${field}.enabled is false (or set ${field}.enabled: true)`);
        }
    }
    const interval = problems.capture(() => duration(obj.interval, `${field}.interval`, "30s"));
    const scrapeTimeout = problems.capture(() => duration(obj.scrapeTimeout, `${field}.scrapeTimeout`, "10s"));
    if (interval && scrapeTimeout && durationMillis(scrapeTimeout) > durationMillis(interval)) {
        problems.add(`${field}.scrapeTimeout`, scrapeTimeout, `at most ${field}.interval (${interval}): Prometheus rejects a longer timeout`);
    }
    const labels = problems.capture(() => parseLabels(obj.labels, `${field}.labels`)) ?? {};
    problems.throwIfAny();
    return { enabled, interval: interval!, scrapeTimeout: scrapeTimeout!, labels };
}
