import { containerService, isCloreOrder, isMilvusRelease, serviceOfImage, TYPES } from "../inspect";
import { PolicyRule } from "../view";

export const postDeployVerification: PolicyRule = {
    name: "post-deploy-verification",
    description: "A stack that deploys Milvus also has a post-deploy verification resource (schema reconcile and search canary), so `pulumi up` proves Milvus serves the collections rather than merely starting.",
    fix: "Declare the collections under `milvus-gpu:schema` (and `milvus-gpu:verify`) so the program adds the MilvusSchema step after the deployment.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            verificationTypePattern: {
                type: "string",
                description: "Regular expression for type tokens that count as post-deploy verification.",
                default: "^milvus-gpu:schema:|MilvusSchema|SchemaDeployment|Verif",
            },
        },
    },
    validateStack: (resources, report, ctx) => {
        const deploysMilvus = resources.some(
            (r) =>
                (r.type === TYPES.container && containerService(r.props) === "milvus") ||
                isMilvusRelease(r) ||
                (isCloreOrder(r) && serviceOfImage(String(r.props.image)) === "milvus"),
        );
        if (!deploysMilvus) return;
        const pattern = new RegExp(String(ctx.config.verificationTypePattern));
        if (!resources.some((r) => pattern.test(r.type))) {
            report(`stack "${ctx.stack}" deploys Milvus but has no post-deploy verification resource (no type matching /${pattern.source}/)`);
        }
    },
};
