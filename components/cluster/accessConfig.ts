import { always, block, bool, list, oneOf, report, reportGiven, withJson, z } from "../configSchema";

/** How Milvus is reached (service) and scraped (Prometheus operator ServiceMonitor). */
export type ServiceType = "ClusterIP" | "LoadBalancer" | "NodePort";
export const SERVICE_TYPES = ["ClusterIP", "LoadBalancer", "NodePort"] as const satisfies readonly ServiceType[];

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

const CIDR_ALLOWED = 'a CIDR range such as "10.0.0.0/8" or "203.0.113.7/32"';

function cidr() {
    return withJson(z.string({ error: CIDR_ALLOWED }).refine(isCidr, { error: CIDR_ALLOWED }), { type: "string", description: CIDR_ALLOWED });
}

/** `field` is the block's dotted path, for messages that name a sibling key. */
export function serviceSchema(field: string) {
    return block(
        {
            type: oneOf(SERVICE_TYPES).default("ClusterIP"),
            loadBalancerSourceRanges: list(cidr()).optional(),
            exposeMetrics: bool().default(false),
        },
        field,
    )
        .superRefine((s, ctx) => {
            const ranges = Array.isArray(s.loadBalancerSourceRanges) ? s.loadBalancerSourceRanges : s.loadBalancerSourceRanges === undefined ? [] : undefined;
            if (s.type === "LoadBalancer" && ranges?.length === 0) {
                // A cloud load balancer without source ranges admits every address on the internet.
                reportGiven(
                    ctx,
                    ["loadBalancerSourceRanges"],
                    'at least one CIDR range allowed to reach the LoadBalancer, e.g. ["203.0.113.0/24"] (without ranges it is open to every address)',
                );
            }
            if (ranges && ranges.length > 0 && SERVICE_TYPES.includes(s.type) && s.type !== "LoadBalancer") {
                report(ctx, ["loadBalancerSourceRanges"], ranges, `unset unless ${field}.type is "LoadBalancer"`);
            }
            if (s.exposeMetrics === true && s.type === "ClusterIP") {
                report(ctx, ["exposeMetrics"], true, `unset unless ${field}.type is "LoadBalancer" or "NodePort" (a ClusterIP service is cluster-internal already)`);
            }
        }, always)
        .transform((s): ServiceSettings => ({ type: s.type, loadBalancerSourceRanges: s.loadBalancerSourceRanges ?? [], exposeMetrics: s.exposeMetrics }));
}

/** Prometheus duration ("30s", "1m30s") in milliseconds. */
function durationMillis(d: string): number {
    const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    let total = 0;
    for (const m of d.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]];
    return total;
}

const DURATION_ALLOWED = 'a Prometheus duration such as "30s" or "1m"';

function duration() {
    return withJson(
        z.string({ error: DURATION_ALLOWED }).refine((d) => DURATION.test(d) && durationMillis(d) > 0, { error: DURATION_ALLOWED }),
        { type: "string", pattern: DURATION.source, description: DURATION_ALLOWED },
    );
}

const LABEL_KEY_ALLOWED = "label keys such as cloud.google.com/gke-accelerator or release";
const LABEL_VALUE_ALLOWED = "a label value: at most 63 letters, digits, '-', '_' or '.'";

/** Kubernetes labels; numbers and booleans are taken as their text, as YAML may type them. */
export function labels() {
    const text = (v: unknown) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v);
    return withJson(
        z
            .record(z.string(), z.unknown(), { error: "a mapping of label keys to values" })
            .superRefine((obj, ctx) => {
                for (const [key, value] of Object.entries(obj)) {
                    const v = text(value);
                    if (!LABEL_KEY.test(key)) report(ctx, [], key, LABEL_KEY_ALLOWED);
                    else if (typeof v !== "string" || !LABEL_VALUE.test(v)) reportGiven(ctx, [key], LABEL_VALUE_ALLOWED);
                }
            }, always)
            .transform((obj) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, String(text(v))])) as Record<string, string>),
        {
            type: "object",
            propertyNames: { pattern: LABEL_KEY.source },
            additionalProperties: { anyOf: [{ type: "string", pattern: LABEL_VALUE.source }, { type: "number" }, { type: "boolean" }] },
            description: "Kubernetes labels",
        },
    );
}

export function serviceMonitorSchema(field: string) {
    return block(
        {
            enabled: bool().default(false),
            interval: duration().optional(),
            scrapeTimeout: duration().optional(),
            labels: labels().optional(),
        },
        field,
    )
        .superRefine((m, ctx) => {
            if (m.enabled === false) {
                for (const key of ["interval", "scrapeTimeout", "labels"] as const) {
                    if (m[key] !== undefined) reportGiven(ctx, [key], `unset while ${field}.enabled is false (or set ${field}.enabled: true)`);
                }
            }
            const valid = (d: unknown, fallback: string) => (d === undefined ? fallback : typeof d === "string" && DURATION.test(d) ? d : undefined);
            const interval = valid(m.interval, "30s");
            const timeout = valid(m.scrapeTimeout, "10s");
            if (interval && timeout && durationMillis(timeout) > durationMillis(interval)) {
                report(ctx, ["scrapeTimeout"], timeout, `at most ${field}.interval (${interval}): Prometheus rejects a longer timeout`);
            }
        }, always)
        .transform(
            (m): ServiceMonitorSettings => ({ enabled: m.enabled, interval: m.interval ?? "30s", scrapeTimeout: m.scrapeTimeout ?? "10s", labels: m.labels ?? {} }),
        );
}
