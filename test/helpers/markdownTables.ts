/** A markdown table as its header cells and its rows' cells (outer pipes dropped, cells trimmed). */
export interface MarkdownTable {
    header: string[];
    rows: string[][];
}

/** Splits a table row on its unescaped pipes, keeping pipes inside code spans. */
function cells(line: string): string[] {
    const out: string[] = [];
    let cell = "";
    let code = false;
    for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (ch === "`") code = !code;
        if (ch === "\\" && line[i + 1] === "|") {
            cell += "|";
            i++;
            continue;
        }
        if (ch === "|" && !code) {
            out.push(cell.trim());
            cell = "";
            continue;
        }
        cell += ch;
    }
    out.push(cell.trim());
    return out.slice(1, -1);
}

/** Every table of a markdown text, in order; tables inside code fences are skipped. */
export function markdownTables(text: string): MarkdownTable[] {
    const tables: MarkdownTable[] = [];
    const lines = text.split("\n");
    let fence = false;
    for (let i = 0; i < lines.length; i++) {
        if (lines[i].startsWith("```")) fence = !fence;
        if (fence || !lines[i].startsWith("|") || !/^\|\s*:?-{3,}/.test(lines[i + 1] ?? "")) continue;
        const header = cells(lines[i]);
        const rows: string[][] = [];
        let j = i + 2;
        for (; j < lines.length && lines[j].startsWith("|"); j++) rows.push(cells(lines[j]));
        tables.push({ header, rows });
        i = j - 1;
    }
    return tables;
}

/** The contents of the code spans in a cell (single or double backticks). */
export function codeSpans(cell: string): string[] {
    return [...cell.matchAll(/(``?)(.+?)\1/g)].map((m) => m[2].trim());
}
