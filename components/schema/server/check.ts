import { ConfigError } from "../../errors";
import { parseServerVersion, specCapabilityProblems } from "./capabilities";
import { SchemaSettings } from "../spec/settings";

/** What the step learned about the server before changing anything (part of the report). */
export interface CapabilityCheck {
    /** The version string the server reported, or "unknown version". */
    reported: string;
    /** How the capability table reads it, e.g. `Milvus 2.3.5`; absent when it could not. */
    server?: string;
    gpu: boolean;
    /** The declared schema was checked against the table (false when the version was unreadable). */
    checked: boolean;
    note?: string;
}

/** The server cannot serve the declared schema; nothing was changed. Lists every reason. */
export class UnsupportedByServerError extends Error {
    constructor(
        readonly address: string,
        readonly server: string,
        readonly errors: ConfigError[],
    ) {
        super(
            `Milvus at ${address} (${server}) cannot serve the declared schema; nothing was changed:\n` +
                errors.map((e) => `  - ${e.message}`).join("\n") +
                "\nChange the schema, or deploy a Milvus release that has these (stack config `release`).",
        );
        this.name = "UnsupportedByServerError";
    }
}

/**
 * Reads the version the server reported and checks the whole declared schema against the
 * capability table. Throws UnsupportedByServerError with every problem; a version it cannot
 * read (a server that does not say) is noted in the report and the step goes on.
 */
export function checkServerCapabilities(spec: SchemaSettings, address: string, reported: string | undefined): CapabilityCheck {
    const raw = reported || "unknown version";
    const id = reported ? parseServerVersion(reported) : undefined;
    if (!id) {
        return { reported: raw, gpu: false, checked: false, note: `the server reported ${JSON.stringify(raw)}, which names no Milvus version the capability table can read` };
    }
    const problems = specCapabilityProblems(spec, { version: reported! });
    if (problems.length) throw new UnsupportedByServerError(address, id.label, problems.map((p) => new ConfigError(p.field, p.value, p.allowed)));
    return { reported: raw, server: id.label, gpu: id.gpu, checked: true };
}
