import { asArray, at, containerPorts, containerService, isCloreOrder, isLoopback, isMilvusRelease, isObj, isUnknown, resourceName, TYPES } from "../inspect";
import { PolicyRule } from "../view";

const ETCD_PORTS = new Set([2379, 2380]);
const MINIO_PORTS = new Set([9000, 9001]);
const EXPOSED_SERVICE_TYPES = new Set(["LoadBalancer", "NodePort"]);

export const privateEtcdMinioPorts: PolicyRule = {
    name: "private-etcd-minio-ports",
    description: "etcd (2379/2380) and MinIO (9000/9001) are not published beyond localhost: etcd has no authentication here and MinIO holds all vector data.",
    fix: 'Leave the etcd/MinIO ports unpublished (Milvus reaches them on the private network), or bind them to "127.0.0.1" and use an SSH tunnel; in Kubernetes keep their Services ClusterIP.',
    enforcementLevel: "mandatory",
    validateResource: (r, report) => {
        if (r.type === TYPES.container) {
            const service = containerService(r.props);
            const name = resourceName(r);
            for (const p of containerPorts(r.props)) {
                if (isLoopback(p.ip) || isUnknown(p.ip)) continue;
                // An unidentified container counts when it publishes the well-known ports.
                const label = service === "etcd" || (service === "other" && ETCD_PORTS.has(p.internal)) ? "etcd" : service === "minio" || (service === "other" && MINIO_PORTS.has(p.internal)) ? "MinIO" : undefined;
                if (label) report(`container ${name} publishes ${label} port ${p.internal} on ${p.ip}:${p.external ?? p.internal}`);
            }
            return;
        }
        if (isCloreOrder(r) && isObj(r.props.ports)) {
            for (const port of Object.keys(r.props.ports)) {
                const n = Number(port);
                if (ETCD_PORTS.has(n) || MINIO_PORTS.has(n)) report(`the Clore.ai order publishes port ${n} (${ETCD_PORTS.has(n) ? "etcd" : "MinIO"}) on the public internet`);
            }
            return;
        }
        if (isMilvusRelease(r)) {
            for (const dep of ["etcd", "minio"]) {
                const type = at(r.props.values, dep, "service", "type");
                if (typeof type === "string" && EXPOSED_SERVICE_TYPES.has(type)) report(`chart value ${dep}.service.type is ${type}: ${dep} is reachable from outside the cluster`);
            }
            return;
        }
        if (r.type === TYPES.k8sService) {
            const type = String(at(r.props, "spec", "type") ?? "ClusterIP");
            if (!EXPOSED_SERVICE_TYPES.has(type)) return;
            for (const p of asArray(at(r.props, "spec", "ports")).filter(isObj)) {
                const n = Number(p.targetPort ?? p.port);
                if (ETCD_PORTS.has(n) || MINIO_PORTS.has(n)) report(`Service ${r.name} (${type}) exposes port ${n} (${ETCD_PORTS.has(n) ? "etcd" : "MinIO"}) outside the cluster`);
            }
        }
    },
};
