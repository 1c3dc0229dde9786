/** A small collection that parses on its own, in `database` when given (else `default`). */
export const coll = (name: string, database?: string) => ({
    name,
    ...(database ? { database } : {}),
    fields: [
        { name: "id", type: "INT64", primary: true },
        { name: "embedding", type: "FLOAT_VECTOR", dim: 8 },
    ],
    indexes: [{ field: "embedding", type: "FLAT", metric: "L2" }],
});
