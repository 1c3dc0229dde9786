import { asArray, at, containerService, EXPOSED_SERVICE_TYPES, isCloreOrder, isMilvusRelease, isObj, isUnknown, openPorts, resourceName, serviceOfImage, TYPES } from "../inspect";
import { PolicyRule } from "../view";

const HTTP = 9091;

export const privateMilvusHttpPort: PolicyRule = {
    name: "private-milvus-http-port",
    description:
        "Milvus's port 9091 (health, Prometheus metrics, pprof and the WebUI, none of them behind authentication) is not published beyond localhost.",
    fix: 'Leave `milvus.httpHost` at "127.0.0.1" (the default; health checks and gates run on the host) and reach 9091 through an SSH tunnel or a scraper on the host; in Kubernetes keep the Milvus service ClusterIP and `cluster.service.exposeMetrics` off. Mark this rule mandatory to forbid it outright.',
    enforcementLevel: "advisory",
    validateResource: (r, report) => {
        if (r.type === TYPES.container) {
            if (containerService(r.props) !== "milvus") return;
            for (const p of openPorts(r.props, HTTP)) report(`container ${resourceName(r)} publishes 9091 (metrics, pprof, WebUI) on ${p.ip}:${p.external ?? HTTP}`);
            return;
        }
        // An order running Milvus itself: Clore maps every listed port to a public one.
        if (isCloreOrder(r) && serviceOfImage(String(r.props.image)) === "milvus" && isObj(r.props.ports) && String(HTTP) in r.props.ports) {
            report("the Clore.ai order maps Milvus's 9091 (metrics, pprof, WebUI) to a public port");
            return;
        }
        if (isMilvusRelease(r) && !isUnknown(r.props.values)) {
            const type = at(r.props.values, "service", "type");
            // The chart's Milvus service carries 9091 beside 19530.
            if (typeof type === "string" && EXPOSED_SERVICE_TYPES.has(type)) report(`chart value service.type is ${type}: the Milvus service publishes 9091 outside the cluster`);
            return;
        }
        if (r.type === TYPES.k8sService) {
            const type = String(at(r.props, "spec", "type") ?? "ClusterIP");
            if (!EXPOSED_SERVICE_TYPES.has(type)) return;
            const exposes = asArray(at(r.props, "spec", "ports")).some((p) => Number(at(p, "port")) === HTTP || Number(at(p, "targetPort")) === HTTP || at(p, "targetPort") === "metrics");
            if (exposes) report(`Service ${String(at(r.props, "metadata", "name") ?? r.name)} (${type}) publishes 9091 outside the cluster`);
        }
    },
};
