import { asArray, at, AUTH_ENV, containerPorts, containerService, envMap, isCloreOrder, isLoopback, isMilvusRelease, isObj, isUnknown, releaseAuthEnabled, resourceName, serviceOfImage, TYPES } from "../inspect";
import { PolicyRule, ResourceView } from "../view";

const GRPC = 19530;
const EXPOSED = new Set(["LoadBalancer", "NodePort"]);

/** A Kubernetes Service that publishes 19530 outside the cluster (the cluster component's external Service, or a hand-made one). */
function exposesGrpc(r: ResourceView): boolean {
    if (r.type !== TYPES.k8sService || !EXPOSED.has(String(at(r.props, "spec", "type")))) return false;
    return asArray(at(r.props, "spec", "ports")).some((p) => Number(at(p, "port")) === GRPC || Number(at(p, "targetPort")) === GRPC || at(p, "targetPort") === "milvus");
}

export const milvusAuthWhenPublic: PolicyRule = {
    name: "milvus-auth-when-public",
    description: "Milvus authentication is on whenever its gRPC port 19530 is reachable beyond localhost.",
    fix: "Set `milvus.auth: true` (a root password is generated and kept secret), or publish 19530 on 127.0.0.1 only; the cluster component always turns authentication on.",
    enforcementLevel: "mandatory",
    validateResource: (r, report) => {
        if (r.type === TYPES.container && containerService(r.props) === "milvus") {
            if (isUnknown(r.props.envs)) return;
            const open = containerPorts(r.props).filter((p) => p.internal === GRPC && !isLoopback(p.ip) && !isUnknown(p.ip));
            if (open.length > 0 && envMap(r.props.envs)[AUTH_ENV] !== "true") {
                report(`container ${resourceName(r)} publishes 19530 on ${open[0].ip} without authentication`);
            }
            return;
        }
        // Only an order that runs Milvus itself; a Docker-host order forwards to containers checked above.
        if (isCloreOrder(r) && serviceOfImage(String(r.props.image)) === "milvus" && isObj(r.props.ports) && String(GRPC) in r.props.ports) {
            if (isUnknown(r.props.env)) return;
            const env = isObj(r.props.env) ? r.props.env : {};
            if (String(env[AUTH_ENV]) !== "true") report("the Clore.ai order publishes 19530 on the public internet without Milvus authentication");
            return;
        }
        if (isMilvusRelease(r) && !isUnknown(r.props.values)) {
            const type = String(at(r.props.values, "service", "type") ?? "ClusterIP");
            const ingress = at(r.props.values, "ingress", "enabled") === true;
            if (((type !== "ClusterIP" && !isUnknown(type)) || ingress) && !releaseAuthEnabled(r.props.values)) {
                report(`the Milvus service is exposed (${ingress ? "ingress" : type}) without authentication`);
            }
        }
    },
    // A Service beside the release (the cluster component's own LoadBalancer/NodePort) exposes the release's proxies.
    validateStack: (resources, report) => {
        const releases = resources.filter((r) => isMilvusRelease(r) && !isUnknown(r.props.values));
        for (const svc of resources.filter(exposesGrpc)) {
            const ns = at(svc.props, "metadata", "namespace");
            const open = releases.filter((r) => (isUnknown(ns) || isUnknown(r.props.namespace) || r.props.namespace === ns) && !releaseAuthEnabled(r.props.values));
            for (const r of open) {
                report(`Service ${String(at(svc.props, "metadata", "name") ?? svc.name)} (${String(at(svc.props, "spec", "type"))}) exposes 19530 of Milvus release ${resourceName(r)} without authentication`, svc);
            }
        }
    },
};
