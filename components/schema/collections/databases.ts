import { MilvusClient } from "@zilliz/milvus2-sdk-node";
import { call, failedAfter } from "../server/rpc";
import { DEFAULT_DATABASE } from "../spec/databases";

/** A step that makes a declared database exist; it runs before collections are created in it. */
export interface DatabaseAction {
    kind: "createDatabase";
    database: string;
}

export function describeDatabaseAction(a: DatabaseAction): string {
    return `create database ${a.database}`;
}

/** Databases to create: the part of the plan that must run before collections are created in them. */
export function planDatabases(declared: readonly string[], existing: readonly string[]): DatabaseAction[] {
    return declared.filter((d) => !existing.includes(d)).map((database) => ({ kind: "createDatabase", database }));
}

/**
 * Runs `work` with the client's database set to `database`, and puts it back to `default`
 * after. The SDK sends the database as a header on every call (its grant call ignores a
 * `db_name` argument), so grants land in a database only this way.
 */
export async function inDatabase<T>(client: MilvusClient, database: string, work: () => Promise<T>): Promise<T> {
    await client.use({ db_name: database });
    try {
        return await work();
    } finally {
        await client.use({ db_name: DEFAULT_DATABASE });
    }
}

export async function listDatabases(client: MilvusClient): Promise<string[]> {
    const answer = await call("list databases", () => client.listDatabases());
    return answer.db_names ?? [];
}

/** Creates the planned databases in order; a failure names what was applied before it. */
export async function applyDatabasePlan(
    client: MilvusClient,
    actions: readonly DatabaseAction[],
    log: (line: string) => void,
    alreadyApplied: readonly string[],
): Promise<DatabaseAction[]> {
    const applied: DatabaseAction[] = [];
    for (const action of actions) {
        const what = describeDatabaseAction(action);
        log(what);
        try {
            await call(what, () => client.createDatabase({ db_name: action.database }));
        } catch (e) {
            throw failedAfter(e, [...alreadyApplied, ...applied.map(describeDatabaseAction)]);
        }
        applied.push(action);
    }
    return applied;
}
