import * as path from "path";
import * as ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { SERVED_COMPONENTS } from "../../../plugin/components";
import { SerializableArgsChecker } from "../../helpers/serializableArgs";

const root = path.resolve(__dirname, "../../..");
// A component someone might add: its args carry what only TypeScript can pass.
const SYNTHETIC = path.join(root, "test/unit/plugin/synthetic-component.ts");
const SYNTHETIC_SOURCE = `
import * as pulumi from "@pulumi/pulumi";
class Helper { run(): void {} }
export interface BadArgs {
    name: pulumi.Input<string>;
    onReady?: () => void;
    helper?: Helper;
    nested?: { callback: pulumi.Input<(n: number) => string>; ok: number[] };
    tag?: symbol;
    when?: Date;
    extra?: unknown;
    steps?: { run(): void }[];
}
export class Bad extends pulumi.ComponentResource {
    constructor(name: string, args: BadArgs) {
        super("test:index:Bad", name, {}, {});
        void args;
    }
}
`;

let checker: SerializableArgsChecker;
let program: ts.Program;

beforeAll(() => {
    const config = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (file, lang, ...rest) => (path.resolve(file) === SYNTHETIC ? ts.createSourceFile(file, SYNTHETIC_SOURCE, lang) : getSourceFile(file, lang, ...rest));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (file) => path.resolve(file) === SYNTHETIC || fileExists(file);
    program = ts.createProgram({ rootNames: [path.join(root, "plugin/components.ts"), SYNTHETIC], options, host });
    checker = new SerializableArgsChecker(program);
}, 120_000);

function componentsIn(dir: string): Map<string, ts.ClassDeclaration> {
    const found = new Map<string, ts.ClassDeclaration>();
    for (const file of program.getSourceFiles()) {
        if (!path.resolve(file.fileName).startsWith(dir + path.sep)) continue;
        for (const cls of checker.componentClasses(file)) found.set(cls.name!.text, cls);
    }
    return found;
}

describe("component args that cross the language boundary", () => {
    it("hold only plain, serializable types in every component the package serves", () => {
        const classes = componentsIn(path.join(root, "components"));
        const served = SERVED_COMPONENTS.map((c) => c.name);
        expect(served).toHaveLength(9);
        const problems = served.flatMap((name) => {
            const cls = classes.get(name);
            return cls ? checker.problems(cls) : [`${name}: no exported class in components/`];
        });
        expect(problems).toEqual([]);
    });

    it("are caught naming the interface, the property and the offending type (a synthetic component)", () => {
        const bad = componentsIn(path.dirname(SYNTHETIC)).get("Bad")!;
        const problems = checker.problems(bad);
        expect(problems).toEqual(
            expect.arrayContaining([
                "BadArgs.onReady: a function (() => void)",
                "BadArgs.helper: an instance of class Helper",
                "BadArgs.nested.callback: a function ((n: number) => string)",
                "BadArgs.tag: a symbol",
                "BadArgs.when: a library object (Date)",
                "BadArgs.extra: untyped (unknown)",
                "BadArgs.steps[].run: a method",
            ]),
        );
        // The plain members pass.
        expect(problems.filter((p) => /BadArgs\.(name|nested\.ok)\b/.test(p))).toEqual([]);
        expect(problems).toHaveLength(7);
    });
});
