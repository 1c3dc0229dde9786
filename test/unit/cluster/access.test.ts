import { describe, expect, it } from "vitest";
import { parseClusterSettings } from "../../../components/cluster/config";
import { externalService } from "../../../components/cluster/extraObjects";
import { milvusClusterValues } from "../../../components/cluster/values";
import { configErrorsIn } from "../../helpers/configErrors";

const SECRETS = { minioAccessKey: "a", minioSecretKey: "s", rootPasswordSecretName: "milvus-root-password" };
type Obj = Record<string, any>;


describe("service exposure (point 3)", () => {
    it("refuses a LoadBalancer without source ranges, or with an empty list, naming what is allowed", () => {
        for (const service of [{ type: "LoadBalancer" }, { type: "LoadBalancer", loadBalancerSourceRanges: [] }]) {
            const [e, ...rest] = configErrorsIn(() => parseClusterSettings({ service }));
            expect(rest).toEqual([]);
            expect(e.field).toBe("cluster.service.loadBalancerSourceRanges");
            expect(e.allowed).toMatch(/at least one CIDR range.*open to every address/);
        }
    });

    it("checks every range is a real CIDR", () => {
        const errs = configErrorsIn(() => parseClusterSettings({ service: { type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8", "300.1.1.1/8", "10.0.0.0/40", "office"] } }));
        expect(errs.map((e) => e.field)).toEqual(["cluster.service.loadBalancerSourceRanges[1]", "cluster.service.loadBalancerSourceRanges[2]", "cluster.service.loadBalancerSourceRanges[3]"]);
        expect(configErrorsIn(() => parseClusterSettings({ service: { type: "LoadBalancer", loadBalancerSourceRanges: ["2001:db8::/32"] } }))).toEqual([]);
    });

    it("keeps the chart's own Service ClusterIP and adds a LoadBalancer with the ranges and port 19530 only", () => {
        const config = parseClusterSettings({ service: { type: "LoadBalancer", loadBalancerSourceRanges: ["203.0.113.0/24"] } });
        const v = milvusClusterValues(config, SECRETS) as Obj;
        expect(v.service).toEqual({ type: "ClusterIP", port: 19530 });
        expect(v.metrics.enabled).toBe(true);
        const svc = externalService(config)!;
        expect(svc.metadata.name).toBe("milvus-external");
        expect(svc.spec.type).toBe("LoadBalancer");
        expect(svc.spec.loadBalancerSourceRanges).toEqual(["203.0.113.0/24"]);
        expect(svc.spec.ports.map((p) => p.port)).toEqual([19530]);
        expect(svc.spec.selector).toEqual({ "app.kubernetes.io/name": "milvus", "app.kubernetes.io/instance": "milvus", component: "proxy" });
    });

    it("publishes the metrics port outside only when asked, and never on a ClusterIP-only deployment", () => {
        const asked = parseClusterSettings({ service: { type: "NodePort", exposeMetrics: true } });
        expect(externalService(asked)!.spec.ports.map((p) => p.port)).toEqual([19530, 9091]);
        expect(externalService(asked)!.spec.loadBalancerSourceRanges).toBeUndefined();
        expect(externalService(parseClusterSettings({}))).toBeUndefined();
        expect(configErrorsIn(() => parseClusterSettings({ service: { exposeMetrics: true } }))[0].field).toBe("cluster.service.exposeMetrics");
    });
});

describe("ServiceMonitor (point 6)", () => {
    it("is off unless asked; when on, the chart's ServiceMonitor gets the interval, timeout and selector labels", () => {
        expect((milvusClusterValues(parseClusterSettings({}), SECRETS) as Obj).metrics.serviceMonitor).toEqual({ enabled: false });
        const v = milvusClusterValues(parseClusterSettings({ serviceMonitor: { enabled: true, interval: "15s", labels: { release: "kube-prometheus-stack" } } }), SECRETS) as Obj;
        expect(v.metrics).toEqual({
            enabled: true,
            serviceMonitor: { enabled: true, interval: "15s", scrapeTimeout: "10s", additionalLabels: { release: "kube-prometheus-stack" } },
        });
    });

    it("reports bad durations, a timeout longer than the interval, bad labels and settings without enabled, all at once", () => {
        const fields = configErrorsIn(() => parseClusterSettings({ serviceMonitor: { enabled: true, interval: "often", labels: { "bad key!": "x", team: "a b" } } })).map((e) => e.field);
        expect(fields.sort()).toEqual(["cluster.serviceMonitor.interval", "cluster.serviceMonitor.labels", "cluster.serviceMonitor.labels.team"]);
        const [t] = configErrorsIn(() => parseClusterSettings({ serviceMonitor: { enabled: true, interval: "10s", scrapeTimeout: "1m" } }));
        expect(t.field).toBe("cluster.serviceMonitor.scrapeTimeout");
        expect(t.allowed).toContain("at most cluster.serviceMonitor.interval (10s)");
        expect(configErrorsIn(() => parseClusterSettings({ serviceMonitor: { interval: "30s" } }))[0].field).toBe("cluster.serviceMonitor.interval");
    });
});
