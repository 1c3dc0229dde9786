import { randomBytes } from "node:crypto";
import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { inject, TestContext } from "vitest";
import { CAPABILITIES, CapabilityProblem, lacks, parseServerVersion, ServerIdentity, specCapabilityProblems } from "../../components/schema/server/capabilities";
import { FieldType, ScalarIndexType, SchemaSettings } from "../../components/schema/spec/settings";
import { startMilvusLite } from "../../scripts/milvus-lite";
import { TargetKind } from "./targets";

/**
 * The Milvus a test file runs against, chosen by its vitest project (targets.ts): Milvus Lite
 * started for this file, the shared real server (authentication on), or `MILVUS_ADDRESS`.
 * It also says what the server can do, from the same capability table the schema step
 * reads, so a test that needs what a target lacks is selected out with the reason shown.
 */
export interface MilvusTarget {
    address: string;
    token?: string;
    kind: TargetKind;
    /** The version the server reports (`milvus_lite-3.2.2`, `v2.3.5-lite`). */
    version: string;
    server?: ServerIdentity;
    /** The server refuses requests without valid credentials. */
    authentication: boolean;
    client(): MilvusClient;
    stop(): Promise<void>;
    /** What the capability table says this server cannot do in `spec`. */
    lacks(spec: SchemaSettings): CapabilityProblem[];
    /** Whether the server takes a scalar index of `type` on a field of `fieldType`. */
    hasScalarIndex(type: ScalarIndexType, fieldType: FieldType): boolean;
}

function targetSpec() {
    try {
        return inject("milvusTarget");
    } catch {
        return undefined;
    }
}

/** Which target this test file runs on (its vitest project), without starting anything. */
export function targetKind(): TargetKind {
    return targetSpec()?.name ?? "milvus-lite";
}

export async function startTarget(): Promise<MilvusTarget> {
    const spec = targetSpec() ?? { name: "milvus-lite" as const };
    const clients: MilvusClient[] = [];
    const closeClients = async () => {
        await Promise.all(clients.map((c) => c.closeConnection().catch(() => undefined)));
    };
    let address: string;
    let token: string | undefined;
    let stop = closeClients;
    if (spec.name === "milvus-lite") {
        const lite = await startMilvusLite();
        address = lite.address;
        stop = async () => {
            await closeClients();
            await lite.stop();
        };
    } else {
        address = spec.address!;
        token = spec.token;
    }
    const client = () => {
        const c = new MilvusClient({ address, ...(token ? { token } : {}), logLevel: "error" });
        c.connectPromise.catch(() => undefined);
        clients.push(c);
        return c;
    };
    const version = spec.version ?? (await client().getVersion().then((v) => v.version, () => "unknown"));
    const server = parseServerVersion(version);
    return {
        address,
        ...(token ? { token } : {}),
        kind: spec.name,
        version,
        ...(server ? { server } : {}),
        authentication: spec.authentication ?? false,
        client,
        stop,
        lacks: (s) => (server ? specCapabilityProblems(s, { version }) : []),
        hasScalarIndex: (type, fieldType) => !server || lacks(CAPABILITIES.scalarIndexes[type], server, fieldType) === undefined,
    };
}

/** `user:password` options for the pipeline and the provider, when the target asks for them. */
export function credentials(target: MilvusTarget): { address: string; token?: string } {
    return { address: target.address, ...(target.token ? { token: target.token } : {}) };
}

/**
 * Runs the rest of the test only where `available` holds; elsewhere the test is reported as
 * not run on this target, with `reason` (the per-target summary at the end of the run lists
 * these), never silently passed.
 */
export function onlyWhere(ctx: TestContext, target: MilvusTarget, available: boolean, reason: string): void {
    if (!available) ctx.skip(`not on ${target.kind} (${target.version}): ${reason}`);
}

/** A collection name no earlier run can have used, so tests never collide on a shared server. */
export function uniqueName(base: string): string {
    return `${base}_${randomBytes(4).toString("hex")}`;
}

/** Runs the rest of the test only on targets that can serve `spec` (parsed); elsewhere says which capability is missing. */
export function onlyWhereSupported(ctx: TestContext, target: MilvusTarget, spec: SchemaSettings): void {
    const missing = target.lacks(spec);
    onlyWhere(ctx, target, missing.length === 0, missing.map((p) => `${p.field} ${JSON.stringify(p.value)}: ${p.allowed.replace(/ \(source: .*\)$/, "")}`).join("; "));
}
