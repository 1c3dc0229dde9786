import { always, list, matching, report } from "../../configSchema";
import { MILVUS_NAME, MILVUS_NAME_ALLOWED } from "./names";

/** The database every Milvus has; collections and grants without `database` belong to it. */
export const DEFAULT_DATABASE = "default";

/** Milvus's default rootCoord.maxDatabaseNum. */
const MAX_DATABASES = 64;

/** The database a collection belongs to. */
export function databaseOf(c: { database?: string }): string {
    return c.database ?? DEFAULT_DATABASE;
}

export function databaseName() {
    return matching(MILVUS_NAME, MILVUS_NAME_ALLOWED);
}

/** `schema.databases`: databases created if missing, besides `default`. */
export const databasesSchema = list(databaseName(), "a list of database names").superRefine((dbs, ctx) => {
    if (!Array.isArray(dbs)) return;
    if (dbs.length > MAX_DATABASES) report(ctx, [], `${dbs.length} databases`, `at most ${MAX_DATABASES} databases (Milvus's default rootCoord.maxDatabaseNum)`);
    dbs.forEach((d, i) => {
        if (dbs.indexOf(d) !== i) report(ctx, [i], d, "a database not listed twice");
    });
}, always);
