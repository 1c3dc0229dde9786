// Schema analysis of the components, on top of the SDK's own analyzer (the one the SDK's
// componentProviderHost runs, which cannot serve these components: test/unit/plugin/stockAnalyzer.test.ts
// shows each case on a minimal component and fails when an SDK upgrade makes a case pass).
// What the stock analyzer cannot express at all, whatever the types are written like:
// - outputs: it makes every class property an output, so a component may hold no child
//   component of this package, dynamic resource or TypeScript-side helper as a property
//   (refused: MilvusStandalone.{settings,etcd,minio,credentials,backup}, DockerHost.preparation,
//   Clore*.order, ...). Here: a component's public `pulumi.Output` properties only;
// - unions of unlike types (no `oneOf`): `boolean | {host, port}` (etcd/minio publish),
//   milvus.gpu, `string | number` (cluster cpu), `number | boolean` (index params). Here: `oneOf`.
// What it could take if the public types changed, which they do not (TypeScript users keep
// their shapes): inline object types (would need named interfaces) and string literal unions
// (would need `as const` objects, and become enums in other languages). Here: named object types
// (<Type><Property>) and strings documented with their allowed values.
// The members used below are private in the SDK's typings; the plugin runs with the SDK this
// repository pins (package.json), not the library's peer range, so they are what was tested.
import { Analyzer, InputOutput, PropertyDefinition, TypeDefinition } from "@pulumi/pulumi/provider/experimental/analyzer";
import type * as TS from "typescript";

// The analyzer's own TypeScript (a shim that prefers the project's typescript package), so the
// flags and type objects below are those of the program it built.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ts: typeof TS = require("@pulumi/pulumi/typescript-shim");

interface Context {
    component: string;
    inputOutput: InputOutput;
    typeName?: string;
    property?: string;
    isPartial?: boolean;
    isRequired?: boolean;
}

/** A property in the schema; `oneOf` is what unions become. */
export type SchemaProperty = PropertyDefinition & { oneOf?: SchemaProperty[]; secret?: boolean };

/** The analyzer's members this file builds on (private in its typings, stable in 3.270). */
interface AnalyzerInternals {
    checker: TS.TypeChecker;
    providerName: string;
    typeDefinitions: Record<string, TypeDefinition>;
    analyzeType(context: Context, type: TS.Type, location: TS.Node, optional?: boolean, docString?: string): SchemaProperty;
    analyzeSymbols(context: Context, symbols: TS.Symbol[]): Record<string, SchemaProperty>;
}

type AnalyzerClass = new (dir: string, name: string, packageJSON: Record<string, unknown>, componentNames: Set<string>) => AnalyzerInternals &
    Pick<Analyzer, "analyze">;

const SdkAnalyzer = Analyzer as unknown as AnalyzerClass;

function isUndefined(t: TS.Type): boolean {
    return (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) !== 0;
}

function symbolName(t: TS.Type): string | undefined {
    return (t.getSymbol() ?? t.aliasSymbol)?.getName();
}

/** Output, Promise and Input<T> are the SDK analyzer's to unwrap. */
function isOutputOrPromise(t: TS.Type): boolean {
    if (t.isIntersection()) return t.types.some(isOutputOrPromise);
    const name = symbolName(t);
    return name === "OutputInstance" || name === "Output" || name === "Promise";
}

/** `searches[]` -> `SearchesItem`: a type name part the schema's token pattern accepts. */
function typeNamePart(property: string): string {
    const s = property.replace(/\[\]/g, "Item").replace(/[^A-Za-z0-9_]/g, "");
    return s.charAt(0).toUpperCase() + s.slice(1);
}

export class ComponentAnalyzer extends SdkAnalyzer {
    analyzeSymbols(context: Context, symbols: TS.Symbol[]): Record<string, SchemaProperty> {
        const componentMembers = context.inputOutput === InputOutput.Output && context.typeName === undefined && context.property === undefined;
        return super.analyzeSymbols(context, componentMembers ? symbols.filter((s) => this.isPublicOutput(s)) : symbols);
    }

    analyzeType(context: Context, type: TS.Type, location: TS.Node, optional = false, docString?: string): SchemaProperty {
        if (type.isUnion() && !type.types.some(isOutputOrPromise)) {
            const members = type.types.filter((t) => !isUndefined(t));
            const isOptional = optional || members.length < type.types.length;
            const booleans = members.filter((t) => (t.flags & ts.TypeFlags.BooleanLiteral) !== 0);
            const others = members.filter((t) => (t.flags & ts.TypeFlags.BooleanLiteral) === 0);
            if (others.length > 0 && others.every((t) => t.isStringLiteral())) {
                if (booleans.length === 0) {
                    const allowed = others.map((t) => JSON.stringify((t as TS.StringLiteralType).value)).join(", ");
                    return this.property(context, { type: "string" }, isOptional, [docString, `One of ${allowed}.`].filter(Boolean).join(" "));
                }
            }
            if (others.length > 0 && others.every((t) => t.isNumberLiteral()) && booleans.length === 0) {
                return this.property(context, { type: "number" }, isOptional, docString);
            }
            if (members.length > 1 && !(booleans.length === members.length)) {
                const variants: SchemaProperty[] = [];
                if (booleans.length > 0) variants.push({ type: "boolean" });
                const literalKinds = new Set<string>();
                for (const t of others) {
                    if (t.isStringLiteral()) literalKinds.add("string");
                    else if (t.isNumberLiteral()) literalKinds.add("number");
                    else variants.push(this.variant(context, t, location, variants.length));
                }
                for (const kind of literalKinds) variants.push({ type: kind as "string" | "number" });
                return this.property(context, { oneOf: variants } as SchemaProperty, isOptional, docString);
            }
        }
        if (type.isStringLiteral()) return this.property(context, { type: "string" }, optional, [docString, `Always ${JSON.stringify(type.value)}.`].filter(Boolean).join(" "));
        if (type.isNumberLiteral()) return this.property(context, { type: "number" }, optional, docString);
        if (type.flags & ts.TypeFlags.BooleanLiteral) return this.property(context, { type: "boolean" }, optional, docString);
        if (this.isInlineObject(type)) {
            const name = `${context.typeName ?? context.component}${typeNamePart(context.property ?? "Value")}`;
            return this.property(context, this.objectType(context, name, type), optional, docString);
        }
        return super.analyzeType(context, type, location, optional, docString);
    }

    private variant(context: Context, t: TS.Type, location: TS.Node, index: number): SchemaProperty {
        const inner = { ...context, property: `${context.property ?? "value"}Variant${index}` };
        const p = this.analyzeType(inner, t, location);
        delete p.plain;
        delete p.optional;
        return p;
    }

    private property(context: Context, prop: SchemaProperty, optional: boolean, docString: string | undefined): SchemaProperty {
        if (optional) prop.optional = true;
        if (context.inputOutput === InputOutput.Neither) prop.plain = true;
        if (docString) prop.description = docString;
        return prop;
    }

    /** An object type written inline (`{ image?: string }`): a named type of its own in the schema. */
    private isInlineObject(type: TS.Type): boolean {
        if (type.isIntersection()) return !type.types.some(isOutputOrPromise) && type.getProperties().length > 0;
        if ((type.flags & ts.TypeFlags.Object) === 0 || type.isClassOrInterface()) return false;
        const objectFlags = (type as TS.ObjectType).objectFlags;
        if ((objectFlags & ts.ObjectFlags.Anonymous) === 0 && (objectFlags & ts.ObjectFlags.Mapped) === 0) return false;
        if (this.checker.getIndexInfoOfType(type, ts.IndexKind.String)) return false;
        if (type.getCallSignatures().length > 0) return false;
        return type.getProperties().length > 0;
    }

    private objectType(context: Context, name: string, type: TS.Type): SchemaProperty {
        const ref = { $ref: `#/types/${this.providerName}:index:${name}` };
        if (this.typeDefinitions[name]) return ref;
        this.typeDefinitions[name] = { name, properties: {}, type: "object" };
        const inner: Context = {
            ...context,
            inputOutput: context.inputOutput === InputOutput.Output ? InputOutput.Output : InputOutput.Neither,
            typeName: name,
            property: undefined,
        };
        this.typeDefinitions[name].properties = this.analyzeSymbols(inner, type.getProperties());
        return ref;
    }

    /** A public property typed `pulumi.Output<T>` (optional or not): what other languages see. */
    private isPublicOutput(symbol: TS.Symbol): boolean {
        const declaration = symbol.valueDeclaration;
        if (!declaration) return false;
        const modifiers = ts.getCombinedModifierFlags(declaration as TS.Declaration);
        if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
        if (ts.isPropertyDeclaration(declaration) && ts.isPrivateIdentifier(declaration.name)) return false;
        const type = this.checker.getTypeOfSymbolAtLocation(symbol, declaration);
        const parts = type.isUnion() ? type.types.filter((t) => !isUndefined(t)) : [type];
        return parts.length > 0 && parts.every((t) => isOutputOrPromise(t) && symbolName(t) !== "Promise");
    }
}
