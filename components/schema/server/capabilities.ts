import { declaredPrivilegeGroups } from "../access/parse";
import { SCALAR_INDEX_FIELD_TYPES } from "../spec/indexParams";
import { FieldType, isVectorType, METRIC_TYPES, MetricType, SCALAR_TYPES, ScalarIndexType, SchemaSettings, VECTOR_TYPES, VectorIndexType } from "../spec/settings";

/**
 * What each Milvus release can do with a declared schema: the one table that both the
 * config check (a stack's `release` against its spec) and the schema step (the version the
 * server reports) read, so a plan the server cannot carry out is refused before anything
 * is applied. Every entry names where the fact comes from.
 *
 * Milvus Lite (the embedded engine the tests and `verify --embedded` use) is another product
 * with its own version numbers; its column says what it lacks.
 */
export interface Support {
    /** First Milvus release that has it (`major.minor.patch`). */
    since: string;
    /** Only on a GPU build of Milvus (image tag ending in `-gpu`). */
    gpu?: boolean;
    /** Milvus Lite: `false` when it lacks it, or the field types it refuses it on. */
    lite?: false | { notOn: readonly FieldType[] };
    /** A Milvus doc page or release note that says so. */
    source: string;
    /** Where the Milvus Lite column comes from, when it differs. */
    liteSource?: string;
}

const RELEASE_2_3 = "https://github.com/milvus-io/milvus/releases/tag/v2.3.0";
const RELEASE_2_4 = "https://github.com/milvus-io/milvus/releases/tag/v2.4.0-rc.1";
const GPU_HISTORY = "https://docs.rapids.ai/api/cuvs/stable/integrations/milvus/ (GPU IVF-Flat and IVF-PQ in Milvus 2.3; brute force and CAGRA in 2.4)";
const GPU_BUILD = "https://github.com/milvus-io/milvus/blob/master/Makefile (BUILD_TAGS_GPU = BUILD_TAGS-gpu: a GPU build reports a version ending in -gpu)";
const LITE_SCALAR =
    "https://milvus.io/docs/milvus_lite.md; milvus-lite 3.2.2 answers a scalar CreateIndex of another type with \"is not implemented; supported: INVERTED\", and INVERTED on ARRAY with \"field type ARRAY does not support scalar index\" (test/integration/capabilities.test.ts checks it)";

export const CAPABILITIES: {
    vectorIndexes: Record<VectorIndexType, Support>;
    scalarIndexes: Record<ScalarIndexType, Support>;
    metrics: Record<MetricType, Support>;
    fieldTypes: Partial<Record<FieldType, Support>>;
    features: { multipleVectorFields: Support; nullableFields: Support; databases: Support; rbac: Support; privilegeGroups: Support };
} = {
    vectorIndexes: {
        FLAT: { since: "2.0.0", source: "https://milvus.io/docs/v2.3.x/index.md" },
        IVF_FLAT: { since: "2.0.0", source: "https://milvus.io/docs/v2.3.x/index.md" },
        IVF_SQ8: { since: "2.0.0", source: "https://milvus.io/docs/v2.3.x/index.md" },
        IVF_PQ: { since: "2.0.0", source: "https://milvus.io/docs/v2.3.x/index.md" },
        HNSW: { since: "2.0.0", source: "https://milvus.io/docs/v2.3.x/index.md" },
        DISKANN: { since: "2.2.0", source: "https://milvus.io/docs/v2.3.x/disk_index.md (needs the query nodes' local disk enabled)" },
        GPU_IVF_FLAT: { since: "2.3.0", gpu: true, source: `${GPU_HISTORY}; ${GPU_BUILD}` },
        GPU_IVF_PQ: { since: "2.3.0", gpu: true, source: `${GPU_HISTORY}; ${GPU_BUILD}` },
        GPU_CAGRA: { since: "2.4.0", gpu: true, source: `${RELEASE_2_4} (new GPU index CAGRA); ${GPU_BUILD}` },
        GPU_BRUTE_FORCE: { since: "2.4.0", gpu: true, source: `${GPU_HISTORY}; ${GPU_BUILD}` },
        SPARSE_INVERTED_INDEX: { since: "2.4.0", source: `${RELEASE_2_4} (sparse vectors); https://milvus.io/docs/v2.4.x/index.md` },
        SPARSE_WAND: { since: "2.4.0", source: `${RELEASE_2_4} (sparse vectors); https://milvus.io/docs/v2.4.x/index.md` },
    },
    scalarIndexes: {
        Trie: { since: "2.1.0", lite: false, source: "https://milvus.io/docs/v2.3.x/scalar_index.md (Trie for VARCHAR, from 2.1.0)", liteSource: LITE_SCALAR },
        STL_SORT: { since: "2.1.0", lite: false, source: "https://milvus.io/docs/v2.3.x/scalar_index.md (STL_SORT for numbers, from 2.1.0)", liteSource: LITE_SCALAR },
        INVERTED: { since: "2.4.0", lite: { notOn: ["ARRAY"] }, source: `${RELEASE_2_4} (inverted index for scalar fields)`, liteSource: LITE_SCALAR },
        BITMAP: {
            since: "2.5.0",
            lite: false,
            source: 'https://milvus.io/docs/v2.5.x/bitmap.md; https://github.com/milvus-io/milvus-sdk-java/pull/971 ("BITMAP is function of v2.5")',
            liteSource: LITE_SCALAR,
        },
    },
    metrics: {
        L2: { since: "2.0.0", source: "https://milvus.io/docs/metric.md" },
        IP: { since: "2.0.0", source: "https://milvus.io/docs/metric.md" },
        COSINE: { since: "2.3.0", source: `${RELEASE_2_3} (cosine similarity); https://milvus.io/docs/metric.md` },
    },
    fieldTypes: {
        SPARSE_FLOAT_VECTOR: { since: "2.4.0", source: `${RELEASE_2_4} (sparse vectors); https://milvus.io/docs/v2.4.x/index.md` },
    },
    features: {
        multipleVectorFields: { since: "2.4.0", source: `${RELEASE_2_4} (multi-vector and hybrid search)` },
        databases: {
            since: "2.2.9",
            source: "https://github.com/milvus-io/milvus/releases/tag/v2.2.9 (databases); milvus-lite 3.2.2 creates and lists them (checked here)",
        },
        rbac: {
            since: "2.2.0",
            lite: false,
            source: "https://milvus.io/docs/v2.2.x/rbac.md (users, roles and grants from 2.2)",
            liteSource: "https://milvus.io/docs/milvus_lite.md (no RBAC); milvus-lite 3.2.2 answers createRole and listUsers with an empty reply",
        },
        privilegeGroups: {
            since: "2.5.0",
            lite: false,
            source: "https://milvus.io/docs/v2.5.x/privilege_group.md (built-in privilege groups from 2.5); Milvus 2.3.5 answers a grant of CollectionReadOnly with \"not found the privilege name\" (checked here)",
        },
        nullableFields: {
            since: "2.5.0",
            source: "https://milvus.io/docs/v2.5.x/nullable-and-default.md; https://github.com/milvus-io/milvus/issues/31728 (maintainer: nullable in Milvus 2.5)",
        },
    },
};

/** The oldest Milvus the table describes; older servers are refused rather than guessed at. */
export const OLDEST_DESCRIBED = "2.3.0";

/** A Milvus server (or a stack's declared release) as the table sees it. */
export interface ServerIdentity {
    product: "milvus" | "milvus-lite";
    /** `[major, minor, patch]` of that product. */
    version: [number, number, number];
    gpu: boolean;
    /** How to name it in messages, e.g. `Milvus 2.3.5` or `Milvus 2.4.0 (GPU build)`. */
    label: string;
}

/**
 * Reads what a server reports (`v2.3.5-lite` from PyPI's build, `v2.4.0-gpu`, `milvus_lite-3.2.2`)
 * or a declared release (`v2.4.0`, `2.5.3`). `gpu` overrides what the string says (a stack
 * knows its image tag). Undefined when the string names no version.
 */
export function parseServerVersion(raw: string, gpu?: boolean): ServerIdentity | undefined {
    const lite = /^milvus[_-]lite[-_ ]v?(\d+)\.(\d+)(?:\.(\d+))?/i.exec(raw.trim());
    if (lite) {
        const version: [number, number, number] = [Number(lite[1]), Number(lite[2]), Number(lite[3] ?? 0)];
        return { product: "milvus-lite", version, gpu: false, label: `Milvus Lite ${version.join(".")}` };
    }
    const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?([-+.][0-9A-Za-z.+-]*)?$/.exec(raw.trim());
    if (!m) return undefined;
    const version: [number, number, number] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    const isGpu = gpu ?? /(^|[-.+])gpu($|[-.+])/i.test(m[4] ?? "");
    return { product: "milvus", version, gpu: isGpu, label: `Milvus ${version.join(".")}${isGpu ? " (GPU build)" : ""}` };
}

function atLeast(v: [number, number, number], since: string): boolean {
    const s = since.split(".").map(Number);
    for (let i = 0; i < 3; i++) {
        if (v[i] !== s[i]) return v[i] > (s[i] ?? 0);
    }
    return true;
}

/** Why `server` cannot do what `support` describes (on a field of `fieldType`), or undefined when it can. */
export function lacks(support: Support, server: ServerIdentity, fieldType?: FieldType): string | undefined {
    if (server.product === "milvus-lite") {
        if (support.lite === false) return "is not implemented by Milvus Lite";
        if (support.lite && fieldType && support.lite.notOn.includes(fieldType)) return `is not implemented by Milvus Lite on ${aField(fieldType)}`;
        if (support.gpu) return "needs a GPU build of Milvus";
        return undefined;
    }
    if (!atLeast(server.version, support.since)) return `needs Milvus ${support.since} or later`;
    if (support.gpu && !server.gpu) return "needs a GPU build of Milvus (image tag ending in -gpu)";
    return undefined;
}

export interface CapabilityProblem {
    field: string;
    value: unknown;
    allowed: string;
}

function alternatives<K extends string>(table: Record<K, Support>, server: ServerIdentity, fits: (k: K) => boolean, fieldType?: FieldType): K[] {
    return (Object.keys(table) as K[]).filter((k) => fits(k) && lacks(table[k], server, fieldType) === undefined);
}

function aField(type: FieldType): string {
    return `${/^[AEIOU]/.test(type) ? "an" : "a"} ${type} field`;
}

function orNone(list: string[], what: string): string {
    return list.length ? `one of ${list.join(", ")}` : `no ${what} at all`;
}

/**
 * Everything in `spec` that `server` (a reported version, or a stack's declared release)
 * cannot do, each naming the dotted field, the value and what that version allows, with
 * the source of the rule. Indexes are named by field (`...indexes.category.type`), as
 * Milvus keeps one index per field. Pure: no network.
 */
export function specCapabilityProblems(spec: SchemaSettings, server: { version: string; gpu?: boolean }, field = "schema"): CapabilityProblem[] {
    const id = parseServerVersion(server.version, server.gpu);
    if (!id) {
        return [{ field: `${field} (server version)`, value: server.version, allowed: "a Milvus version such as v2.4.0 (or v2.4.0-gpu), or milvus_lite-3.2.2" }];
    }
    if (id.product === "milvus" && !atLeast(id.version, OLDEST_DESCRIBED)) {
        return [{ field: `${field} (server version)`, value: server.version, allowed: `Milvus ${OLDEST_DESCRIBED} or later (older releases are not described by the capability table)` }];
    }
    const problems: CapabilityProblem[] = [];
    const refuse = (at: string, value: unknown, what: string, why: string, support: Support, instead: string) =>
        problems.push({
            field: at,
            value,
            allowed: `${instead} on ${id.label}; ${what} ${why} (source: ${id.product === "milvus-lite" && support.liteSource ? support.liteSource : support.source})`,
        });

    const databases = CAPABILITIES.features.databases;
    const whyDb = spec.databases?.length ? lacks(databases, id) : undefined;
    if (whyDb) refuse(`${field}.databases`, spec.databases, "databases other than default", whyDb, databases, "only the default database (no databases list)");
    const rbac = CAPABILITIES.features.rbac;
    const whyRbac = spec.access?.required ? lacks(rbac, id) : undefined;
    if (whyRbac) {
        refuse(`${field}.access`, `${spec.access!.roles.length} roles, ${spec.access!.users.length} users`, "users, roles and grants", whyRbac, rbac, "no access block, or access.required: false to skip it where the server cannot enforce it");
    }
    const groups = CAPABILITIES.features.privilegeGroups;
    // Access that will be skipped on this server (required: false where there is no RBAC) is not judged further.
    const accessSkipped = !spec.access?.required && lacks(rbac, id) !== undefined;
    for (const g of accessSkipped ? [] : declaredPrivilegeGroups(spec.access)) {
        const why = lacks(groups, id);
        if (why) refuse(`${field}.access.roles[${g.role}].grants[${g.grant}].privileges`, g.privilege, `the privilege group ${g.privilege}`, why, groups, "the single privileges it stands for");
    }

    spec.collections.forEach((c, i) => {
        const at = `${field}.collections[${i}]`;
        const typeOf = (name: string) => c.fields.find((f) => f.name === name)?.type;
        c.fields.forEach((f, j) => {
            const typeSupport = CAPABILITIES.fieldTypes[f.type];
            const why = typeSupport && lacks(typeSupport, id);
            if (typeSupport && why) {
                const fit = [...SCALAR_TYPES, ...VECTOR_TYPES].filter((t) => { const s = CAPABILITIES.fieldTypes[t]; return !s || lacks(s, id) === undefined; });
                refuse(`${at}.fields[${j}].type`, f.type, `field type ${f.type}`, why, typeSupport, orNone(fit, "field type"));
            }
            const nullable = CAPABILITIES.features.nullableFields;
            const whyNull = f.nullable ? lacks(nullable, id) : undefined;
            if (whyNull) refuse(`${at}.fields[${j}].nullable`, true, "a nullable field", whyNull, nullable, "false (every row carries a value)");
        });
        const vectors = c.fields.filter((f) => isVectorType(f.type));
        const multi = CAPABILITIES.features.multipleVectorFields;
        const whyMulti = vectors.length > 1 ? lacks(multi, id) : undefined;
        if (whyMulti) refuse(`${at}.fields`, vectors.map((f) => f.name), "more than one vector field in a collection", whyMulti, multi, "one vector field per collection");

        for (const ix of c.vectorIndexes) {
            const ixAt = `${at}.indexes.${ix.field}`;
            const support = CAPABILITIES.vectorIndexes[ix.type];
            const why = lacks(support, id);
            if (why) {
                const sparse = typeOf(ix.field) === "SPARSE_FLOAT_VECTOR";
                const fit = alternatives(CAPABILITIES.vectorIndexes, id, (k) => k.startsWith("SPARSE_") === sparse);
                refuse(`${ixAt}.type`, ix.type, `index type ${ix.type}`, why, support, orNone(fit, "index type for this field"));
            }
            const metric = CAPABILITIES.metrics[ix.metric];
            const whyMetric = lacks(metric, id);
            if (whyMetric) {
                const fit = METRIC_TYPES.filter((m) => lacks(CAPABILITIES.metrics[m], id) === undefined);
                refuse(`${ixAt}.metric`, ix.metric, `metric ${ix.metric}`, whyMetric, metric, orNone(fit, "metric"));
            }
        }
        for (const ix of c.scalarIndexes) {
            const fieldType = typeOf(ix.field)!;
            const support = CAPABILITIES.scalarIndexes[ix.type];
            const why = lacks(support, id, fieldType);
            if (why) {
                const fit = alternatives(CAPABILITIES.scalarIndexes, id, (k) => scalarIndexFits(k, fieldType), fieldType);
                refuse(`${at}.indexes.${ix.field}.type`, ix.type, `index type ${ix.type}`, why, support, `${orNone(fit, "scalar index")} for ${aField(fieldType)} (or no index on it)`);
            }
        }
    });
    return problems;
}

function scalarIndexFits(type: ScalarIndexType, fieldType: FieldType): boolean {
    return SCALAR_INDEX_FIELD_TYPES[type].includes(fieldType);
}
