import { CloreNativeMilvus } from "../components/clore/cloreNativeMilvus";
import { rentalArgsFromConfig } from "../components/clore/rentalArgs";
import { CloreNativeStackConfig, loadSecrets } from "./config";
import { requireSecret } from "./standalone";
import { verifiedDeployment } from "./verification";

/** Milvus's GPU image run directly as a Clore.ai order, checked through its public port. */
export function cloreNativeStack(config: CloreNativeStackConfig) {
    const secrets = loadSecrets();
    const h = config.host;
    const milvus = new CloreNativeMilvus("milvus", {
        ...rentalArgsFromConfig(h, requireSecret(secrets.cloreApiKey, "cloreApiKey", "a Clore.ai host")),
        version: h.milvusVersion,
        env: h.env,
        rootPassword: secrets.rootPassword,
    });
    const verified = verifiedDeployment(config, milvus, [milvus]);
    return {
        milvus,
        schema: verified.schema,
        outputs: {
            ...verified.outputs,
            images: { milvus: milvus.image },
            rental: { orderId: milvus.order.orderId, pricePerDay: milvus.pricePerDay, gpu: milvus.gpu },
        },
    };
}
