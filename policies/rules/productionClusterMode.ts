import { at, containerService, isCloreOrder, isMilvusRelease, resourceName, serviceOfImage, TYPES } from "../inspect";
import { PolicyRule } from "../view";

export const productionClusterMode: PolicyRule = {
    name: "production-cluster-mode",
    description: "A stack whose name looks like production runs Milvus in cluster mode with at least 2 query nodes, so one node can fail or be drained without an outage.",
    fix: "Set `milvus-gpu:mode: cluster` with `cluster.queryNode.replicas: 2` or more for production stacks (see Pulumi.production.yaml), or rename the stack if it is not production.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            productionStackPattern: {
                type: "string",
                description: "Regular expression (case-insensitive) for stack names that count as production.",
                default: "^(prod|production|prd)([-_.].*)?$",
            },
            minQueryNodes: { type: "integer", description: "Query node replicas a production stack needs at least.", default: 2 },
        },
    },
    validateStack: (resources, report, ctx) => {
        const pattern = new RegExp(String(ctx.config.productionStackPattern), "i");
        if (!pattern.test(ctx.stack)) return;
        const min = Number(ctx.config.minQueryNodes);
        const releases = resources.filter(isMilvusRelease);
        for (const r of resources) {
            if (r.type === TYPES.container && containerService(r.props) === "milvus") {
                report(`production stack "${ctx.stack}" runs Milvus standalone in Docker container ${resourceName(r)}`, r);
            }
            if (isCloreOrder(r) && serviceOfImage(String(r.props.image)) === "milvus") {
                report(`production stack "${ctx.stack}" runs Milvus standalone on a single Clore.ai order`, r);
            }
        }
        if (releases.length === 0) {
            report(`production stack "${ctx.stack}" has no Milvus cluster (no Helm release of the milvus chart)`);
            return;
        }
        for (const r of releases) {
            if (at(r.props.values, "cluster", "enabled") === false) {
                report(`production stack "${ctx.stack}" deploys the milvus chart in standalone mode (cluster.enabled: false)`, r);
                continue;
            }
            const replicas = Number(at(r.props.values, "queryNode", "replicas") ?? 1);
            if (replicas < min) report(`production stack "${ctx.stack}" runs ${replicas} query node(s); at least ${min} are required`, r);
        }
    },
};
