import * as fs from "node:fs";
import * as path from "node:path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComponentAnalyzer } from "../../../plugin/analyzer";
import { PACKAGE_NAME, SERVED_COMPONENTS } from "../../../plugin/components";

// Why plugin/analyzer.ts exists: what the SDK's own analyzer (the one componentProviderHost
// runs) refuses, on the smallest components that need it. When an SDK upgrade makes a case
// pass with the stock analyzer, its test fails here: drop that part of plugin/analyzer.ts.
const ROOT = path.resolve(__dirname, "../../..");
const pluginDir = path.join(ROOT, "plugin");

const CASES: Record<string, { source: string; stockRefuses: RegExp }> = {
    // A member that is not an output for other languages: a child component of this package
    // (and TypeScript-side helpers). The stock analyzer makes every class property an output.
    ChildMember: {
        source: `
export interface PartArgs { size?: number }
export class Part extends pulumi.ComponentResource {
    constructor(name: string, args: PartArgs) { super("t:index:Part", name, {}, {}); void args; }
}
export interface ChildMemberArgs { size?: pulumi.Input<number> }
export class ChildMember extends pulumi.ComponentResource {
    readonly part: Part;
    readonly size: pulumi.Output<number>;
    constructor(name: string, args: ChildMemberArgs) {
        super("t:index:ChildMember", name, {}, {});
        this.part = new Part(name + "-part", {});
        this.size = pulumi.output(args.size ?? 1);
    }
}`,
        stockRefuses: /Could not determine __pulumiType for resource class 'Part'/,
    },
    // A value that is one thing or another (publish: false | true | {host, port}; cpu: "500m" | 2).
    UnlikeUnion: {
        source: `
export interface Endpoint { host?: string; port: number }
export interface UnlikeUnionArgs { publish?: boolean | Endpoint }
export class UnlikeUnion extends pulumi.ComponentResource {
    constructor(name: string, args: UnlikeUnionArgs) { super("t:index:UnlikeUnion", name, {}, {}); void args; }
}`,
        stockRefuses: /Union types are not supported for component 'UnlikeUnion' property 'UnlikeUnionArgs.publish'/,
    },
};

let dir: string;
beforeAll(() => {
    // Inside the project so @pulumi/pulumi resolves as it does for the components.
    dir = fs.mkdtempSync(path.join(ROOT, ".build-test-analyzer-"));
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ extends: "../tsconfig.json", include: ["*.ts"] }));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "t", version: "0.0.1" }));
    for (const [name, c] of Object.entries(CASES)) fs.writeFileSync(path.join(dir, `${name}.ts`), `import * as pulumi from "@pulumi/pulumi";\n${c.source}\n`);
    fs.writeFileSync(path.join(dir, "index.ts"), Object.keys(CASES).map((n) => `export * from "./${n}";`).join("\n"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("what the SDK's stock analyzer refuses, and plugin/analyzer.ts serves", () => {
    for (const [name, c] of Object.entries(CASES)) {
        it(`${name}: refused by the stock analyzer, analysed by ours`, () => {
            expect(() => new Analyzer(dir, "t", { version: "0.0.1" }, new Set([name])).analyze()).toThrow(c.stockRefuses);
            const { components, typeDefinitions } = new ComponentAnalyzer(dir, "t", { version: "0.0.1" }, new Set([name])).analyze();
            const component = components[name];
            expect(component).toBeDefined();
            if (name === "ChildMember") expect(Object.keys(component.outputs)).toEqual(["size"]);
            if (name === "UnlikeUnion") {
                expect(component.inputs.publish).toMatchObject({ optional: true, oneOf: [{ type: "boolean" }, { $ref: "#/types/t:index:Endpoint" }] });
                expect(typeDefinitions.Endpoint.properties?.port).toMatchObject({ type: "number" });
            }
        }, 60_000);
    }

    it("the served components, through the SDK's own ComponentProvider (componentProviderHost's), are refused", async () => {
        const stock = new ComponentProvider({ components: [...SERVED_COMPONENTS], dirname: pluginDir, name: PACKAGE_NAME });
        await expect(stock.getSchema()).rejects.toThrow(/not supported|Unsupported type|Could not determine __pulumiType/);
    }, 60_000);
});
