import { ConfigError } from "../errors";

/**
 * Filter expressions the benchmark can also evaluate itself, so filtered recall is measured
 * against exact filtered search: comparisons of the synthetic `category` (string) and `year`
 * (integer) fields joined by `and`, e.g. `category == "c1" and year >= 2023`. The same text
 * is sent to Milvus unchanged.
 */
export interface FilterRow {
    category: string;
    year: number;
}

export type RowPredicate = (row: FilterRow) => boolean;

const ALLOWED =
    'comparisons of category (==, != "c0".."c4", or in ["c0", ...]) and year (==, !=, <, <=, >, >= an integer) joined by "and", e.g. category == "c1" and year >= 2023';

const CLAUSE = /^(category|year)\s*(==|!=|<=|>=|<|>|in)\s*(.+)$/;

function compare(op: string, a: number | string, b: number | string): boolean {
    switch (op) {
        case "==":
            return a === b;
        case "!=":
            return a !== b;
        case "<":
            return a < b;
        case "<=":
            return a <= b;
        case ">":
            return a > b;
        default:
            return a >= b;
    }
}

function literal(text: string, field: "category" | "year"): string | number | undefined {
    if (field === "year") return /^-?\d+$/.test(text) ? Number(text) : undefined;
    const m = /^"([^"\\]*)"$/.exec(text);
    return m ? m[1] : undefined;
}

function clause(text: string, field: string, expression: string): RowPredicate {
    const m = CLAUSE.exec(text.trim());
    if (!m) throw new ConfigError(field, expression, ALLOWED);
    const [, name, op, rest] = m as unknown as [string, "category" | "year", string, string];
    if (op === "in") {
        const list = /^\[(.*)\]$/.exec(rest.trim());
        const values = list?.[1].split(",").map((v) => literal(v.trim(), name));
        if (!values || values.some((v) => v === undefined)) throw new ConfigError(field, expression, ALLOWED);
        const set = new Set(values);
        return (row) => set.has(row[name]);
    }
    const value = literal(rest.trim(), name);
    if (value === undefined || (name === "category" && op !== "==" && op !== "!=")) throw new ConfigError(field, expression, ALLOWED);
    return (row) => compare(op, row[name], value);
}

/** Parses a filter expression into a predicate, or throws a ConfigError naming `field`. */
export function parseFilter(expression: string, field = "filter"): RowPredicate {
    const parts = expression.split(/\s+and\s+/);
    if (!expression.trim() || parts.some((p) => !p.trim())) throw new ConfigError(field, expression, ALLOWED);
    const clauses = parts.map((p) => clause(p, field, expression));
    return (row) => clauses.every((c) => c(row));
}
