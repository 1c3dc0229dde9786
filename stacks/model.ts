import { backupSettingsSchema } from "../components/backup/config";
import { cloreHostSchema } from "../components/clore/config";
import { clusterSettingsSchema } from "../components/cluster/config";
import { matching, oneOf, withJson, z } from "../components/configSchema";
import { addDefaultType, localHostSchema, sshHostSchema } from "../components/host/hostConfig";
import { monitoringSettingsSchema } from "../components/monitoring/config";
import { schemaSpecSchema, verifySpecSchema } from "../components/schema";
import { standaloneSettingsShape } from "../components/standalone/settings";
import { ACCESS_PASSWORDS_KEY } from "./accessPasswords";

/**
 * The one model of a stack's config: every top-level key of the `milvus-gpu` namespace, the
 * zod schema it is checked with, and the kind of stack it belongs to. The parsed types
 * (stacks/config.ts), the stack-file JSON Schema (stacks/jsonSchema.ts), Pulumi.yaml's
 * `config:` declarations and their defaults (stacks/projectConfig.ts) are all read from here.
 */

export type Mode = "standalone" | "cluster";
export const MODES: readonly Mode[] = ["standalone", "cluster"];

/** Config keys holding secrets: set with `pulumi config set --secret`, read as secrets. */
export const SECRET_KEYS = ["sshPrivateKey", "rootPassword", "minioAccessKey", "minioSecretKey", "cloreApiKey", "milvusTlsCert", "milvusTlsKey", "backupAccessKey", "backupSecretKey"] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

/**
 * Which stacks read a key: every stack (shared), a standalone one on a Docker host or Clore.ai
 * (standalone), a Kubernetes one (cluster); secrets are read as Pulumi secrets, never as plain config.
 */
export type StackKeyKind = "shared" | "standalone" | "cluster" | "secret";

export interface StackKey {
    kind: StackKeyKind;
    schema: z.ZodType;
    /**
     * Declared in Pulumi.yaml's `config:` with its default. Pulumi makes a declared key without a
     * default required, so only keys whose absence means their default are declared.
     */
    declared: boolean;
}

const SECURE = {
    type: "object",
    properties: { secure: { type: "string" } },
    required: ["secure"],
    additionalProperties: false,
    description: "An encrypted value: set it with `pulumi config set --secret`.",
};

/** A secret as a stack file holds it: only its encrypted form; the value is never parsed as plain config. */
const secretSchema = withJson(z.unknown(), SECURE);

export const modeSchema = oneOf(MODES as readonly [Mode, ...Mode[]])
    .default("standalone")
    .describe("standalone (Docker host) or cluster (Kubernetes)");
export const schemaAddressSchema = matching(/^[^\s:/]+:\d{1,5}$/, "host:port of a Milvus gRPC endpoint, e.g. localhost:19530")
    .optional()
    .describe("host:port the post-deploy step uses to reach Milvus");
/**
 * The host block: each kind of host, the local Docker when no type is given. The stack program
 * parses it with the kind's own parser (picked by `type`), for messages about that kind only.
 */
const hostSchema = z
    .preprocess(addDefaultType, z.union([localHostSchema, sshHostSchema, cloreHostSchema]))
    .prefault({})
    .describe("Where the standalone deployment runs: this machine's Docker, a Docker host over SSH, or a rented Clore.ai server");
const accessPasswordsSchema = withJson(z.unknown(), {
    description:
        "Passwords of users declared under schema.access.users, by user name, each encrypted (pulumi config set --secret --path 'accessPasswords.<user>' ...); users not listed get generated passwords",
    anyOf: [SECURE, { type: "object", additionalProperties: SECURE }],
});

const key = (kind: StackKeyKind, schema: z.ZodType, declared = false): StackKey => ({ kind, schema, declared });

/** Every key, in the order the stack-file schema and the config reference list them. */
export const STACK_KEYS: Readonly<Record<string, StackKey>> = {
    mode: key("shared", modeSchema, true),
    host: key("standalone", hostSchema, true),
    schemaAddress: key("shared", schemaAddressSchema),
    ...Object.fromEntries(Object.entries(standaloneSettingsShape).map(([k, schema]) => [k, key("standalone", schema as z.ZodType, true)])),
    schema: key("shared", schemaSpecSchema, true),
    verify: key("shared", verifySpecSchema, true),
    cluster: key("cluster", clusterSettingsSchema, true),
    // Absent means no backups, which `{}` would not: not declared.
    backup: key("shared", backupSettingsSchema),
    // Containers beside a Docker deployment; refused (when enabled) in cluster mode and on a native Clore.ai order.
    monitoring: key("standalone", monitoringSettingsSchema, true),
    ...Object.fromEntries(SECRET_KEYS.map((k) => [k, key("secret", secretSchema)])),
    [ACCESS_PASSWORDS_KEY]: key("secret", accessPasswordsSchema),
};

/** Keys this program reads; anything else under the namespace is a typo and rejected. */
export const KNOWN_KEYS: readonly string[] = Object.keys(STACK_KEYS);

/** The keys of a Docker deployment (namePrefix, etcd, milvus, ...): a native Clore.ai order and cluster mode use none. */
export const STANDALONE_KEYS = Object.keys(standaloneSettingsShape) as (keyof typeof standaloneSettingsShape)[];

export function keysOfKind(kind: StackKeyKind): string[] {
    return KNOWN_KEYS.filter((k) => STACK_KEYS[k].kind === kind);
}

/** Keys whose value is a Pulumi secret, read through pulumi.Config (never put in the plain map). */
export const SECRET_HOLDING_KEYS: readonly string[] = keysOfKind("secret");

/**
 * The value absence stands for, as a stack file would write it: a scalar's default, or `{}` for a
 * block (absent and `{}` mean the same to every block, and `{}` says so without repeating its contents).
 */
export function inputDefault(schema: z.ZodType): unknown {
    const def = (schema as unknown as { _zod: { def: { type: string; defaultValue?: unknown; innerType?: z.ZodType; in?: z.ZodType } } })._zod.def;
    if (def.type === "default" || def.type === "prefault") {
        const value = def.defaultValue;
        return typeof value === "object" && value !== null ? {} : value;
    }
    if (def.type === "pipe" && def.in) return inputDefault(def.in);
    return undefined;
}

/** Pulumi.yaml's declared defaults, by key: derived from the schemas, never written twice. */
export const DECLARED_DEFAULTS: Readonly<Record<string, unknown>> = Object.fromEntries(
    KNOWN_KEYS.filter((k) => STACK_KEYS[k].declared).map((k) => {
        const value = inputDefault(STACK_KEYS[k].schema);
        if (value === undefined) throw new Error(`stack key ${k} is declared in Pulumi.yaml but its schema has no default`);
        return [k, value];
    }),
);

/** True when `value` is what Pulumi.yaml declares as the key's default (so it may have come from there). */
export function isDeclaredDefault(key: string, value: unknown): boolean {
    return key in DECLARED_DEFAULTS && JSON.stringify(DECLARED_DEFAULTS[key]) === JSON.stringify(value);
}
