/**
 * The Milvus SDK reports most server-side failures as a status in the answer rather than
 * by throwing; every call we make goes through `check` so that a refusal stops the step.
 */
export interface RpcStatus {
    error_code?: string | number;
    code?: number;
    reason?: string;
}

export class MilvusRpcError extends Error {
    constructor(
        readonly operation: string,
        readonly reason: string,
        readonly code: string | number | undefined,
    ) {
        super(`${operation} failed: ${reason || "no reason given"}${code !== undefined ? ` (code ${code})` : ""}`);
        this.name = "MilvusRpcError";
    }
}

export function isOk(status: RpcStatus | undefined): boolean {
    if (!status) return true;
    return (status.error_code === undefined || status.error_code === "Success" || status.error_code === 0) && (status.code ?? 0) === 0;
}

/** Throws MilvusRpcError unless the answer (a status, or an object with `status`) says success. */
export function check<T>(operation: string, answer: T): T {
    const a = answer as unknown as { status?: RpcStatus } & RpcStatus;
    const status: RpcStatus | undefined = a && typeof a === "object" && "status" in a && a.status ? a.status : a;
    if (!isOk(status)) throw new MilvusRpcError(operation, status?.reason ?? "", status?.code || status?.error_code);
    return answer;
}

/** A failed step, with every step the run had applied before it (a run stops at its first failure). */
export function failedAfter(e: unknown, applied: readonly string[]): Error {
    return new Error(`${(e as Error).message}\n(steps already applied: ${applied.length ? applied.join("; ") : "none"})`);
}

/** Awaits an RPC and checks its status; a thrown transport error is wrapped with the operation. */
export async function call<T>(operation: string, rpc: () => Promise<T>): Promise<T> {
    let answer: T;
    try {
        answer = await rpc();
    } catch (e) {
        if (e instanceof MilvusRpcError) throw e;
        throw new MilvusRpcError(operation, e instanceof Error ? e.message.split("\n")[0] : String(e), undefined);
    }
    return check(operation, answer);
}
