import * as path from "path";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import type { ConstructResult, Provider } from "@pulumi/pulumi/provider";
import type { ComponentDefinition } from "@pulumi/pulumi/provider/experimental/analyzer";
import type { ComponentResourceConstructor } from "@pulumi/pulumi/provider/experimental/provider";
import { componentSchema, PackageManifest } from "./schema";

/**
 * Serves components to Pulumi programs in any language: the schema (from the TypeScript
 * sources, see ComponentAnalyzer) and `construct`, which runs the component class itself.
 */
export class ComponentPackageProvider implements Provider {
    readonly version: string;
    private readonly manifest: PackageManifest;
    private readonly byName: Map<string, ComponentResourceConstructor>;
    private analyzed?: { schema: string; components: Record<string, ComponentDefinition> };

    constructor(
        private readonly dir: string,
        private readonly name: string,
        components: readonly ComponentResourceConstructor[],
    ) {
        this.manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as PackageManifest;
        this.version = this.manifest.version ?? "0.0.0";
        this.byName = new Map(components.map((c) => [c.name, c]));
    }

    private analysis(): { schema: string; components: Record<string, ComponentDefinition> } {
        if (!this.analyzed) {
            const { schema, components } = componentSchema(this.dir, this.name, this.manifest, [...this.byName.keys()]);
            this.analyzed = { schema: JSON.stringify(schema), components };
        }
        return this.analyzed;
    }

    async getSchema(): Promise<string> {
        return this.analysis().schema;
    }

    async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<ConstructResult> {
        const [pkg, mod, componentName] = type.split(":");
        const component = this.byName.get(componentName ?? "");
        if (pkg !== this.name || mod !== "index" || !component) {
            throw new Error(`${this.name}: no component ${type}; served: ${[...this.byName.keys()].map((c) => `${this.name}:index:${c}`).join(", ")}`);
        }
        const instance = new component(name, inputs, options) as pulumi.ComponentResource & Record<string, unknown>;
        const outputs = this.analysis().components[componentName].outputs;
        const state: pulumi.Inputs = {};
        for (const key of Object.keys(outputs)) state[key] = instance[key] as pulumi.Input<unknown>;
        return { urn: instance.urn, state };
    }
}
