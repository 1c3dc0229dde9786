import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, YAMLMap } from "yaml";
import { ConfigError, ConfigErrors, StackFileError } from "../components/errors";
import { parseStackConfig, StackConfig } from "./config";
import { SECRET_HOLDING_KEYS } from "./model";
import { ACCESS_PASSWORDS_KEY, accessPasswordUsers } from "./accessPasswords";
import { nearMissNamespace, PROJECT } from "./namespace";

/**
 * The one reader of Pulumi.<stack>.yaml for every offline tool (`render`, `policy`, `verify`,
 * the Clore check): YAML problems come back as file:line:column and the problem, config
 * problems with the line of the key they are about, and each tool sees the same config.
 */
export interface StackFile {
    file: string;
    stack: string;
    /** "project:key" -> value as the engine hands it to a program: strings, structured values as JSON. */
    runtimeConfig: Record<string, string>;
    /** Our keys without the namespace ("mode", "milvus", ...), YAML values; encrypted ones left out. */
    raw: Record<string, unknown>;
    /** Our keys stored encrypted (`secure:`, or holding `secure:` values), without the namespace. */
    encryptedKeys: string[];
    /**
     * Dotted paths of values that must be secrets but are written in plain text, under keys
     * holding secrets (the SECRET_KEYS and `accessPasswords`).
     */
    plainTextSecrets: string[];
    /** The users `accessPasswords` gives passwords for (none visible when it is encrypted whole). */
    accessPasswordUsers: string[];
    /** Line and column of a config path ("milvus.memory", "milvus-gpu:milvsu"), for messages. */
    position(field: string): { line: number; col: number } | undefined;
}

export function stackFilePath(root: string, stack: string): string {
    return path.join(root, `Pulumi.${stack}.yaml`);
}

/** Reads Pulumi.<stack>.yaml under `root`, naming the stacks that exist when it is missing. */
export function readStackFile(root: string, stack: string): StackFile {
    const file = stackFilePath(root, stack);
    if (!fs.existsSync(file)) {
        const stacks = fs.readdirSync(root).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice("Pulumi.".length, -".yaml".length));
        throw new ConfigError("--stack", stack, `a stack with a Pulumi.<stack>.yaml in ${root}: ${stacks.join(", ") || "(none)"}`);
    }
    return parseStackFile(fs.readFileSync(file, "utf8"), path.basename(file), stack);
}

/** Parses the text of a stack file; `file` names it in messages. */
export function parseStackFile(text: string, file: string, stack: string): StackFile {
    const lines = new LineCounter();
    const doc = parseDocument(text, { uniqueKeys: true, lineCounter: lines, prettyErrors: false });
    if (doc.errors.length > 0) {
        throw new StackFileError(
            file,
            doc.errors.map((e) => {
                const at = lines.linePos(e.pos[0]);
                return { line: at.line, col: at.col, problem: e.message.split("\n")[0] };
            }),
        );
    }
    const at = (node: { range?: [number, number, number] | null } | null | undefined) => {
        if (!node?.range) return undefined;
        const p = lines.linePos(node.range[0]);
        return { line: p.line, col: p.col };
    };
    const problem = (node: { range?: [number, number, number] | null } | null | undefined, field: string, value: unknown, allowed: string) =>
        new StackFileError(file, [{ ...at(node), problem: new ConfigError(field, value, allowed).message }]);

    const root = doc.contents;
    if (root !== null && !isMap(root)) throw problem(root, "(document)", doc.toJS(), "a YAML mapping with a config: section");
    const section = root ? root.get("config", true) : undefined;
    if (section !== undefined && section !== null && !(isScalar(section) && section.value === null) && !isMap(section)) {
        throw problem(section, "config", doc.toJS().config, "a mapping of config keys");
    }
    const config = isMap(section) ? (section as YAMLMap) : undefined;

    const runtimeConfig: Record<string, string> = {};
    const raw: Record<string, unknown> = {};
    const encryptedKeys: string[] = [];
    const keyNodes = new Map<string, unknown>();
    const nearMisses: StackFileError["problems"] = [];
    for (const pair of config?.items ?? []) {
        const keyText = String(isScalar(pair.key) ? pair.key.value : pair.key);
        // A key without a namespace belongs to the project, as Pulumi reads it.
        const key = keyText.includes(":") ? keyText : `${PROJECT}:${keyText}`;
        const value = (pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? (isScalar(pair.value) ? pair.value.value : null);
        const near = nearMissNamespace(key);
        if (near) nearMisses.push({ ...at(pair.key as never), problem: near });
        const encrypted = holdsSecure(value);
        if (!encrypted) runtimeConfig[key] = typeof value === "string" ? value : JSON.stringify(value);
        // Partly encrypted (`pulumi config set --secret --path a.b`): offline, each secret leaf becomes a placeholder.
        else if (!isSecure(value)) runtimeConfig[key] = JSON.stringify(withPlaceholders(value, key.slice(key.indexOf(":") + 1)));
        if (!key.startsWith(`${PROJECT}:`)) continue;
        const name = key.slice(PROJECT.length + 1);
        keyNodes.set(name, pair);
        if (encrypted) encryptedKeys.push(name);
        else raw[name] = value;
    }
    if (nearMisses.length > 0) throw new StackFileError(file, nearMisses);

    const position = (field: string) => {
        const name = field.startsWith(`${PROJECT}:`) ? field.slice(PROJECT.length + 1) : field;
        const [top, ...rest] = name.split(/\.|(?=\[)/);
        const pair = keyNodes.get(top) as { key: unknown; value: unknown } | undefined;
        if (!pair) return undefined;
        let node: unknown = pair.value;
        let found: unknown = pair.key;
        for (const seg of rest) {
            const index = /^\[(\d+)\]$/.exec(seg);
            const child = isMap(node) || isSeq(node) ? node.get(index ? Number(index[1]) : seg, true) : undefined;
            // A missing key is reported where its parent is.
            if (child === undefined || child === null) break;
            // A mapping or list is reported at its key (where it starts), not at its first entry.
            const keyNode = isMap(node) && (isMap(child) || isSeq(child)) ? node.items.find((p) => p.value === child)?.key : undefined;
            node = child;
            found = keyNode ?? child;
        }
        return at((found ?? pair.key) as never);
    };
    const plainTextSecrets: string[] = [];
    for (const name of SECRET_HOLDING_KEYS) {
        const pair = keyNodes.get(name) as { value?: { toJSON?: () => unknown } } | undefined;
        if (pair) plainTextSecrets.push(...plainLeaves(pair.value?.toJSON?.() ?? (isScalar(pair.value) ? (pair.value as { value: unknown }).value : undefined), name));
    }
    const passwords = keyNodes.get(ACCESS_PASSWORDS_KEY) as { value?: { toJSON?: () => unknown } } | undefined;
    const accessPasswordUsersOf = passwords ? accessPasswordUsers(passwords.value?.toJSON?.()) : [];
    return { file, stack, runtimeConfig, raw, encryptedKeys, plainTextSecrets, accessPasswordUsers: accessPasswordUsersOf, position };
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
}

/** Whether a config value is encrypted, whole or in some leaf (`pulumi config set --secret --path`). */
export function holdsSecure(value: unknown): boolean {
    if (isSecure(value)) return true;
    if (typeof value !== "object" || value === null) return false;
    return Object.values(value as Record<string, unknown>).some(holdsSecure);
}

function withPlaceholders(value: unknown, path: string): unknown {
    if (isSecure(value)) return `offline-placeholder-${path}`;
    if (Array.isArray(value)) return value.map((v, i) => withPlaceholders(v, `${path}[${i}]`));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, `${path}.${k}`)]));
    return value;
}

function plainLeaves(value: unknown, path: string): string[] {
    if (value === undefined || value === null || isSecure(value)) return [];
    if (typeof value === "object") return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => plainLeaves(v, `${path}.${k}`));
    return [path];
}

/** Puts the file, line and column in front of each config problem, keeping the errors themselves. */
export function locateConfigErrors(stackFile: StackFile, e: unknown): unknown {
    const errors = e instanceof ConfigErrors ? e.errors : e instanceof ConfigError ? [e] : undefined;
    if (!errors) return e;
    return new StackFileError(
        stackFile.file,
        errors.map((c) => ({ ...stackFile.position(c.field), problem: c.message })),
        errors,
    );
}

/** A stack file's config, validated exactly as the program validates it (errors carry their line). */
export function stackConfigOf(stackFile: StackFile): StackConfig {
    try {
        return parseStackConfig(stackFile.raw, stackFile.stack, stackFile.encryptedKeys, stackFile.accessPasswordUsers);
    } catch (e) {
        throw locateConfigErrors(stackFile, e);
    }
}

/** Reads and validates Pulumi.<stack>.yaml under `root`: what `render`, `policy` and `verify` all start with. */
export function loadStackFile(root: string, stack: string): { stackFile: StackFile; config: StackConfig } {
    const stackFile = readStackFile(root, stack);
    return { stackFile, config: stackConfigOf(stackFile) };
}

/**
 * The declared schema and verify options for `verify --spec FILE`: a Pulumi.<stack>.yaml is read
 * and validated whole, exactly as `render` and `policy` read it (so the three agree on whether
 * a stack is valid); any other file is a bare spec (see readSpecFile).
 */
export function specOfFile(file: string, readBareSpec: (file: string) => { schema: unknown; verify: unknown }): { schema: unknown; verify: unknown } {
    const m = /^Pulumi\.(.+)\.yaml$/.exec(path.basename(file));
    if (!m) return readBareSpec(file);
    const { config } = loadStackFile(path.dirname(file), m[1]);
    return { schema: config.schema, verify: config.verify };
}
