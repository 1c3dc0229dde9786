import { canaryTargets, isSparseIndexType } from "../../components/schema";
import { RawBenchIndex } from "../../components/bench/workload";
import { StackConfig } from "../../stacks/config";

/**
 * What `bench --stack <name>` takes from a stack file, offline: where its Milvus answers
 * (when that is known before deploy) and the dense indexes it declares, with their dim.
 */
export interface StackBenchTarget {
    address?: string;
    /** Why the address cannot be known from the file, when it cannot. */
    addressUnknown?: string;
    dim?: number;
    indexes: RawBenchIndex[];
    /** Declared indexes left out (another dim than the first). */
    skipped: string[];
}

export function stackBenchTarget(config: StackConfig): StackBenchTarget {
    const dense = canaryTargets(config.schema).filter((t) => !isSparseIndexType(t.index.type) && t.dim !== undefined);
    const dim = dense[0]?.dim;
    const kept = dense.filter((t) => t.dim === dim);
    const target: StackBenchTarget = {
        ...(dim !== undefined ? { dim } : {}),
        indexes: kept.map((t) => ({ type: t.index.type, metric: t.index.metric, params: t.index.params, searchParams: t.index.searchParams })),
        skipped: dense.filter((t) => t.dim !== dim).map((t) => `${t.index.type} on ${t.index.field} (dim ${t.dim})`),
    };
    if (config.schemaAddress) return { ...target, address: config.schemaAddress };
    if (config.kind === "docker" && config.host.type === "local") {
        const grpc = config.standalone.milvus.grpc;
        return { ...target, address: `${grpc.host === "0.0.0.0" ? "127.0.0.1" : grpc.host}:${grpc.port}` };
    }
    if (config.kind === "docker" && config.host.type === "ssh") {
        const host = config.host.address.includes(":") ? `[${config.host.address}]` : config.host.address;
        return { ...target, address: `${host}:${config.standalone.milvus.grpc.port}` };
    }
    const why =
        config.kind === "cluster"
            ? "a cluster's service is reached through a port-forward or load balancer the stack file does not name (set milvus-gpu:schemaAddress)"
            : "a Clore.ai rental's address is known only after `pulumi up` (the `endpoint` stack output)";
    return { ...target, addressUnknown: why };
}
