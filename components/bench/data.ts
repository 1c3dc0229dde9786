import { clusteredVectors, denseVectors, seededRandom, syntheticCategory, syntheticYear } from "../schema/verify/synthetic";

/**
 * The benchmark's data set: the canary's seeded clustered vectors, produced one batch at a
 * time so that no more than a batch is ever held (10M x 384 would be ~15 GB as floats).
 * Each row draws the same random numbers whatever the batch size, so a data set depends
 * only on (seed, rows, dim) and can be generated again for the exact-search pass.
 */
export interface DataShape {
    rows: number;
    dim: number;
    seed: number;
}

export interface RowBatch {
    /** Id of the first row; ids are consecutive row positions. */
    start: number;
    vectors: number[][];
    category: string[];
    year: number[];
}

/** As the canary: about 2 * sqrt(rows) rows per cluster, at least 4 clusters. */
export function clusterCount(rows: number): number {
    return Math.max(4, Math.round(Math.sqrt(rows) / 2));
}

/** Cluster centres of a data set; queries are drawn around the same centres. */
export function dataCentres(shape: DataShape): number[][] {
    return denseVectors(clusterCount(shape.rows), shape.dim, seededRandom(shape.seed));
}

export function* rowBatches(shape: DataShape, batchSize: number, centres: number[][] = dataCentres(shape)): Generator<RowBatch> {
    // Rows use their own stream (the centres' seed shifted), so centres can be rebuilt alone.
    const random = seededRandom((shape.seed + 0x9e3779b9) >>> 0);
    for (let start = 0; start < shape.rows; start += batchSize) {
        const n = Math.min(batchSize, shape.rows - start);
        const batch: RowBatch = { start, vectors: [], category: [], year: [] };
        for (let i = 0; i < n; i++) {
            batch.category.push(syntheticCategory(random));
            batch.year.push(syntheticYear(random));
            batch.vectors.push(clusteredVectors(1, shape.dim, random, { clusters: 0, centres }).vectors[0]);
        }
        yield batch;
    }
}

/** Query vectors from the data's clusters, as real queries resemble the corpus. */
export function queryVectors(shape: DataShape, count: number, centres: number[][] = dataCentres(shape)): number[][] {
    return clusteredVectors(count, shape.dim, seededRandom(shape.seed ^ 0x5eed), { clusters: 0, centres }).vectors;
}
