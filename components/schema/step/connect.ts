import { ConfigErrors } from "../../errors";
import { passwordProblems } from "../access/passwords";
import { AccessUnsupportedError, accessUnenforceableReason } from "../access/step";
import { AccessSettings } from "../access/spec";
import { CapabilityCheck, checkServerCapabilities } from "../server/check";
import { waitForHealthy } from "../server/connection";
import { accessDiagnosis } from "../server/diagnosis";
import { StepContext } from "./context";

/** What the step learnt of the server before changing anything. */
export interface ServerFacts {
    healthMs: number;
    serverVersion: string;
    capabilities: CapabilityCheck;
    /** The declared access, when the server can enforce it. */
    access?: AccessSettings;
    /** Why the declared access is skipped (only with `access.required: false`). */
    accessSkipped?: string;
}

/**
 * Connect and diagnose: wait for health (naming token/TLS mistakes), then judge the declared
 * schema and access against what this server can do. A schema it cannot serve fails here with
 * every reason, before any change.
 */
export async function connectPhase(ctx: StepContext): Promise<ServerFacts> {
    const { client, input, log } = ctx;
    log(`waiting for Milvus at ${input.address} (up to ${input.healthTimeoutSeconds}s)`);
    const healthMs = await waitForHealthy(client, input.address, { timeoutSeconds: input.healthTimeoutSeconds, classify: accessDiagnosis(ctx.connection) });
    const version = await client.getVersion().catch(() => undefined);
    const capabilities = checkServerCapabilities(input.spec, input.address, version?.version);
    log(capabilities.checked ? `${capabilities.server}: the declared schema is within what it supports` : `capability check skipped: ${capabilities.note}`);

    // Access the server cannot enforce: fail before any change, or skip it when that is allowed.
    const declared = input.spec.access;
    const unenforceable = declared ? accessUnenforceableReason(version?.version, input.token) : undefined;
    if (declared && unenforceable && declared.required) throw new AccessUnsupportedError(input.address, unenforceable);
    if (unenforceable) log(`declared access skipped (access.required: false): ${unenforceable}`);
    const access = declared && !unenforceable ? declared : undefined;
    if (access) {
        const missing = passwordProblems(input.spec, input.passwords, true);
        if (missing.length === 1) throw missing[0];
        if (missing.length > 1) throw new ConfigErrors(missing);
    }
    return {
        healthMs,
        serverVersion: version?.version || "unknown version",
        capabilities,
        ...(access ? { access } : {}),
        ...(unenforceable ? { accessSkipped: unenforceable } : {}),
    };
}
