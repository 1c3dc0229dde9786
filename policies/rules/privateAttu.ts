import { at, containerService, EXPOSED_SERVICE_TYPES, isMilvusRelease, isUnknown, openPorts, resourceName, TYPES } from "../inspect";
import { PolicyRule } from "../view";

export const privateAttu: PolicyRule = {
    name: "private-attu",
    description: "Attu, the admin web UI (it can drop collections and manage users), is not published beyond localhost.",
    fix: 'Keep `attu.host` at "127.0.0.1" (the default) and open it through an SSH tunnel (ssh -L 8000:127.0.0.1:8000 <host>); in Helm values keep attu.service.type ClusterIP and attu.ingress off. Set this rule advisory only for a network you trust.',
    enforcementLevel: "mandatory",
    validateResource: (r, report) => {
        if (r.type === TYPES.container) {
            if (containerService(r.props) !== "attu") return;
            for (const p of openPorts(r.props)) report(`Attu container ${resourceName(r)} publishes port ${p.internal} on ${p.ip}:${p.external ?? p.internal}`);
            return;
        }
        if (isMilvusRelease(r) && !isUnknown(r.props.values) && at(r.props.values, "attu", "enabled") === true) {
            const type = at(r.props.values, "attu", "service", "type");
            if (typeof type === "string" && EXPOSED_SERVICE_TYPES.has(type)) report(`chart value attu.service.type is ${type}: Attu is reachable from outside the cluster`);
            if (at(r.props.values, "attu", "ingress", "enabled") === true) report("chart value attu.ingress.enabled is true: Attu is published through an ingress");
        }
    },
};
