/**
 * Figures measured elsewhere, printed beside ours so a run can be placed against them. They
 * are references, not measurements of this bench: the seed's table gives no method, and the
 * H200 figures are exact (brute-force) search, the floor an ANN index on a GPU should beat.
 */
export interface ReferenceRow {
    source: string;
    hardware: string;
    vectors: string;
    index: string;
    qps: number;
    note: string;
}

export const REFERENCE_ROWS: readonly ReferenceRow[] = [
    { source: "seed table", hardware: "RTX 3090", vectors: "1M", index: "HNSW", qps: 8000, note: "method not stated" },
    { source: "seed table", hardware: "RTX 4090", vectors: "10M", index: "IVF_FLAT", qps: 2500, note: "method not stated" },
    { source: "seed table", hardware: "A100", vectors: "10M", index: "GPU_IVF_FLAT", qps: 12000, note: "method not stated" },
    { source: "seed table", hardware: "A100", vectors: "100M", index: "DISKANN", qps: 1200, note: "method not stated" },
    { source: "brute force, torch", hardware: "H200", vectors: "1M x 384 fp16", index: "exact top-10", qps: 3794, note: "1 query at a time (0.26 ms)" },
    { source: "brute force, torch", hardware: "H200", vectors: "1M x 384 fp16", index: "exact top-10", qps: 95719, note: "batches of 100 queries" },
    { source: "brute force, torch", hardware: "H200", vectors: "1M x 384 fp16", index: "exact top-10", qps: 119743, note: "batches of 1,000 queries" },
    { source: "brute force, torch", hardware: "H200", vectors: "10M x 384 fp16", index: "exact top-10", qps: 525, note: "1 query at a time (1.9 ms)" },
    { source: "brute force, torch", hardware: "H200", vectors: "10M x 384 fp16", index: "exact top-10", qps: 10603, note: "batches of 100 queries" },
    { source: "brute force, torch", hardware: "H200", vectors: "10M x 384 fp16", index: "exact top-10", qps: 10635, note: "batches of 1,000 queries" },
];
