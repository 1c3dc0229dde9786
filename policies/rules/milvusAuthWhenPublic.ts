import { at, AUTH_ENV, containerPorts, containerService, envMap, isCloreOrder, isLoopback, isMilvusRelease, isObj, isUnknown, releaseAuthEnabled, resourceName, serviceOfImage, TYPES } from "../inspect";
import { PolicyRule } from "../view";

const GRPC = 19530;

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
};
