import { PROJECT } from "./namespace";

type Json = Record<string, unknown>;

/** One row of the README's config reference: a key path, what it takes, its default, what it is for. */
export interface ReferenceRow {
    key: string;
    allowed: string;
    default: string;
    description: string;
}

function resolve(schema: Json, root: Json): Json {
    const ref = schema.$ref;
    if (typeof ref === "string" && ref.startsWith("#/$defs/")) return ((root.$defs as Json)[ref.slice(8)] as Json) ?? {};
    return schema;
}

function rangeOf(s: Json): string {
    const { minimum: min, maximum: max } = s as { minimum?: number; maximum?: number };
    if (min !== undefined && max !== undefined) return ` ${min}–${max}`;
    if (min !== undefined) return ` >= ${min}`;
    if (max !== undefined) return ` <= ${max}`;
    return "";
}

function allowedOf(s: Json): string {
    if (typeof s.pattern === "string" && s.pattern.includes("kmgtKMGT")) return 'memory size with unit ("512m", "16g", "2Gi")';
    if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(", ");
    if (s.const !== undefined) return JSON.stringify(s.const);
    const alternatives = (s.anyOf ?? s.oneOf) as Json[] | undefined;
    // A number or boolean that may also come as a string (`pulumi config set` stores strings).
    if (alternatives?.length === 2 && ["integer", "number", "boolean"].includes(String(alternatives[0].type)) && alternatives[1].type === "string") {
        return `${String(alternatives[0].type)}${rangeOf(alternatives[0])}`;
    }
    if (alternatives) {
        const kinds = [...new Set(alternatives.map((a) => (a.type === "object" ? "mapping" : a.const !== undefined ? JSON.stringify(a.const) : String(a.type ?? "any"))))];
        return kinds.join(" or ");
    }
    if (s.type === "array") return `list of ${allowedOf((s.items as Json) ?? {})}`;
    if (s.type === "object") return "mapping";
    return typeof s.type === "string" ? s.type : "any";
}

function rowsOf(key: string, schema: Json, root: Json, out: ReferenceRow[]): void {
    const s = resolve(schema, root);
    const description = typeof s.description === "string" ? s.description : "";
    const props = s.properties as Record<string, Json> | undefined;
    if (props && Object.keys(props).length === 1 && "secure" in props) {
        out.push({ key, allowed: "secret (`pulumi config set --secret`)", default: "", description: "" });
        return;
    }
    if (s.type === "object" && props && Object.keys(props).length > 0) {
        if (description) out.push({ key, allowed: "mapping", default: "", description });
        for (const [k, v] of Object.entries(props)) rowsOf(`${key}.${k}`, v, root, out);
        return;
    }
    const dflt = s.default === undefined || (typeof s.default === "object" && s.default !== null && Object.keys(s.default).length === 0) ? "" : JSON.stringify(s.default);
    out.push({ key, allowed: allowedOf(s), default: dflt, description: description.replace(/\|/g, "\\|") });
}

/** The config reference rows for every key of our namespace, from the stack file's JSON Schema. */
export function configReferenceRows(stackSchema: Json): ReferenceRow[] {
    const config = (stackSchema.properties as Json).config as Json;
    const out: ReferenceRow[] = [];
    for (const [key, schema] of Object.entries(config.properties as Record<string, Json>)) {
        if (!key.startsWith(`${PROJECT}:`)) continue;
        const name = key.slice(PROJECT.length + 1);
        // The schema spec and cluster blocks are documented in their own sections; list their top keys only.
        if (name === "schema" || name === "cluster" || name === "host") {
            const s = resolve(schema, stackSchema);
            out.push({ key, allowed: allowedOf(s), default: "", description: typeof s.description === "string" ? s.description : `see the ${name} section` });
            continue;
        }
        rowsOf(key, schema, stackSchema, out);
    }
    return out;
}

/** The reference as a Markdown table. */
export function configReferenceMarkdown(stackSchema: Json): string {
    const rows = configReferenceRows(stackSchema);
    const cell = (s: string) => s.replace(/\n/g, " ");
    return [
        "| Key | Takes | Default | What it is |",
        "|---|---|---|---|",
        ...rows.map((r) => `| \`${r.key}\` | ${cell(r.allowed)} | ${r.default ? `\`${cell(r.default)}\`` : ""} | ${cell(r.description)} |`),
    ].join("\n");
}
