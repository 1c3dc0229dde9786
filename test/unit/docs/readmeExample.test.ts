import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parseSchemaSettings } from "../../../components/schema";
import { docText } from "../../helpers/docExample";

const ROOT = path.resolve(__dirname, "../../..");
/** Where the example is compiled from: beside the package root, so "pulumi-milvus-gpu" can be the root's components. */
const EXAMPLE = path.join(ROOT, "readme-example.ts");

/** The README's TypeScript example as printed, importing the package from this checkout. */
function readmeExample(): string {
    const m = /```ts\n([\s\S]*?)```/.exec(docText("README.md"));
    if (!m) throw new Error("README.md has no ```ts example");
    return m[1].replace(/from "pulumi-milvus-gpu"/g, 'from "./components"');
}

/** Type errors of `source` compiled as a file of this project, with the project's compiler options. */
function typeErrors(source: string): string[] {
    const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const host = ts.createCompilerHost({ ...options, noEmit: true });
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (f) => (path.resolve(f) === EXAMPLE ? source : readFile(f));
    host.fileExists = (f) => path.resolve(f) === EXAMPLE || fileExists(f);
    host.getSourceFile = (f, lang, ...rest) => (path.resolve(f) === EXAMPLE ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang, ...rest));
    const program = ts.createProgram([EXAMPLE], { ...options, noEmit: true }, host);
    return ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file && path.resolve(d.file.fileName) === EXAMPLE)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("the README's TypeScript example", () => {
    it("is about ten lines of real use: a host, Milvus, the schema step", () => {
        const example = readmeExample();
        expect(example.trim().split("\n").length).toBeLessThanOrEqual(14);
        for (const name of ["DockerHost", "MilvusStandalone", "MilvusSchema"]) expect(example).toContain(`new ${name}(`);
    });

    it("compiles against the package's types as printed", () => {
        expect(typeErrors(readmeExample())).toEqual([]);
    }, 120_000);

    it("declares a schema the schema step accepts", () => {
        // The spec is a plain object literal in the example; read it as such and parse it as MilvusSchema does.
        const literal = /spec: (\{[\s\S]*\}) \}, \{ dependsOn/.exec(readmeExample());
        expect(literal, "the example's spec").not.toBeNull();
        const spec = new Function(`return (${literal![1]});`)() as unknown;
        const parsed = parseSchemaSettings(spec as Parameters<typeof parseSchemaSettings>[0], "spec");
        expect(parsed.collections.map((c) => [c.name, c.vectorIndexes.map((i) => i.type)])).toEqual([["docs", ["HNSW"]]]);
    });

    it("would fail on an argument the components do not take (the check is real)", () => {
        const broken = readmeExample().replace('memory: "24g"', 'memory: "24g", memoryy: "1g"');
        expect(typeErrors(broken).join("\n")).toMatch(/memoryy/);
    }, 120_000);
});
