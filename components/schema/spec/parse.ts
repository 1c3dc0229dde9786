import { always, block, bool, int, list, matching, num, parseWith, report, reportGiven, str, text, z } from "../../configSchema";
import { ConfigError } from "../../errors";
import { indexParamProblems, SCALAR_INDEX_FIELD_TYPES, searchLimitProblems, vectorIndexSchema } from "./indexParams";
import { SLO_LIMITS, sloSpecSchema } from "./slo";
import { accessSchema } from "../access/parse";
import { databaseName, databaseOf, databasesSchema, DEFAULT_DATABASE } from "./databases";
import { MILVUS_NAME, MILVUS_NAME_ALLOWED } from "./names";
import {
    ARRAY_ELEMENT_TYPES,
    CollectionSettings,
    DEFAULT_VERIFY,
    DENSE_INDEX_TYPES,
    FieldSettings,
    FieldType,
    isVectorType,
    SCALAR_INDEX_TYPES,
    SCALAR_TYPES,
    ScalarIndexSettings,
    ScalarIndexType,
    SchemaSettings,
    SPARSE_INDEX_TYPES,
    VECTOR_TYPES,
    VectorIndexSettings,
    VectorIndexType,
    VerifySettings,
} from "./settings";

const NAME = MILVUS_NAME;
const NAME_ALLOWED = MILVUS_NAME_ALLOWED;
/** Partition names may start with a digit (the seed's `2024_docs`); Milvus's partition-tag rule. */
const PARTITION_NAME = /^[A-Za-z0-9_]{1,255}$/;
const PARTITION_ALLOWED = "a name of letters, digits and _, at most 255 characters";
/** Milvus creates this partition with every collection; creating it again fails. */
export const DEFAULT_PARTITION = "_default";
const MAX_FIELDS = 64;
/** Milvus's default `proxy.maxVectorFieldNum`. */
const MAX_VECTOR_FIELDS = 4;
const MAX_DIM = 32768;
const MAX_VARCHAR = 65535;
/** Milvus's default `rootCoord.maxPartitionNum` counts `_default` too. */
const MAX_PARTITIONS = 1024;
const MAX_ALIASES = 1024;

const FIELD_TYPES = [...SCALAR_TYPES, ...VECTOR_TYPES] as const;
const INDEX_LISTS = ["indexes", "vectorIndexes", "scalarIndexes"] as const;

function name() {
    return matching(NAME, NAME_ALLOWED);
}

function partitionName() {
    return matching(PARTITION_NAME, PARTITION_ALLOWED).refine((p) => p !== DEFAULT_PARTITION, {
        error: `a partition name other than ${DEFAULT_PARTITION} (Milvus creates ${DEFAULT_PARTITION} with every collection)`,
    });
}

const fieldSchema = z
    .strictObject(
        {
            name: name(),
            type: z.enum(FIELD_TYPES, { error: `one of ${FIELD_TYPES.join(", ")}` }),
            description: str().optional(),
            primary: bool().default(false),
            autoId: bool().default(false),
            maxLength: int({ min: 1, max: MAX_VARCHAR }).optional(),
            dim: int({ min: 1, max: MAX_DIM }).optional(),
            elementType: z.enum(ARRAY_ELEMENT_TYPES, { error: `one of ${ARRAY_ELEMENT_TYPES.join(", ")} (required for ARRAY)` }).optional(),
            maxCapacity: int({ min: 1, max: 4096 }).optional(),
            nullable: bool().default(false),
        },
        { error: (iss) => (iss.code === "unrecognized_keys" ? "one of the known keys of a field: name, type, description, primary, autoId, maxLength, dim, elementType, maxCapacity, nullable" : "a field mapping with name and type") },
    )
    .superRefine((f, ctx) => {
        // Cross-field checks run even when the entry failed (always): an empty `-` entry has none to check.
        if (typeof f !== "object" || f === null || !(FIELD_TYPES as readonly unknown[]).includes(f.type)) return;
        const type = f.type;
        if (f.primary === true) {
            if (type !== "INT64" && type !== "VARCHAR") report(ctx, ["primary"], true, "primary only on an INT64 or VARCHAR field");
            if (f.nullable === true) report(ctx, ["nullable"], true, "false for the primary key");
        }
        if (f.autoId === true && (f.primary !== true || type !== "INT64")) report(ctx, ["autoId"], true, "autoId only on the INT64 primary key");
        if (f.nullable === true && isVectorType(type)) report(ctx, ["nullable"], true, "false for a vector field");
        const onlyFor = (key: "dim" | "maxLength" | "elementType" | "maxCapacity", applies: boolean, what: string, required: string): void => {
            if (f[key] !== undefined && !applies) reportGiven(ctx, [key], `no ${key} on a ${type} field (${key} applies to ${what})`);
            if (f[key] === undefined && applies) report(ctx, [key], undefined, required);
        };
        onlyFor("elementType", type === "ARRAY", "ARRAY", `one of ${ARRAY_ELEMENT_TYPES.join(", ")} (required for ARRAY)`);
        onlyFor("dim", type === "FLOAT_VECTOR", "FLOAT_VECTOR", `an integer from 1 to ${MAX_DIM} (required for FLOAT_VECTOR)`);
        const needsLength = type === "VARCHAR" || (type === "ARRAY" && f.elementType === "VARCHAR");
        // An ARRAY whose elementType is missing or bad is reported there; its maxLength is not judged.
        if (!(type === "ARRAY" && !(ARRAY_ELEMENT_TYPES as readonly unknown[]).includes(f.elementType))) {
            onlyFor("maxLength", needsLength, "VARCHAR and ARRAY of VARCHAR", `an integer from 1 to ${MAX_VARCHAR} (required for VARCHAR)`);
        }
        onlyFor("maxCapacity", type === "ARRAY", "ARRAY", "an integer from 1 to 4096 (required for ARRAY)");
    }, always)
    .transform((f): FieldSettings => {
        const spec: FieldSettings = { name: f.name, type: f.type };
        if (f.description !== undefined) spec.description = f.description;
        if (f.primary) spec.primary = true;
        if (f.autoId) spec.autoId = true;
        if (f.nullable) spec.nullable = true;
        if (f.elementType) spec.elementType = f.elementType;
        if (f.dim !== undefined) spec.dim = f.dim;
        if (f.maxLength !== undefined) spec.maxLength = f.maxLength;
        if (f.maxCapacity !== undefined) spec.maxCapacity = f.maxCapacity;
        return spec;
    });

function scalarIndexSchema<T extends ScalarIndexType>(type: T) {
    return z
        .strictObject(
            { field: text(), type: z.literal(type), metric: z.unknown().optional(), params: z.unknown().optional(), searchParams: z.unknown().optional() },
            { error: (iss) => (iss.code === "unrecognized_keys" ? `one of the known keys of a ${type} index: field, type` : undefined) },
        )
        .superRefine((ix, ctx) => {
            for (const key of ["metric", "params", "searchParams"] as const) {
                const v = ix[key];
                const empty = key !== "metric" && typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
                if (v !== undefined && !empty) reportGiven(ctx, [key], `no ${key} on a scalar index`);
            }
        }, always)
        .transform((ix): ScalarIndexSettings => ({ field: ix.field, type: ix.type }));
}

const ALL_INDEX_TYPES = [...DENSE_INDEX_TYPES, ...SPARSE_INDEX_TYPES, ...SCALAR_INDEX_TYPES] as const;

/** One index entry; its `type` picks the parameters it takes (a JSON Schema `oneOf` per type). */
const indexSchema = z.discriminatedUnion(
    "type",
    [
        ...[...DENSE_INDEX_TYPES, ...SPARSE_INDEX_TYPES].map((t) => vectorIndexSchema(t)),
        ...SCALAR_INDEX_TYPES.map((t) => scalarIndexSchema(t)),
    ] as unknown as [ReturnType<typeof vectorIndexSchema<VectorIndexType>>, ...ReturnType<typeof scalarIndexSchema<ScalarIndexType>>[]],
    {
        error: (iss) =>
            typeof iss.input !== "object" || iss.input === null || Array.isArray(iss.input)
                ? "an index mapping with field and type"
                : `an index type: one of ${ALL_INDEX_TYPES.join(", ")}`,
    },
);

type IndexOut = VectorIndexSettings | ScalarIndexSettings;

/** Whether a value is what its schema produced (so checks across entries read only entries that parsed). */
function parsed<S extends z.ZodType>(schema: S, value: unknown): value is z.output<S> {
    return schema.safeParse(value).success;
}

function indexTypesFor(type: FieldType): readonly string[] {
    if (type === "FLOAT_VECTOR") return DENSE_INDEX_TYPES;
    if (type === "SPARSE_FLOAT_VECTOR") return SPARSE_INDEX_TYPES;
    return SCALAR_INDEX_TYPES.filter((s) => SCALAR_INDEX_FIELD_TYPES[s].includes(type));
}

const collectionShape = {
    name: name(),
    /** The database the collection belongs to (declared under `databases`, or `default`). */
    database: databaseName().optional(),
    description: str().optional(),
    fields: list(fieldSchema, "a list of fields (a primary key and at least one vector field)"),
    enableDynamicField: bool().default(false),
    indexes: list(indexSchema).optional(),
    vectorIndexes: list(indexSchema).optional(),
    scalarIndexes: list(indexSchema).optional(),
    partitions: list(partitionName()).optional(),
    aliases: list(name()).optional(),
    load: bool().default(true),
};
const COLLECTION_KEYS = Object.keys(collectionShape).join(", ");

type CollectionParsed = z.output<z.ZodObject<typeof collectionShape>>;

/** Rules across the fields, indexes, partitions and aliases of one collection. */
function checkCollectionRules(c: CollectionParsed, ctx: z.core.$RefinementCtx<unknown>): void {
    if (typeof c !== "object" || c === null) return;
    const given = Array.isArray(c.fields) ? (c.fields as unknown[]) : [];
    if (Array.isArray(c.fields) && given.length === 0) report(ctx, ["fields"], c.fields, "a list of at least a primary key field and a vector field");
    if (given.length > MAX_FIELDS) report(ctx, ["fields"], `${given.length} fields`, `at most ${MAX_FIELDS} fields`);
    const fields: FieldSettings[] = [];
    const names = new Set<string>();
    given.forEach((f, i) => {
        if (!parsed(fieldSchema, f)) return;
        if (names.has(f.name)) report(ctx, ["fields", i, "name"], f.name, "a field name not used by another field of this collection");
        names.add(f.name);
        fields.push(f);
    });
    if (given.length > 0 && fields.length === given.length) {
        const primaries = fields.filter((f) => f.primary);
        if (primaries.length !== 1) report(ctx, ["fields"], (primaries.length ? primaries : fields).map((f) => f.name), "exactly one field with primary: true");
        const vectors = fields.filter((f) => isVectorType(f.type));
        if (!vectors.length) report(ctx, ["fields"], fields.map((f) => f.name), `at least one vector field (${VECTOR_TYPES.join(" or ")})`);
        if (vectors.length > MAX_VECTOR_FIELDS) {
            report(ctx, ["fields"], vectors.map((f) => f.name), `at most ${MAX_VECTOR_FIELDS} vector fields (Milvus's default proxy.maxVectorFieldNum)`);
        }
    }
    // Names given, also of fields that failed (already reported), so an index on one is not "unknown field" too.
    const givenNames = given.map((f) => (typeof f === "object" && f !== null ? (f as { name?: unknown }).name : undefined));
    const indexed = new Set<string>();
    const attempted = new Set<string>();
    for (const key of INDEX_LISTS) {
        const entries = Array.isArray(c[key]) ? (c[key] as unknown[]) : [];
        entries.forEach((ix, i) => {
            const raw = ix as { field?: unknown };
            if (typeof raw === "object" && raw !== null && typeof raw.field === "string") attempted.add(raw.field);
            if (!parsed(indexSchema, ix)) return;
            const at = [key, i];
            const target = fields.find((f) => f.name === ix.field);
            if (!target) {
                if (!givenNames.includes(ix.field)) report(ctx, [...at, "field"], ix.field, `one of the collection's fields: ${fields.map((f) => f.name).join(", ")}`);
                return;
            }
            const fits = indexTypesFor(target.type);
            if (!fits.includes(ix.type)) {
                report(ctx, [...at, "type"], ix.type, fits.length ? `one of ${fits.join(", ")} for a ${target.type} field` : `no index on a ${target.type} field`);
                return;
            }
            if ("metric" in ix) {
                for (const p of indexParamProblems(ix.type, ix.params, ix.searchParams, target.dim)) report(ctx, [...at, ...p.path], p.value, p.allowed);
            }
            if (indexed.has(ix.field)) report(ctx, [...at, "field"], ix.field, "a field with no other index (Milvus keeps one index per field)");
            indexed.add(ix.field);
        });
    }
    for (const f of fields) {
        if (isVectorType(f.type) && !attempted.has(f.name)) {
            report(ctx, ["indexes"], f.name, `an index for every vector field (missing for ${f.name}); Milvus cannot load a collection with an unindexed vector field`);
        }
    }
    const unique = (key: "partitions" | "aliases", max: number) => {
        const list = Array.isArray(c[key]) ? (c[key] as unknown[]) : [];
        if (list.length > max) report(ctx, [key], `${list.length} entries`, `at most ${max} entries`);
        list.forEach((n, i) => {
            if (typeof n === "string" && list.indexOf(n) !== i) report(ctx, [key, i], n, "a name not listed twice");
        });
    };
    unique("partitions", MAX_PARTITIONS - 1);
    unique("aliases", MAX_ALIASES);
    if (Array.isArray(c.aliases) && typeof c.name === "string" && c.aliases.includes(c.name)) {
        report(ctx, ["aliases"], c.name, "aliases other than the collection's own name");
    }
}

function toCollectionSpec(c: CollectionParsed): CollectionSettings {
    const all: IndexOut[] = INDEX_LISTS.flatMap((key) => c[key] ?? []);
    return {
        name: c.name,
        ...(c.database !== undefined && c.database !== DEFAULT_DATABASE ? { database: c.database } : {}),
        ...(c.description !== undefined ? { description: c.description } : {}),
        fields: c.fields,
        enableDynamicField: c.enableDynamicField,
        vectorIndexes: all.filter((ix): ix is VectorIndexSettings => "metric" in ix),
        scalarIndexes: all.filter((ix): ix is ScalarIndexSettings => !("metric" in ix)),
        partitions: c.partitions ?? [],
        aliases: c.aliases ?? [],
        load: c.load,
    };
}

const collectionSchema = z
    .strictObject(collectionShape, {
        error: (iss) => (iss.code === "unrecognized_keys" ? `one of the known keys of a collection: ${COLLECTION_KEYS}` : "a collection mapping with name and fields"),
    })
    .superRefine(checkCollectionRules, always)
    .transform(toCollectionSpec);

function checkAcrossCollections(s: { collections?: unknown; databases?: unknown; access?: unknown }, ctx: z.core.$RefinementCtx<unknown>): void {
    const list = Array.isArray(s.collections) ? (s.collections as unknown[]) : [];
    const declaredDbs = Array.isArray(s.databases) ? (s.databases as unknown[]).filter((d): d is string => typeof d === "string") : [];
    const databases = [DEFAULT_DATABASE, ...declaredDbs.filter((d) => d !== DEFAULT_DATABASE)];
    // Collection and alias names are unique within a database, not across databases.
    const seen = new Map<string, number>();
    const aliasOwner = new Map<string, { name: string; index: number }>();
    list.forEach((c, i) => {
        if (!parsed(collectionSchema, c)) return;
        const db = databaseOf(c);
        if (!databases.includes(db)) report(ctx, ["collections", i, "database"], db, `a database listed under schema.databases, or ${DEFAULT_DATABASE}: ${databases.join(", ")}`);
        const key = (n: string) => `${db}/${n}`;
        if (seen.has(key(c.name))) report(ctx, ["collections", i, "name"], c.name, `a collection name not declared twice in database ${db}`);
        else seen.set(key(c.name), i);
        c.aliases.forEach((a, j) => {
            const owner = aliasOwner.get(key(a));
            if (owner !== undefined && owner.name !== c.name) report(ctx, ["collections", i, "aliases", j], a, `an alias not already used by collection ${owner.name}`);
            if (!owner) aliasOwner.set(key(a), { name: c.name, index: i });
        });
    });
    for (const [alias, owner] of aliasOwner) {
        if (seen.has(alias)) report(ctx, ["collections", owner.index, "aliases"], alias.slice(alias.indexOf("/") + 1), "an alias that is not also a collection name");
    }
    // Grants name databases too: one that is neither declared nor `default` would be granted on nothing.
    const roles = (s.access as { roles?: unknown } | undefined)?.roles;
    if (Array.isArray(roles)) {
        roles.forEach((r, i) => {
            const grants = (r as { grants?: unknown } | null)?.grants;
            if (!Array.isArray(grants)) return;
            grants.forEach((g, j) => {
                const db = (g as { database?: unknown } | null)?.database;
                // A name that breaks the rule is reported there, once.
                if (typeof db === "string" && NAME.test(db) && !databases.includes(db)) {
                    report(ctx, ["access", "roles", i, "grants", j, "database"], db, `a database listed under schema.databases, or ${DEFAULT_DATABASE}: ${databases.join(", ")}`);
                }
            });
        });
    }
}

/**
 * The declared schema (stack config `milvus-gpu:schema` or component args). It accepts its
 * own output too, so the Pulumi resource can re-check a spec handed to it in code.
 */
export const schemaSpecSchema = block(
    {
        /** Databases to create if missing (`default` always exists); never dropped. */
        databases: databasesSchema.optional(),
        collections: list(collectionSchema).default([]),
        /** Roles, their grants and users holding them (needs a Milvus with authentication on). */
        access: accessSchema.optional(),
    },
    "schema",
)
    .superRefine(checkAcrossCollections, always)
    .transform(
        (s): SchemaSettings => ({
            ...(s.databases?.length ? { databases: s.databases.filter((d) => d !== DEFAULT_DATABASE) } : {}),
            collections: s.collections,
            ...(s.access ? { access: s.access } : {}),
        }),
    );

export type SchemaSpecInput = z.input<typeof schemaSpecSchema>;

/**
 * Reads the declared schema and reports every problem at once as ConfigErrors naming the
 * dotted field.
 */
export function parseSchemaSettings(raw: unknown, field = "schema"): SchemaSettings {
    return parseWith(schemaSpecSchema, raw, field);
}

/** The verification options; `field` is their dotted path, which messages naming a sibling key use. */
export function verifySpecSchemaAt(field: string) {
    const d = DEFAULT_VERIFY;
    return block(
        {
            enabled: bool().default(d.enabled),
            canaryRows: int({ min: 10, max: 100_000 }).default(d.canaryRows),
            queries: int({ min: 1, max: 1000 }).default(d.queries),
            topK: int({ min: 1, max: 1000 }).default(d.topK),
            recallThreshold: num({ min: 0, max: 1 }).default(d.recallThreshold),
            seed: int({ min: 0, max: 2 ** 32 - 1 }).default(d.seed),
            stepTimeoutSeconds: int({ min: 1, max: 86_400 }).default(d.stepTimeoutSeconds),
            slo: sloSpecSchema(`${field}.slo`).optional(),
        },
        field,
    )
        .superRefine((v, ctx) => {
            // Compared only when each parsed; a value out of its own range is reported once, there.
            const within = (n: unknown, min: number, max: number): n is number => typeof n === "number" && Number.isInteger(n) && n >= min && n <= max;
            const topK = within(v.topK, 1, 1000) ? v.topK : undefined;
            if (topK !== undefined && within(v.canaryRows, 10, 100_000) && topK > v.canaryRows) report(ctx, ["topK"], topK, `at most canaryRows (${v.canaryRows})`);
            if (v.slo !== undefined) {
                if (v.enabled === false) reportGiven(ctx, ["slo"], `no slo while ${field}.enabled is false (the SLO runs with the verification)`);
                const rows = (v.slo as { rows?: unknown }).rows;
                if (topK !== undefined && within(rows, SLO_LIMITS.rows.min, SLO_LIMITS.rows.max) && topK > rows) report(ctx, ["slo", "rows"], rows, `at least ${field}.topK (${topK})`);
            }
        }, always)
        .transform((v): VerifySettings => {
            const { slo, ...rest } = v;
            return { ...rest, ...(slo ? { slo } : {}) };
        });
}

/** The stack key `milvus-gpu:verify`. */
export const verifySpecSchema = verifySpecSchemaAt("verify");

export type VerifySpecInput = z.input<typeof verifySpecSchema>;

/** Reads the verification options (stack config `milvus-gpu:verify`), defaults from DEFAULT_VERIFY. */
export function parseVerifySettings(raw: unknown, field = "verify"): VerifySettings {
    return parseWith(field === "verify" ? verifySpecSchema : verifySpecSchemaAt(field), raw, field);
}

/**
 * Rules between the declared schema and the verification options that Milvus would enforce
 * only when the step searches: a search parameter below the search's limit (HNSW `ef`,
 * DISKANN `search_list`, CAGRA `itopk_size` under `verify.topK`). Pure, so render, policy,
 * preview and `verify --spec` see it before anything connects. Fields are
 * `schema.collections[i].indexes.<field>.searchParams.<name>`.
 */
export function schemaVerifyProblems(schema: SchemaSettings, verify: VerifySettings, fields = { schema: "schema", verify: "verify" }): ConfigError[] {
    if (!verify.enabled) return [];
    const out: ConfigError[] = [];
    schema.collections.forEach((c, i) =>
        c.vectorIndexes.forEach((ix) => {
            for (const p of searchLimitProblems(ix.searchParams, verify.topK, `${fields.verify}.topK`)) {
                out.push(new ConfigError(`${fields.schema}.collections[${i}].indexes.${ix.field}.${p.path.join(".")}`, p.value, p.allowed));
            }
        }),
    );
    return out;
}
