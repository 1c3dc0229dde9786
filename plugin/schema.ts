import { generateSchema, PackageSpec } from "@pulumi/pulumi/provider/experimental/schema";
import type { ComponentDefinition } from "@pulumi/pulumi/provider/experimental/analyzer";
import { ComponentAnalyzer, SchemaProperty } from "./analyzer";
import { SECRET_PROPERTIES } from "./secrets";

export interface PackageManifest {
    name?: string;
    version?: string;
    description?: string;
}

export interface ComponentSchema {
    schema: PackageSpec;
    /** Per component, its analyzed outputs: what construct hands back to the caller. */
    components: Record<string, ComponentDefinition>;
}

function markSecret(properties: Record<string, SchemaProperty> | undefined, names: readonly string[] | undefined, where: string): void {
    for (const name of names ?? []) {
        const p = properties?.[name];
        if (!p) throw new Error(`plugin/secrets.ts names ${where}.${name}, which the schema does not have`);
        p.secret = true;
    }
}

/** The package schema of `componentNames` found from `dir`'s entry, with secrets marked. */
export function componentSchema(dir: string, providerName: string, manifest: PackageManifest, componentNames: string[]): ComponentSchema {
    const analyzer = new ComponentAnalyzer(dir, providerName, manifest as Record<string, unknown>, new Set(componentNames));
    const { components, typeDefinitions, dependencies } = analyzer.analyze();
    const schema = generateSchema(providerName, manifest.version ?? "0.0.0", manifest.description ?? "", components, typeDefinitions, dependencies);
    for (const [name, secrets] of Object.entries(SECRET_PROPERTIES)) {
        const token = `${providerName}:index:${name}`;
        const resource = schema.resources[token] as { inputProperties?: Record<string, SchemaProperty>; properties?: Record<string, SchemaProperty> } | undefined;
        const type = schema.types[token] as { properties?: Record<string, SchemaProperty> } | undefined;
        if (resource) {
            markSecret(resource.inputProperties, secrets.inputs, `${name} inputs`);
            markSecret(resource.properties, secrets.outputs, `${name} outputs`);
        } else if (type) {
            markSecret(type.properties, secrets.inputs, name);
        } else {
            throw new Error(`plugin/secrets.ts names ${name}, which is neither a component nor a type of the schema`);
        }
    }
    return { schema, components };
}
