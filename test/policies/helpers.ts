import * as pulumi from "@pulumi/pulumi";
import { MilvusSchema } from "../../components/schema/step/milvusSchema";
import { parseSchemaSettings as parseSchemaSpec } from "../../components/schema/spec/parse";
import { evaluate, PolicyConfig, Violation } from "../../policies/engine";
import { collectResources } from "../../policies/offline/collector";
import { PolicyRule, ResourceView } from "../../policies/view";

/** Runs a program under mocks as stack `stack` of the project and returns what it registered. */
export async function resourcesOf(stack: string, program: () => void): Promise<ResourceView[]> {
    const { resources } = await collectResources(
        () => {
            program();
            return {};
        },
        { project: "milvus-gpu", stack },
    );
    return resources;
}

export function check(resources: ResourceView[], rule: PolicyRule, config: PolicyConfig = {}): Violation[] {
    return evaluate(resources, config, [rule]);
}

/** The seed's `documents` collection with the given vector index type. */
export function documentsSchema(indexType: string) {
    const [params, searchParams]: Record<string, number>[] =
        indexType === "HNSW"
            ? [{ M: 16, efConstruction: 200 }, { ef: 64 }]
            : indexType === "GPU_CAGRA"
              ? [{ intermediate_graph_degree: 64, graph_degree: 32 }, { itopk_size: 64 }]
              : [{ nlist: 1024 }, { nprobe: 16 }];
    return parseSchemaSpec({
        collections: [
            {
                name: "documents",
                fields: [
                    { name: "id", type: "INT64", primary: true, autoId: true },
                    { name: "embedding", type: "FLOAT_VECTOR", dim: 384 },
                ],
                indexes: [{ field: "embedding", type: indexType, metric: indexType === "HNSW" ? "COSINE" : "L2", params, searchParams }],
            },
        ],
    });
}

/** The post-deploy step against an endpoint, as the stacks add it. */
export function schemaStep(address: pulumi.Input<string>, indexType = "HNSW", opts?: pulumi.ComponentResourceOptions): MilvusSchema {
    return new MilvusSchema("schema", { address, spec: documentsSchema(indexType) }, opts);
}

/** Applies `edit` to the props of every resource of `type` created under a component (a deliberate misconfiguration). */
export function editProps(type: string, edit: (props: Record<string, unknown>) => Record<string, unknown>): pulumi.ResourceTransformation {
    return (args) => (args.type === type ? { props: edit(args.props as Record<string, unknown>), opts: args.opts } : undefined);
}

export const ruleNames = (vs: Violation[]) => [...new Set(vs.map((v) => v.rule))].sort();
