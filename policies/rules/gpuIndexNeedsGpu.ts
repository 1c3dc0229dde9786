import { isGpuImage } from "../../components/standalone/releases";
import {
    at,
    containerService,
    isCloreOrder,
    isMilvusRelease,
    isUnknown,
    releaseMilvusImage,
    serviceOfImage,
    TYPES,
    walk,
} from "../inspect";
import { PolicyRule, ResourceView, UNKNOWN } from "../view";

const GPU_INDEX = /^GPU_[A-Z_]+$/;
const UNKNOWN_MARK = UNKNOWN;

/** GPU index types declared anywhere in a resource's inputs (the schema step carries its spec there). */
export function declaredGpuIndexes(resources: ResourceView[]): { resource: ResourceView; types: string[] }[] {
    const out: { resource: ResourceView; types: string[] }[] = [];
    for (const r of resources) {
        if (r.type === TYPES.container || r.type === TYPES.helmRelease) continue;
        const types = new Set<string>();
        for (const o of walk(r.props)) {
            for (const key of ["type", "indexType", "index_type"]) {
                const v = o[key];
                if (typeof v === "string" && GPU_INDEX.test(v)) types.add(v);
            }
        }
        if (types.size > 0) out.push({ resource: r, types: [...types] });
    }
    return out;
}


export const gpuIndexNeedsGpu: PolicyRule = {
    name: "gpu-index-needs-gpu-image",
    description: "A GPU index type (GPU_IVF_FLAT, GPU_CAGRA, ...) declared in the schema needs Milvus with a GPU reservation and the `-gpu` image; the plain image has no GPU indexes even on a GPU host.",
    fix: "Use the `-gpu` Milvus image (e.g. milvusdb/milvus:v3.0.2-gpu) and reserve GPUs: `milvus.gpu: all` (standalone) or `cluster.gpu.enabled: true` (cluster); or choose a CPU index such as HNSW.",
    enforcementLevel: "mandatory",
    validateStack: (resources, report) => {
        const declared = declaredGpuIndexes(resources);
        if (declared.length === 0) return;
        const types = [...new Set(declared.flatMap((d) => d.types))].join(", ");

        for (const r of resources) {
            if (r.type === TYPES.remoteImage && !isUnknown(r.props.name) && serviceOfImage(String(r.props.name)) === "milvus" && !isGpuImage(String(r.props.name))) {
                report(`the schema declares ${types} but the Milvus image "${String(r.props.name)}" is not a -gpu build`, r);
            }
            if (r.type === TYPES.container && containerService(r.props) === "milvus") {
                const image = String(r.props.image ?? "");
                if (!image.startsWith("sha256:") && image !== "" && !isUnknown(image) && !isGpuImage(image)) {
                    report(`the schema declares ${types} but container ${String(r.props.name)} runs "${image}", not a -gpu build`, r);
                }
                if (!isUnknown(r.props.gpus) && (r.props.gpus === undefined || r.props.gpus === "")) {
                    report(`the schema declares ${types} but container ${String(r.props.name)} reserves no GPU (gpus is unset)`, r);
                }
            }
            if (isMilvusRelease(r) && !isUnknown(r.props.values)) {
                const image = releaseMilvusImage(r.props.values);
                if (image === undefined || (!image.includes(UNKNOWN_MARK) && !isGpuImage(image))) {
                    report(`the schema declares ${types} but the Milvus chart deploys "${image ?? "the chart's default image"}", not a -gpu build`, r);
                }
                const gpus = at(r.props.values, "queryNode", "resources", "limits", "nvidia.com/gpu");
                if (!isUnknown(gpus) && !(Number(gpus ?? 0) > 0)) report(`the schema declares ${types} but query nodes request no nvidia.com/gpu`, r);
            }
            if (isCloreOrder(r) && serviceOfImage(String(r.props.image)) === "milvus" && !isGpuImage(String(r.props.image))) {
                report(`the schema declares ${types} but the Clore.ai order runs "${String(r.props.image)}", not a -gpu build`, r);
            }
        }
    },
};
