import { at, containerService, envMap, isCloreOrder, isMilvusRelease, isObj, isUnknown, openPorts, releaseTlsEnabled, resourceName, serviceOfImage, TLS_MODE_ENV, tlsModeOn, TYPES } from "../inspect";
import { PolicyRule } from "../view";

const GRPC = 19530;

export const milvusTlsWhenPublic: PolicyRule = {
    name: "milvus-tls-when-public",
    description: "Milvus's gRPC port 19530 reachable beyond localhost uses TLS: without it the root password and every vector cross the network in clear.",
    fix: 'Set `milvus.tls: { mode: one-way }` (a self-signed certificate is generated on the Docker host; or `certificate: config` with the milvusTlsCert/milvusTlsKey secrets), or publish 19530 on 127.0.0.1 and tunnel; in Helm values set common.security.tlsMode in user.yaml.',
    enforcementLevel: "advisory",
    validateResource: (r, report) => {
        if (r.type === TYPES.container) {
            if (containerService(r.props) !== "milvus" || isUnknown(r.props.envs)) return;
            const open = openPorts(r.props, GRPC);
            if (open.length > 0 && !tlsModeOn(envMap(r.props.envs)[TLS_MODE_ENV])) report(`container ${resourceName(r)} publishes 19530 on ${open[0].ip} without TLS`);
            return;
        }
        if (isCloreOrder(r) && serviceOfImage(String(r.props.image)) === "milvus" && isObj(r.props.ports) && String(GRPC) in r.props.ports) {
            if (isUnknown(r.props.env)) return;
            const env = isObj(r.props.env) ? r.props.env : {};
            if (!tlsModeOn(env[TLS_MODE_ENV])) report("the Clore.ai order publishes 19530 on the public internet without TLS");
            return;
        }
        if (isMilvusRelease(r) && !isUnknown(r.props.values)) {
            const type = String(at(r.props.values, "service", "type") ?? "ClusterIP");
            // An ingress with its own TLS section terminates TLS in front of Milvus.
            const tlsAtIngress = Array.isArray(at(r.props.values, "ingress", "tls")) && (at(r.props.values, "ingress", "tls") as unknown[]).length > 0;
            const ingress = at(r.props.values, "ingress", "enabled") === true && !tlsAtIngress;
            if (((type !== "ClusterIP" && !isUnknown(type)) || ingress) && !releaseTlsEnabled(r.props.values)) {
                report(`the Milvus service is exposed (${ingress ? "ingress" : type}) without TLS`);
            }
        }
    },
};
