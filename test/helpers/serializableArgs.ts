// Finds what in a component's args cannot cross the language boundary of the component
// package: functions, class instances, symbols, bigints, untyped values and library objects
// (Date, Map, Buffer, ...). Inputs, Outputs and Promises are looked through: the engine
// resolves them to the value they hold.
import * as ts from "typescript";

const TRANSPARENT = new Set(["Promise", "PromiseLike", "Output", "OutputInstance"]);

function symbolName(t: ts.Type): string | undefined {
    return (t.aliasSymbol ?? t.getSymbol())?.getName();
}

function typeArguments(checker: ts.TypeChecker, t: ts.Type): readonly ts.Type[] {
    return (t.flags & ts.TypeFlags.Object) !== 0 && ((t as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) !== 0
        ? checker.getTypeArguments(t as ts.TypeReference)
        : [];
}

export class SerializableArgsChecker {
    private readonly checker: ts.TypeChecker;

    constructor(private readonly program: ts.Program) {
        this.checker = program.getTypeChecker();
    }

    /** The exported classes of `file` with their constructor's second parameter (the args). */
    componentClasses(file: ts.SourceFile): ts.ClassDeclaration[] {
        return file.statements.filter(
            (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && !!s.name && (ts.getCombinedModifierFlags(s) & ts.ModifierFlags.Export) !== 0,
        );
    }

    /** `Interface.path: why` for every offending member of the class's args type. */
    problems(component: ts.ClassDeclaration): string[] {
        const ctor = component.members.find(ts.isConstructorDeclaration);
        const param = ctor?.parameters[1];
        if (!param) return [`${component.name?.text}: no args parameter (constructor(name, args, options))`];
        const type = this.checker.getTypeAtLocation(param);
        const label = param.type ? param.type.getText() : this.checker.typeToString(type);
        const out: string[] = [];
        this.walk(type, label, out, new Set());
        return out;
    }

    private isLibrary(decl: ts.Declaration): boolean {
        const file = decl.getSourceFile();
        return this.program.isSourceFileDefaultLibrary(file) || /[\\/]node_modules[\\/]@types[\\/]node[\\/]/.test(file.fileName);
    }

    private walk(type: ts.Type, at: string, out: string[], seen: Set<ts.Type>): void {
        const c = this.checker;
        const f = type.flags;
        if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return void out.push(`${at}: untyped (${c.typeToString(type)})`);
        if (f & (ts.TypeFlags.ESSymbolLike)) return void out.push(`${at}: a symbol`);
        if (f & ts.TypeFlags.BigIntLike) return void out.push(`${at}: a bigint (not JSON)`);
        if (f & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.EnumLike | ts.TypeFlags.Undefined | ts.TypeFlags.Null)) return;
        if (type.isUnionOrIntersection()) {
            for (const member of type.types) this.walk(member, at, out, seen);
            return;
        }
        if (seen.has(type)) return;
        seen.add(type);
        const name = symbolName(type);
        if (name && TRANSPARENT.has(name)) {
            for (const arg of typeArguments(c, type)) this.walk(arg, at, out, seen);
            return;
        }
        if (c.isArrayType(type) || c.isTupleType(type)) {
            for (const element of typeArguments(c, type)) this.walk(element, `${at}[]`, out, seen);
            return;
        }
        if (type.getCallSignatures().length > 0) return void out.push(`${at}: a function (${c.typeToString(type)})`);
        if (type.getConstructSignatures().length > 0) return void out.push(`${at}: a class or constructor (${c.typeToString(type)})`);
        const decls = type.getSymbol()?.getDeclarations() ?? [];
        const cls = decls.find(ts.isClassDeclaration);
        if (cls) return void out.push(`${at}: an instance of class ${cls.name?.text ?? "(anonymous)"}`);
        if (decls.length > 0 && decls.every((d) => this.isLibrary(d)) && !(f & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Mapped)) {
            return void out.push(`${at}: a library object (${c.typeToString(type)})`);
        }
        for (const info of c.getIndexInfosOfType(type)) this.walk(info.type, `${at}[key]`, out, seen);
        for (const prop of c.getPropertiesOfType(type)) {
            const decl = prop.valueDeclaration ?? prop.declarations?.[0];
            const propType = decl ? c.getTypeOfSymbolAtLocation(prop, decl) : c.getTypeOfSymbol(prop);
            if (decl && ts.isMethodSignature(decl)) {
                out.push(`${at}.${prop.getName()}: a method`);
                continue;
            }
            this.walk(propType, `${at}.${prop.getName()}`, out, seen);
        }
    }
}
