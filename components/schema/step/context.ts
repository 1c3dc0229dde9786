import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { ConnectionOptions, isConnectionLoss, MilvusConnectionLostError } from "../server/connection";
import { SchemaStepSettings } from "./input";

/** What every phase of the step works with. */
export interface StepContext {
    client: MilvusClient;
    input: SchemaStepSettings;
    connection: ConnectionOptions;
    log: (line: string) => void;
    /** Builds clients (the access check signs in as each declared user). */
    clientFactory: (options: ConnectionOptions) => MilvusClient;
    /** Runs one call of a phase; a lost connection is reported as such, with the phase, rather than as whichever call failed. */
    during<T>(phase: string, work: () => Promise<T>): Promise<T>;
}

export function duringPhase(address: string): StepContext["during"] {
    return async (phase, work) => {
        try {
            return await work();
        } catch (e) {
            if (isConnectionLoss(e)) throw new MilvusConnectionLostError(address, phase, (e as Error).message ?? String(e));
            throw e;
        }
    };
}
