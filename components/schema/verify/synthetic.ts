import { MetricType } from "../spec/settings";

/**
 * Seeded synthetic data and exact (brute-force) search, computed in-process, so canary
 * recall is measured against ground truth rather than trusted from the server.
 */

/** mulberry32: small, fast, good enough for test data, and identical on every platform. */
export function seededRandom(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Unit-length vectors with Gaussian components (uniform directions on the sphere). */
export function denseVectors(count: number, dim: number, random: () => number): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < count; i++) {
        const v = new Array<number>(dim);
        let norm = 0;
        for (let j = 0; j < dim; j++) {
            // Box-Muller; 1 - random() keeps log away from 0.
            const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
            v[j] = g;
            norm += g * g;
        }
        norm = Math.sqrt(norm) || 1;
        for (let j = 0; j < dim; j++) v[j] = Math.fround(v[j] / norm);
        out.push(v);
    }
    return out;
}

/**
 * Embedding-like vectors: unit vectors scattered around `clusters` random centres, as real
 * embeddings group by topic. Uniform random directions would be a needlessly hostile case
 * for partition-based indexes (IVF) and unlike any real workload. `spread` is the noise
 * scale relative to the centre (0.5 keeps neighbours within a cluster meaningfully ranked).
 */
export function clusteredVectors(
    count: number,
    dim: number,
    random: () => number,
    options: { clusters: number; spread?: number; centres?: number[][] },
): { vectors: number[][]; centres: number[][] } {
    const centres = options.centres ?? denseVectors(options.clusters, dim, random);
    const spread = options.spread ?? 0.5;
    const noise = denseVectors(count, dim, random);
    const vectors = noise.map((n) => {
        const c = centres[Math.floor(random() * centres.length)];
        const v = c.map((x, j) => x + spread * n[j]);
        const norm = Math.hypot(...v) || 1;
        return v.map((x) => Math.fround(x / norm));
    });
    return { vectors, centres };
}

/** Scalar attributes of synthetic rows, for filtered search: 5 categories, years 2019-2026. */
export const SYNTHETIC_CATEGORIES = ["c0", "c1", "c2", "c3", "c4"] as const;
export const SYNTHETIC_YEARS = { first: 2019, count: 8 } as const;
/** The canary's filter (about 1 row in 10 passes), the seed's `category == ... and year >= 2023` shape. */
export const CANARY_FILTER = { category: "c1", minYear: 2023 } as const;

export function syntheticCategory(random: () => number): string {
    return SYNTHETIC_CATEGORIES[Math.floor(random() * SYNTHETIC_CATEGORIES.length)];
}

export function syntheticYear(random: () => number): number {
    return SYNTHETIC_YEARS.first + Math.floor(random() * SYNTHETIC_YEARS.count);
}

export type SparseVector = Record<number, number>;

/** Sparse vectors with `nonZero` positive weights among `dims` dimensions. */
export function sparseVectors(count: number, dims: number, nonZero: number, random: () => number): SparseVector[] {
    const out: SparseVector[] = [];
    for (let i = 0; i < count; i++) {
        const v: SparseVector = {};
        while (Object.keys(v).length < nonZero) v[Math.floor(random() * dims)] = Math.fround(0.1 + random());
        out.push(v);
    }
    return out;
}

/** Higher is better for IP and COSINE, lower for L2; `score` returns "higher is better" for all. */
export function similarity(metric: MetricType, a: number[], b: number[]): number {
    let dot = 0;
    let na = 0;
    let nb = 0;
    let l2 = 0;
    for (let i = 0; i < a.length; i++) {
        dot += a[i] * b[i];
        na += a[i] * a[i];
        nb += b[i] * b[i];
        const d = a[i] - b[i];
        l2 += d * d;
    }
    if (metric === "L2") return -l2;
    if (metric === "IP") return dot;
    return dot / (Math.sqrt(na * nb) || 1);
}

export function sparseDot(a: SparseVector, b: SparseVector): number {
    let s = 0;
    for (const [k, v] of Object.entries(a)) {
        const w = b[Number(k)];
        if (w !== undefined) s += v * w;
    }
    return s;
}

/** Ids (row positions) of the k best rows for `query`, best first, among rows passing `keep`. */
export function exactTopK<V>(
    query: V,
    rows: V[],
    k: number,
    score: (q: V, row: V) => number,
    keep: (row: number) => boolean = () => true,
): number[] {
    const scored: { id: number; s: number }[] = [];
    for (let i = 0; i < rows.length; i++) if (keep(i)) scored.push({ id: i, s: score(query, rows[i]) });
    scored.sort((x, y) => y.s - x.s);
    return scored.slice(0, k).map((x) => x.id);
}

/** recall@k: mean over queries of |returned ∩ exact| / |exact|. Queries with no exact answer count as 1. */
export function recallAtK(returned: number[][], exact: number[][]): number {
    if (exact.length === 0) return 1;
    let sum = 0;
    exact.forEach((truth, q) => {
        if (truth.length === 0) {
            sum += 1;
            return;
        }
        const got = new Set(returned[q] ?? []);
        sum += truth.filter((id) => got.has(id)).length / truth.length;
    });
    return sum / exact.length;
}
