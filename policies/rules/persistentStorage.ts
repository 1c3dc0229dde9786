import { asArray, at, containerService, isCloreOrder, isMilvusRelease, isObj, isUnknown, isWorkload, podContainers, podSpecOf, resourceName, serviceOfImage, TYPES } from "../inspect";
import { PolicyRule } from "../view";

/** Where each service keeps its data inside the container, read from its command when given there. */
export function dataPath(service: "etcd" | "minio" | "milvus", command: string[]): string | undefined {
    if (service === "milvus") return "/var/lib/milvus";
    if (service === "etcd") {
        const i = command.findIndex((a) => a === "--data-dir" || a === "-data-dir");
        if (i >= 0 && command[i + 1]) return command[i + 1];
        const eq = command.find((a) => /^--?data-dir=/.test(a));
        return eq ? eq.split("=")[1] : undefined;
    }
    const i = command.indexOf("server");
    const arg = i >= 0 ? command.slice(i + 1).find((a) => a.startsWith("/")) : undefined;
    return arg;
}

const covers = (mount: string, path: string) => path === mount || path.startsWith(mount.endsWith("/") ? mount : `${mount}/`);

export const persistentStorage: PolicyRule = {
    name: "persistent-storage",
    description: "etcd, MinIO and Milvus keep their data on persistent storage (host directories, named volumes or PersistentVolumeClaims), so replacing a container or pod loses nothing.",
    fix: "Mount the data directories (etcd --data-dir, MinIO's server path, /var/lib/milvus) from the host or a named volume; in Helm values keep etcd/minio/standalone persistence.enabled: true; on Clore.ai use the Docker-host mode (host.usage: docker) with data under dataDir, or mark this rule advisory for scratch stacks.",
    enforcementLevel: "mandatory",
    validateResource: (r, report) => {
        if (r.type === TYPES.container) {
            const service = containerService(r.props);
            // Attu (and anything else) keeps no data of its own.
            if (service !== "etcd" && service !== "minio" && service !== "milvus") return;
            const name = resourceName(r);
            if (isUnknown(r.props.volumes) || isUnknown(r.props.command)) return;
            const mounts = asArray(r.props.volumes)
                .filter(isObj)
                .filter((v) => typeof v.containerPath === "string" && (v.hostPath !== undefined || v.volumeName !== undefined))
                .map((v) => String(v.containerPath));
            const path = dataPath(service, asArray(r.props.command).map(String));
            // A mount whose path is not known yet gets the benefit of the doubt.
            if (path === undefined ? mounts.length === 0 : !mounts.some((m) => isUnknown(m) || covers(m, path))) {
                report(`${service} container ${name} keeps ${path ?? "its data"} inside the container: it is lost when the container is replaced`);
            }
            return;
        }
        if (isCloreOrder(r) && serviceOfImage(String(r.props.image)) === "milvus") {
            // The order's container is the only disk: any change of image, env or ports rents afresh.
            report("the Clore.ai order runs Milvus with its data inside the rented container: it is gone when the order is replaced or ends");
            return;
        }
        if (isMilvusRelease(r)) {
            const values = r.props.values;
            for (const dep of ["etcd", "minio"]) {
                if (at(values, dep, "enabled") === false) continue;
                if (at(values, dep, "persistence", "enabled") === false) report(`chart value ${dep}.persistence.enabled is false: ${dep} data lives in the pod only`);
            }
            if (at(values, "cluster", "enabled") === false && at(values, "standalone", "persistence", "enabled") === false) {
                report("chart value standalone.persistence.enabled is false: Milvus's local data lives in the pod only");
            }
            return;
        }
        if (isWorkload(r)) {
            const services = podContainers(r).map((c) => serviceOfImage(c.image)).filter((s) => s === "etcd" || s === "minio" || s === "milvus");
            if (services.length === 0) return;
            const claims = asArray(at(r.props, "spec", "volumeClaimTemplates")).length;
            const persistentVolumes = asArray(podSpecOf(r)?.volumes)
                .filter(isObj)
                .filter((v) => isObj(v.persistentVolumeClaim) || isObj(v.hostPath)).length;
            if (claims + persistentVolumes === 0) report(`${services.join("/")} workload ${r.name} has no PersistentVolumeClaim or host volume`);
        }
    },
};
