import { asArray, at, containerService, enabledChartRoles, isMilvusRelease, isObj, isUnknown, isWorkload, podContainers, resourceName, serviceOfImage, TYPES } from "../inspect";
import { PolicyRule } from "../view";

/** Chart sections whose pods the rule covers, besides the Milvus roles. */
const DEPENDENCIES = ["etcd", "minio"] as const;

/** Message-queue subcharts: the value paths of every container's resources, when that queue is enabled. */
const QUEUE_CONTAINERS: Record<string, string[][]> = {
    pulsarv3: [["zookeeper"], ["bookkeeper"], ["broker"], ["proxy"], ["autorecovery"], ["initContainer"], ["pulsar_metadata"], ["bookkeeper", "metadata"]],
    kafka: [[], ["zookeeper"]],
};

export const memoryLimitsAndHealth: PolicyRule = {
    name: "memory-limits-and-health",
    description: "Every etcd, MinIO and Milvus container or pod has a memory limit and a healthcheck (Docker) or liveness/readiness probes (Kubernetes); in the milvus chart also every Pulsar/Kafka/ZooKeeper container the enabled message queue brings.",
    fix: "Set `memory` for each service (e.g. `milvus.memory: 16g`) and keep the healthchecks; in Helm values keep `resources.limits.memory` and the probes enabled for every role, etcd, MinIO and the message queue's components (the cluster component writes them all).",
    enforcementLevel: "mandatory",
    validateResource: (r, report) => {
        if (r.type === TYPES.container) {
            const service = containerService(r.props);
            if (service === "other") return;
            const name = resourceName(r);
            if (!isUnknown(r.props.memory) && !(Number(r.props.memory ?? 0) > 0)) report(`${service} container ${name} has no memory limit`);
            const tests = asArray(at(r.props, "healthcheck", "tests"));
            if (isUnknown(at(r.props, "healthcheck", "tests"))) return;
            if (tests.length === 0 || tests[0] === "NONE") report(`${service} container ${name} has no healthcheck`);
            return;
        }
        if (isMilvusRelease(r)) {
            const values = r.props.values;
            for (const role of enabledChartRoles(values)) {
                if (at(values, role, "resources", "limits", "memory") === undefined) report(`Milvus ${role} pods have no memory limit (${role}.resources.limits.memory)`);
            }
            for (const probe of ["livenessProbe", "readinessProbe"]) {
                if (at(values, probe, "enabled") === false) report(`Milvus pods have ${probe} disabled`);
            }
            for (const dep of DEPENDENCIES) {
                if (at(values, dep, "enabled") === false) continue; // external service, not deployed here
                if (at(values, dep, "resources", "limits", "memory") === undefined) report(`${dep} pods have no memory limit (${dep}.resources.limits.memory)`);
                for (const probe of ["livenessProbe", "readinessProbe"]) {
                    if (at(values, dep, probe, "enabled") === false) report(`${dep} pods have ${probe} disabled`);
                }
            }
            for (const [queue, paths] of Object.entries(QUEUE_CONTAINERS)) {
                if (at(values, queue, "enabled") !== true) continue;
                for (const path of paths) {
                    const where = [queue, ...path, "resources", "limits", "memory"];
                    if (at(values, ...where) === undefined) report(`${[queue, ...path].join(".")} containers have no memory limit (${where.join(".")})`);
                }
            }
            return;
        }
        if (isWorkload(r)) {
            for (const c of podContainers(r)) {
                const service = serviceOfImage(c.image);
                if (service === "other") continue;
                if (at(c.props, "resources", "limits", "memory") === undefined) report(`${service} container ${c.name} has no memory limit`);
                if (!isObj(c.props.livenessProbe) && !isObj(c.props.readinessProbe)) report(`${service} container ${c.name} has no liveness or readiness probe`);
            }
        }
    },
};
