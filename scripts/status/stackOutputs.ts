import { execFileSync } from "node:child_process";
import { StatusTarget } from "./gather";

/**
 * The stack outputs status reads (`pulumi stack output --json --show-secrets`): endpoint,
 * username/rootPassword, tlsCertificate/tlsServerName, backup {container, dockerHost, schedule},
 * rental {orderId, expiresAt, bidState}, and when present dockerHost and namePrefix.
 */
export type StackOutputs = Record<string, unknown>;

const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export function readStackOutputs(stack: string, cwd: string): StackOutputs {
    let out: string;
    try {
        out = execFileSync("pulumi", ["stack", "output", "--json", "--show-secrets", "--stack", stack], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
        const err = e as { stderr?: string; message: string };
        throw new Error(`could not read the outputs of stack ${stack}: ${(err.stderr || err.message).trim().split("\n").slice(-1)[0]}`);
    }
    return obj(JSON.parse(out || "{}")) ?? {};
}

/** What to gather for a stack, from its outputs. */
export function targetOfStack(stack: string, o: StackOutputs): StatusTarget {
    const address = str(o.endpoint);
    if (!address) throw new Error(`stack ${stack} has no endpoint output: has \`pulumi up\` run on it?`);
    const username = str(o.username);
    const password = str(o.rootPassword);
    const backup = obj(o.backup);
    const rental = obj(o.rental);
    const backupContainer = str(backup?.container);
    const dockerHost = str(o.dockerHost) ?? str(backup?.dockerHost);
    const prefix = str(o.namePrefix) ?? backupContainer?.replace(/-backup$/, "");
    const caPem = str(o.tlsCertificate);
    return {
        address,
        ...(username && password ? { token: `${username}:${password}` } : {}),
        ...(caPem ? { tls: { caPem, ...(str(o.tlsServerName) ? { serverName: str(o.tlsServerName) } : {}) } } : {}),
        ...(dockerHost ? { dockerHost } : {}),
        ...(prefix ? { prefix } : {}),
        ...(backupContainer ? { backup: { container: backupContainer, ...(str(backup?.schedule) ? { schedule: str(backup?.schedule) } : {}) } } : {}),
        ...(rental && str(rental.expiresAt)
            ? { rental: { expiresAt: str(rental.expiresAt)!, ...(rental.orderId !== undefined ? { orderId: String(rental.orderId) } : {}), ...(str(rental.bidState) ? { bidState: str(rental.bidState) } : {}) } }
            : {}),
    };
}
