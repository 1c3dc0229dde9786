// The schema room's public face: everything outside components/schema imports from here.

// spec/: the declared model. `*Args` is what a user writes, `*Settings` its parsed form.
export type {
    AccessArgs,
    AccessGrantArgs,
    AccessRoleArgs,
    AccessUserArgs,
    CollectionArgs,
    FieldArgs,
    IndexArgs,
    SchemaArgs,
    SloArgs,
    VerifyArgs,
} from "./spec/args";
export {
    ARRAY_ELEMENT_TYPES,
    DEFAULT_SLO,
    DEFAULT_VERIFY,
    DENSE_INDEX_TYPES,
    isSparseIndexType,
    isVectorType,
    METRIC_TYPES,
    SCALAR_INDEX_TYPES,
    SCALAR_TYPES,
    SPARSE_INDEX_TYPES,
    VECTOR_TYPES,
} from "./spec/settings";
export type {
    ArrayElementType,
    CollectionSettings,
    DenseIndexType,
    FieldSettings,
    FieldType,
    IndexParams,
    MetricType,
    ScalarIndexSettings,
    ScalarIndexType,
    ScalarType,
    SchemaSettings,
    SloSettings,
    SparseIndexType,
    VectorIndexSettings,
    VectorIndexType,
    VectorType,
    VerifySettings,
} from "./spec/settings";
export { parseSchemaSettings, parseVerifySettings, schemaSpecSchema, schemaVerifyProblems, verifySpecSchema } from "./spec/parse";
export { VECTOR_INDEX_RULES, SCALAR_INDEX_FIELD_TYPES, isGpuIndex } from "./spec/indexParams";
export { readSpecFile, readSpecDocument } from "./spec/file";

// server/: one Milvus connection, token/TLS diagnosis, what a version can do.
export { createClient, waitForHealthy, backoffDelays, usesTls, MilvusUnavailableError } from "./server/connection";
export type { ConnectionOptions, HealthProbe } from "./server/connection";
export { accessDiagnosis, speaksTls, MilvusAccessError } from "./server/diagnosis";
export type { AccessProblem } from "./server/diagnosis";
export { CAPABILITIES, OLDEST_DESCRIBED, parseServerVersion, specCapabilityProblems } from "./server/capabilities";
export type { CapabilityProblem, ServerIdentity, Support } from "./server/capabilities";
export { checkServerCapabilities, UnsupportedByServerError } from "./server/check";
export type { CapabilityCheck } from "./server/check";
export { checkTlsChoice, readCaFile } from "./server/tls";
export type { TlsChoice } from "./server/tls";

// collections/: observe -> plan -> apply.
export { planSchema, describeAction } from "./collections/plan";
export type { Action, Conflict, SchemaPlan, CollectionPlan } from "./collections/plan";
export { reconcileSchema, SchemaConflictError } from "./collections/reconcile";
export type { ReconcileResult, CollectionOutcome } from "./collections/reconcile";

// access/: roles and users.
export { describeGrant, roleGrants } from "./access/spec";
export type { AccessSettings, Grant, AccessGrantSettings, AccessRoleSettings, AccessUserSettings } from "./access/spec";
export { passwordMapOf, readPasswordsFile } from "./access/passwordsFile";

// verify/: checks, canary, SLO gate, the report.
export { canaryTargets, runCanary } from "./verify/canary";
export { formatReport, VerificationFailedError } from "./verify/report";
export type { SchemaReport, CollectionReport, CanaryReport } from "./verify/report";

// step/: the schema step and its Pulumi wiring.
export { parseSchemaStepSettings, schemaStepProblems, DEFAULT_HEALTH_TIMEOUT_SECONDS, SCHEMA_STEP_INPUTS } from "./step/input";
export type { SchemaStepArgs, SchemaStepSettings } from "./step/input";
export { runSchemaPipeline } from "./step/pipeline";
export type { PipelineOptions, StepHooks } from "./step/pipeline";
export { MilvusSchema } from "./step/milvusSchema";
export type { MilvusSchemaArgs } from "./step/milvusSchema";
