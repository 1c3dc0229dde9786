import { at, CHART_ROLES, GIB, isCloreOrder, isMilvusRelease, isObj, quantityBytes, TYPES, MIB } from "../inspect";
import { PolicyRule, ResourceView } from "../view";

/** RAM of the rented server: its listed specs once rented, else the filter's guaranteed minimum. */
function cloreRamGb(r: ResourceView): { gb: number; source: string } | undefined {
    const listed = Number(at(r.props, "server", "specs", "ram"));
    if (Number.isFinite(listed) && listed > 0) return { gb: listed, source: "the rented Clore.ai server" };
    const min = Number(at(r.props, "filters", "minRamGb"));
    if (Number.isFinite(min) && min > 0) return { gb: min, source: "the Clore.ai filter minRamGb (the least a matching server has)" };
    return undefined;
}

export const memoryFitsHost: PolicyRule = {
    name: "memory-fits-host",
    description: "The memory the containers may use fits the host: the sum of Docker memory limits stays below the host's RAM (Clore.ai server specs when known), and no Kubernetes pod requests more than a node has.",
    fix: "Lower the services' `memory` settings, or rent/choose a bigger host (raise the Clore.ai filter `minRamGb`, or set this rule's hostMemoryGb/nodeMemoryGb to the real size).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            hostMemoryGb: { type: "number", description: "RAM of the Docker host in GB, when it is not a Clore.ai rental (0: unknown)." , default: 0 },
            reservedMemoryGb: { type: "number", description: "RAM kept free for the OS and Docker itself.", default: 1 },
            nodeMemoryGb: { type: "number", description: "Allocatable memory of the largest Kubernetes node in GB (0: unknown).", default: 0 },
        },
    },
    validateStack: (resources, report, ctx) => {
        const containers = resources.filter((r) => r.type === TYPES.container);
        // An unknown limit counts as 0: the check then errs towards passing during preview.
        const totalBytes = containers.reduce((sum, r) => sum + (Number(r.props.memory ?? 0) || 0) * MIB, 0);
        const configured = Number(ctx.config.hostMemoryGb ?? 0);
        const reserved = Number(ctx.config.reservedMemoryGb ?? 0);
        const hosts: { gb: number; source: string; resource?: ResourceView }[] = [];
        if (configured > 0) hosts.push({ gb: configured, source: "the configured hostMemoryGb" });
        for (const r of resources.filter(isCloreOrder)) {
            const ram = cloreRamGb(r);
            if (ram) hosts.push({ ...ram, resource: r });
        }
        if (containers.length > 0) {
            for (const host of hosts) {
                const available = (host.gb - reserved) * GIB;
                if (totalBytes > available) {
                    report(
                        `the containers may use ${(totalBytes / GIB).toFixed(1)} GB but ${host.source} has ${host.gb} GB (${reserved} GB kept for the system)`,
                        host.resource,
                    );
                }
            }
        }
        const node = Number(ctx.config.nodeMemoryGb ?? 0);
        if (node > 0) {
            for (const r of resources.filter(isMilvusRelease)) {
                for (const role of [...CHART_ROLES, "etcd", "minio"]) {
                    const res = at(r.props.values, role, "resources");
                    if (!isObj(res)) continue;
                    const bytes = quantityBytes(at(res, "requests", "memory") ?? at(res, "limits", "memory"));
                    if (bytes !== undefined && bytes > node * GIB) {
                        report(`${role} pods request ${(bytes / GIB).toFixed(1)} GB but the largest node has ${node} GB: they can never be scheduled`, r);
                    }
                }
            }
        }
    },
};
