import { VECTOR_INDEX_RULES } from "../spec/indexParams";
import { IndexParams, VectorIndexSettings } from "../spec/settings";
import { CANARY_FILTER, SYNTHETIC_CATEGORIES, SYNTHETIC_YEARS } from "./synthetic";

/** Milvus's own defaults when an IVF index or search leaves them out. */
const DEFAULT_NLIST = 128;
const DEFAULT_NPROBE = 8;
/**
 * A search must look at this many candidates per wanted result before its recall says
 * something about the index rather than about how few rows the canary holds.
 */
const CANDIDATES_PER_RESULT = 2;

/** Share of synthetic rows that pass the canary's filter (about 1 in 10). */
export function canaryFilterShare(): number {
    const years = SYNTHETIC_YEARS.first + SYNTHETIC_YEARS.count - CANARY_FILTER.minYear;
    return (1 / SYNTHETIC_CATEGORIES.length) * (Math.max(0, Math.min(years, SYNTHETIC_YEARS.count)) / SYNTHETIC_YEARS.count);
}

function usesNprobe(index: VectorIndexSettings): boolean {
    return "nprobe" in VECTOR_INDEX_RULES[index.type].searchParams;
}

export interface CanarySearchParams {
    searchParams: IndexParams;
    /** Why the canary searched with other parameters than the declared ones (absent when it did not). */
    note?: string;
}

/**
 * The search parameters the canary uses for one search of `rows` rows, `share` of which can
 * match (1 unfiltered). An IVF index spreads the canary's few rows over nlist lists, so the
 * declared nprobe, sized for a production collection, scans only a handful of rows: with
 * nlist 4096, nprobe 16 and 1,000 rows it looks at about 16 rows, of which 1.6 pass the
 * canary's filter, and recall measures the canary's size instead of the index. There the
 * canary raises nprobe until the search scans enough rows, and says so; other indexes and
 * IVF searches that already scan enough rows keep the declared parameters.
 */
export function canarySearchParams(index: VectorIndexSettings, rows: number, topK: number, share = 1): CanarySearchParams {
    const declared = index.searchParams;
    if (!usesNprobe(index)) return { searchParams: declared };
    const nlist = typeof index.params.nlist === "number" ? index.params.nlist : DEFAULT_NLIST;
    const nprobe = typeof declared.nprobe === "number" ? declared.nprobe : DEFAULT_NPROBE;
    const rowsPerList = Math.max(1, rows / nlist);
    const wantedRows = Math.min(rows, Math.ceil((CANDIDATES_PER_RESULT * topK) / share));
    const needed = Math.min(nlist, Math.ceil(wantedRows / rowsPerList));
    if (nprobe >= needed) return { searchParams: declared };
    const scanned = Math.round(Math.min(rows, nprobe * rowsPerList));
    const filtered = share < 1 ? ` filtered (about ${Math.round(share * 100)}% of rows match)` : "";
    return {
        searchParams: { ...declared, nprobe: needed },
        note:
            `the${filtered} search used nprobe ${needed} instead of ${nprobe}: with ${rows} canary rows in nlist ${nlist} lists, ` +
            `nprobe ${nprobe} scans about ${scanned} rows, too few to measure recall@${topK}; a collection with more rows per list fills the lists`,
    };
}

/**
 * The setting that buys recall for an index type, for a failure that says what to raise.
 * Undefined for indexes without a recall knob (FLAT is exact, sparse inverted indexes are too).
 */
export function recallSetting(index: VectorIndexSettings): string | undefined {
    const p = index.searchParams;
    const at = (name: string, fallback?: number) => {
        const v = typeof p[name] === "number" ? p[name] : fallback;
        return v === undefined ? `searchParams.${name}` : `searchParams.${name} (now ${v})`;
    };
    if (usesNprobe(index)) {
        const nlist = typeof index.params.nlist === "number" ? index.params.nlist : DEFAULT_NLIST;
        const pq = index.type.endsWith("_PQ") || index.type === "IVF_SQ8" ? "; quantized vectors (PQ/SQ8) also cap recall: raise params.m / params.nbits or use IVF_FLAT" : "";
        return `raise ${at("nprobe", DEFAULT_NPROBE)} toward params.nlist (${nlist}) or lower params.nlist${pq}`;
    }
    if (index.type === "HNSW") return `raise ${at("ef")} (or params.efConstruction / params.M)`;
    if (index.type === "DISKANN") return `raise ${at("search_list")}`;
    if (index.type === "GPU_CAGRA") return `raise ${at("itopk_size")} (or params.graph_degree)`;
    return undefined;
}
