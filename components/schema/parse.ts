import { ConfigError } from "../errors";
import {
    isObject,
    objectAt,
    optionalArray,
    optionalBoolean,
    optionalEnum,
    optionalInteger,
    optionalNumber,
    optionalString,
    Problems,
    RawObject,
    rejectUnknownKeys,
    requiredString,
} from "../validate";
import { checkVectorIndexParams, SCALAR_INDEX_FIELD_TYPES, VECTOR_INDEX_RULES } from "./indexParams";
import { parseSloSpec } from "./sloSpec";
import {
    ARRAY_ELEMENT_TYPES,
    CollectionSpec,
    DEFAULT_VERIFY,
    DENSE_INDEX_TYPES,
    FieldSpec,
    FieldType,
    isVectorType,
    METRIC_TYPES,
    SCALAR_INDEX_TYPES,
    SCALAR_TYPES,
    ScalarIndexSpec,
    SchemaSpec,
    SPARSE_INDEX_TYPES,
    VECTOR_TYPES,
    VectorIndexSpec,
    VerifySpec,
} from "./spec";

/** Milvus's rule for collection, field, partition and alias names. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const NAME_ALLOWED = "a name of letters, digits and _, starting with a letter or _, at most 255 characters";
/** Partition names may start with a digit (the seed's `2024_docs`); Milvus's partition-tag rule. */
const PARTITION_NAME = /^[A-Za-z0-9_]{1,255}$/;
const PARTITION_ALLOWED = "a name of letters, digits and _, at most 255 characters";
const MAX_FIELDS = 64;
const MAX_DIM = 32768;
const MAX_VARCHAR = 65535;
const MAX_PARTITIONS = 1024;

const COLLECTION_KEYS = [
    "name",
    "description",
    "fields",
    "enableDynamicField",
    "indexes",
    "vectorIndexes",
    "scalarIndexes",
    "partitions",
    "aliases",
    "load",
] as const;
const FIELD_KEYS = ["name", "type", "description", "primary", "autoId", "maxLength", "dim", "elementType", "maxCapacity", "nullable"] as const;
const INDEX_KEYS = ["field", "type", "metric", "params", "searchParams"] as const;
const VERIFY_KEYS = ["enabled", "canaryRows", "queries", "topK", "recallThreshold", "seed", "stepTimeoutSeconds", "slo"] as const;

function name(value: unknown, field: string, pattern = NAME, allowed = NAME_ALLOWED): string {
    const s = requiredString(value, field);
    if (!pattern.test(s)) throw new ConfigError(field, value, allowed);
    return s;
}

/**
 * Reads the declared schema (stack config `milvus-gpu:schema` or component args) and
 * reports every problem at once as ConfigErrors naming the dotted field. Accepts its own
 * output too, so the Pulumi resource can re-check a spec handed to it in code.
 */
export function parseSchemaSpec(raw: unknown, field = "schema"): SchemaSpec {
    const problems = new Problems();
    const obj = problems.capture(() => objectAt(raw, field)) ?? {};
    problems.capture(() => rejectUnknownKeys(obj, field, ["collections"]));
    const list = problems.capture(() => optionalArray(obj.collections, `${field}.collections`)) ?? [];
    const collections: CollectionSpec[] = [];
    list.forEach((item, i) => {
        const c = parseCollection(item, `${field}.collections[${i}]`, problems);
        if (c) collections.push(c);
    });
    checkAcrossCollections(collections, list, `${field}.collections`, problems);
    problems.throwIfAny();
    return { collections };
}

function checkAcrossCollections(collections: CollectionSpec[], raw: unknown[], field: string, problems: Problems): void {
    const seen = new Set<string>();
    const aliasOwner = new Map<string, string>();
    collections.forEach((c, i) => {
        const at = `${field}[${raw.findIndex((r) => isObject(r) && r.name === c.name)}]`;
        if (seen.has(c.name)) problems.add(`${at}.name`, c.name, "a collection name not declared twice");
        seen.add(c.name);
        c.aliases.forEach((a, j) => {
            const owner = aliasOwner.get(a);
            if (owner !== undefined && owner !== c.name) problems.add(`${field}[${i}].aliases[${j}]`, a, `an alias not already used by collection ${owner}`);
            aliasOwner.set(a, c.name);
        });
    });
    for (const [alias, owner] of aliasOwner) {
        if (seen.has(alias)) problems.add(`${field}[${collections.findIndex((c) => c.name === owner)}].aliases`, alias, "an alias that is not also a collection name");
    }
}

function parseCollection(raw: unknown, field: string, problems: Problems): CollectionSpec | undefined {
    if (!isObject(raw)) {
        problems.add(field, raw, "a collection mapping with name and fields");
        return undefined;
    }
    const before = problems.errors.length;
    problems.capture(() => rejectUnknownKeys(raw, field, COLLECTION_KEYS));
    const collectionName = problems.capture(() => name(raw.name, `${field}.name`)) ?? "";
    const description = problems.capture(() => optionalString(raw.description, `${field}.description`));
    const enableDynamicField = problems.capture(() => optionalBoolean(raw.enableDynamicField, `${field}.enableDynamicField`)) ?? false;
    const load = problems.capture(() => optionalBoolean(raw.load, `${field}.load`)) ?? true;
    const fields = parseFields(raw.fields, `${field}.fields`, problems);
    // Names of fields given, including ones that failed to parse (already reported), so an
    // index on such a field is not reported a second time as "unknown field".
    const givenNames = (Array.isArray(raw.fields) ? raw.fields : []).map((f) => (isObject(f) ? f.name : undefined));
    const { vectorIndexes, scalarIndexes } = parseIndexes(raw, fields, givenNames, field, problems);
    const partitions = parseNames(raw.partitions, `${field}.partitions`, MAX_PARTITIONS, problems, PARTITION_NAME, PARTITION_ALLOWED);
    const aliases = parseNames(raw.aliases, `${field}.aliases`, 1024, problems);
    if (aliases.includes(collectionName)) problems.add(`${field}.aliases`, collectionName, "aliases other than the collection's own name");
    if (problems.errors.length > before) return undefined;
    return {
        name: collectionName,
        ...(description !== undefined ? { description } : {}),
        fields,
        enableDynamicField,
        vectorIndexes,
        scalarIndexes,
        partitions,
        aliases,
        load,
    };
}

function parseNames(raw: unknown, field: string, max: number, problems: Problems, pattern = NAME, allowed = NAME_ALLOWED): string[] {
    const list = problems.capture(() => optionalArray(raw, field)) ?? [];
    if (list.length > max) problems.add(field, `${list.length} entries`, `at most ${max} entries`);
    const out: string[] = [];
    list.forEach((item, i) => {
        const n = problems.capture(() => name(item, `${field}[${i}]`, pattern, allowed));
        if (n === undefined) return;
        if (out.includes(n)) problems.add(`${field}[${i}]`, n, "a name not listed twice");
        else out.push(n);
    });
    return out;
}

function parseFields(raw: unknown, field: string, problems: Problems): FieldSpec[] {
    const list = problems.capture(() => optionalArray(raw, field));
    if (!list || list.length === 0) {
        if (list) problems.add(field, raw, "a list of at least a primary key field and a vector field");
        else if (raw === undefined || raw === null) problems.add(field, raw, "a list of fields (a primary key and at least one vector field)");
        return [];
    }
    if (list.length > MAX_FIELDS) problems.add(field, `${list.length} fields`, `at most ${MAX_FIELDS} fields`);
    const fields: FieldSpec[] = [];
    const names = new Set<string>();
    list.forEach((item, i) => {
        const f = parseField(item, `${field}[${i}]`, problems);
        if (!f) return;
        if (names.has(f.name)) problems.add(`${field}[${i}].name`, f.name, "a field name not used by another field of this collection");
        names.add(f.name);
        fields.push(f);
    });
    if (fields.length === list.length) {
        const primaries = fields.filter((f) => f.primary);
        if (primaries.length !== 1) problems.add(field, (primaries.length ? primaries : fields).map((f) => f.name), "exactly one field with primary: true");
        if (!fields.some((f) => isVectorType(f.type))) problems.add(field, fields.map((f) => f.name), `at least one vector field (${VECTOR_TYPES.join(" or ")})`);
    }
    return fields;
}

function parseField(raw: unknown, field: string, problems: Problems): FieldSpec | undefined {
    if (!isObject(raw)) {
        problems.add(field, raw, "a field mapping with name and type");
        return undefined;
    }
    const before = problems.errors.length;
    problems.capture(() => rejectUnknownKeys(raw, field, FIELD_KEYS));
    const fieldName = problems.capture(() => name(raw.name, `${field}.name`));
    const type = problems.capture(() => {
        const t = optionalEnum<FieldType>(raw.type, `${field}.type`, [...SCALAR_TYPES, ...VECTOR_TYPES]);
        if (t === undefined) throw new ConfigError(`${field}.type`, raw.type, `one of ${[...SCALAR_TYPES, ...VECTOR_TYPES].join(", ")}`);
        return t;
    });
    const description = problems.capture(() => optionalString(raw.description, `${field}.description`));
    const primary = problems.capture(() => optionalBoolean(raw.primary, `${field}.primary`)) ?? false;
    const autoId = problems.capture(() => optionalBoolean(raw.autoId, `${field}.autoId`)) ?? false;
    const nullable = problems.capture(() => optionalBoolean(raw.nullable, `${field}.nullable`)) ?? false;
    if (fieldName === undefined || type === undefined) return undefined;

    const spec: FieldSpec = { name: fieldName, type };
    if (description !== undefined) spec.description = description;
    if (primary) {
        if (type !== "INT64" && type !== "VARCHAR") problems.add(`${field}.primary`, true, "primary only on an INT64 or VARCHAR field");
        if (nullable) problems.add(`${field}.nullable`, true, "false for the primary key");
        spec.primary = true;
    }
    if (autoId) {
        if (!primary || type !== "INT64") problems.add(`${field}.autoId`, true, "autoId only on the INT64 primary key");
        spec.autoId = true;
    }
    if (nullable) {
        if (isVectorType(type)) problems.add(`${field}.nullable`, true, "false for a vector field");
        spec.nullable = true;
    }

    const onlyFor = (key: "dim" | "maxLength" | "elementType" | "maxCapacity", allowed: boolean, what: string): boolean => {
        if (raw[key] === undefined || raw[key] === null) return false;
        if (!allowed) problems.add(`${field}.${key}`, raw[key], `no ${key} on a ${type} field (${key} applies to ${what})`);
        return allowed;
    };
    const elementType =
        type === "ARRAY"
            ? problems.capture(() => {
                  const e = optionalEnum(raw.elementType, `${field}.elementType`, ARRAY_ELEMENT_TYPES);
                  if (e === undefined) throw new ConfigError(`${field}.elementType`, raw.elementType, `one of ${ARRAY_ELEMENT_TYPES.join(", ")} (required for ARRAY)`);
                  return e;
              })
            : (onlyFor("elementType", false, "ARRAY"), undefined);
    if (elementType) spec.elementType = elementType;

    if (type === "FLOAT_VECTOR") {
        const dim = problems.capture(() => optionalInteger(raw.dim, `${field}.dim`, { min: 1, max: MAX_DIM }));
        if (raw.dim === undefined || raw.dim === null) problems.add(`${field}.dim`, raw.dim, `an integer from 1 to ${MAX_DIM} (required for FLOAT_VECTOR)`);
        if (dim !== undefined) spec.dim = dim;
    } else onlyFor("dim", false, "FLOAT_VECTOR");

    const needsLength = type === "VARCHAR" || (type === "ARRAY" && elementType === "VARCHAR");
    if (needsLength) {
        const maxLength = problems.capture(() => optionalInteger(raw.maxLength, `${field}.maxLength`, { min: 1, max: MAX_VARCHAR }));
        if (raw.maxLength === undefined || raw.maxLength === null) problems.add(`${field}.maxLength`, raw.maxLength, `an integer from 1 to ${MAX_VARCHAR} (required for VARCHAR)`);
        if (maxLength !== undefined) spec.maxLength = maxLength;
    } else onlyFor("maxLength", false, "VARCHAR and ARRAY of VARCHAR");

    if (type === "ARRAY") {
        const maxCapacity = problems.capture(() => optionalInteger(raw.maxCapacity, `${field}.maxCapacity`, { min: 1, max: 4096 }));
        if (raw.maxCapacity === undefined || raw.maxCapacity === null) problems.add(`${field}.maxCapacity`, raw.maxCapacity, "an integer from 1 to 4096 (required for ARRAY)");
        if (maxCapacity !== undefined) spec.maxCapacity = maxCapacity;
    } else onlyFor("maxCapacity", false, "ARRAY");

    return problems.errors.length > before ? undefined : spec;
}

function parseIndexes(
    raw: RawObject,
    fields: FieldSpec[],
    givenNames: unknown[],
    field: string,
    problems: Problems,
): { vectorIndexes: VectorIndexSpec[]; scalarIndexes: ScalarIndexSpec[] } {
    const vectorIndexes: VectorIndexSpec[] = [];
    const scalarIndexes: ScalarIndexSpec[] = [];
    const indexed = new Set<string>();
    const attempted = new Set<string>();
    for (const key of ["indexes", "vectorIndexes", "scalarIndexes"] as const) {
        const list = problems.capture(() => optionalArray(raw[key], `${field}.${key}`)) ?? [];
        list.forEach((item, i) => {
            const at = `${field}.${key}[${i}]`;
            // A field with a broken index entry is reported there, not again as unindexed.
            if (isObject(item) && typeof item.field === "string") attempted.add(item.field);
            const parsed = parseIndex(item, fields, givenNames, at, problems);
            if (!parsed) return;
            if (indexed.has(parsed.field)) {
                problems.add(`${at}.field`, parsed.field, "a field with no other index (Milvus keeps one index per field)");
                return;
            }
            indexed.add(parsed.field);
            if ("metric" in parsed) vectorIndexes.push(parsed);
            else scalarIndexes.push(parsed);
        });
    }
    for (const f of fields) {
        if (isVectorType(f.type) && !attempted.has(f.name)) {
            problems.add(`${field}.indexes`, f.name, `an index for every vector field (missing for ${f.name}); Milvus cannot load a collection with an unindexed vector field`);
        }
    }
    return { vectorIndexes, scalarIndexes };
}

function parseIndex(raw: unknown, fields: FieldSpec[], givenNames: unknown[], at: string, problems: Problems): VectorIndexSpec | ScalarIndexSpec | undefined {
    if (!isObject(raw)) {
        problems.add(at, raw, "an index mapping with field and type");
        return undefined;
    }
    const before = problems.errors.length;
    problems.capture(() => rejectUnknownKeys(raw, at, INDEX_KEYS));
    const fieldName = problems.capture(() => requiredString(raw.field, `${at}.field`));
    if (fieldName === undefined) return undefined;
    const target = fields.find((f) => f.name === fieldName);
    if (!target) {
        if (!givenNames.includes(fieldName)) problems.add(`${at}.field`, fieldName, `one of the collection's fields: ${fields.map((f) => f.name).join(", ")}`);
        return undefined;
    }
    if (isVectorType(target.type)) {
        const types = target.type === "FLOAT_VECTOR" ? DENSE_INDEX_TYPES : SPARSE_INDEX_TYPES;
        const type = problems.capture(() => {
            if (!(types as readonly unknown[]).includes(raw.type)) throw new ConfigError(`${at}.type`, raw.type, `one of ${types.join(", ")} for a ${target.type} field`);
            return raw.type as (typeof types)[number];
        });
        if (type === undefined) return undefined;
        const rule = VECTOR_INDEX_RULES[type];
        const metric = problems.capture(() => {
            const m = optionalEnum(raw.metric, `${at}.metric`, METRIC_TYPES);
            if (m === undefined || !rule.metrics.includes(m)) throw new ConfigError(`${at}.metric`, raw.metric, `one of ${rule.metrics.join(", ")} for ${type}`);
            return m;
        });
        const { params, searchParams } = checkVectorIndexParams(type, raw.params, raw.searchParams, target.dim, at, problems);
        if (metric === undefined || problems.errors.length > before) return undefined;
        return { field: fieldName, type, metric, params, searchParams };
    }
    for (const key of ["metric", "params", "searchParams"] as const) {
        if (raw[key] !== undefined && !(key !== "metric" && isObject(raw[key]) && Object.keys(raw[key] as object).length === 0)) {
            problems.add(`${at}.${key}`, raw[key], `no ${key} on a scalar index`);
        }
    }
    const type = problems.capture(() => {
        const t = optionalEnum(raw.type, `${at}.type`, SCALAR_INDEX_TYPES);
        if (t === undefined || !SCALAR_INDEX_FIELD_TYPES[t].includes(target.type)) {
            const fit = SCALAR_INDEX_TYPES.filter((s) => SCALAR_INDEX_FIELD_TYPES[s].includes(target.type));
            throw new ConfigError(`${at}.type`, raw.type, fit.length ? `one of ${fit.join(", ")} for a ${target.type} field` : `no index on a ${target.type} field`);
        }
        return t;
    });
    if (type === undefined || problems.errors.length > before) return undefined;
    return { field: fieldName, type };
}

/** Reads the verification options (stack config `milvus-gpu:verify`), defaults from DEFAULT_VERIFY. */
export function parseVerifySpec(raw: unknown, field = "verify"): VerifySpec {
    const problems = new Problems();
    const obj = problems.capture(() => objectAt(raw, field)) ?? {};
    problems.capture(() => rejectUnknownKeys(obj, field, VERIFY_KEYS));
    const d = DEFAULT_VERIFY;
    const spec: VerifySpec = {
        enabled: problems.capture(() => optionalBoolean(obj.enabled, `${field}.enabled`)) ?? d.enabled,
        canaryRows: problems.capture(() => optionalInteger(obj.canaryRows, `${field}.canaryRows`, { min: 10, max: 100_000 })) ?? d.canaryRows,
        queries: problems.capture(() => optionalInteger(obj.queries, `${field}.queries`, { min: 1, max: 1000 })) ?? d.queries,
        topK: problems.capture(() => optionalInteger(obj.topK, `${field}.topK`, { min: 1, max: 1000 })) ?? d.topK,
        recallThreshold: problems.capture(() => optionalNumber(obj.recallThreshold, `${field}.recallThreshold`, { min: 0, max: 1 })) ?? d.recallThreshold,
        seed: problems.capture(() => optionalInteger(obj.seed, `${field}.seed`, { min: 0, max: 2 ** 32 - 1 })) ?? d.seed,
        stepTimeoutSeconds:
            problems.capture(() => optionalInteger(obj.stepTimeoutSeconds, `${field}.stepTimeoutSeconds`, { min: 1, max: 86_400 })) ?? d.stepTimeoutSeconds,
    };
    const slo = parseSloSpec(obj.slo, `${field}.slo`, problems);
    if (problems.errors.length === 0 && spec.topK > spec.canaryRows) {
        problems.add(`${field}.topK`, spec.topK, `at most canaryRows (${spec.canaryRows})`);
    }
    if (slo) {
        if (!spec.enabled) problems.add(`${field}.slo`, obj.slo, "no slo while verify.enabled is false (the SLO runs with the verification)");
        if (spec.topK > slo.rows) problems.add(`${field}.slo.rows`, slo.rows, `at least verify.topK (${spec.topK})`);
        spec.slo = slo;
    }
    problems.throwIfAny();
    return spec;
}
