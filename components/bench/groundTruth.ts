import { MetricType } from "../schema/spec/settings";
import { FilterRow, RowPredicate } from "./filter";
import { RowBatch } from "./data";

/**
 * Exact top-k of a few query vectors over a data set that streams past once, batch by
 * batch: memory is k entries per query, whatever the number of rows. This is the ground
 * truth of recall@k, computed in process rather than trusted from the server.
 */
class TopK {
    readonly ids: number[] = [];
    readonly scores: number[] = [];
    constructor(private readonly k: number) {}

    /** Higher score is better; ties keep the earlier row, as a stable sort would. */
    offer(id: number, score: number): void {
        const n = this.scores.length;
        if (n === this.k && score <= this.scores[n - 1]) return;
        let i = n === this.k ? n - 1 : n;
        while (i > 0 && this.scores[i - 1] < score) {
            if (i < this.k) {
                this.scores[i] = this.scores[i - 1];
                this.ids[i] = this.ids[i - 1];
            }
            i--;
        }
        this.scores[i] = score;
        this.ids[i] = id;
        if (this.scores.length > this.k) {
            this.scores.length = this.k;
            this.ids.length = this.k;
        }
    }
}

/** "Higher is better" score of a row for a query, per metric (L2 as negated squared distance). */
function scorer(metric: MetricType): (q: Float64Array, qNorm: number, v: number[]) => number {
    if (metric === "L2") {
        return (q, _n, v) => {
            let s = 0;
            for (let j = 0; j < v.length; j++) {
                const d = q[j] - v[j];
                s += d * d;
            }
            return -s;
        };
    }
    if (metric === "IP") {
        return (q, _n, v) => {
            let s = 0;
            for (let j = 0; j < v.length; j++) s += q[j] * v[j];
            return s;
        };
    }
    return (q, qNorm, v) => {
        let dot = 0;
        let vv = 0;
        for (let j = 0; j < v.length; j++) {
            dot += q[j] * v[j];
            vv += v[j] * v[j];
        }
        return dot / (qNorm * Math.sqrt(vv) || 1);
    };
}

export interface ExactAnswers {
    /** Per metric: exact top-k ids of each query, best first. */
    all: Partial<Record<MetricType, number[][]>>;
    /** Same among rows passing the filter (absent without a filter). */
    filtered: Partial<Record<MetricType, number[][]>>;
    /** Rows that passed the filter. */
    rowsPassingFilter: number;
}

export class ExactSearch {
    private readonly queries: Float64Array[];
    private readonly norms: number[];
    private readonly metrics: MetricType[];
    private readonly all: TopK[][];
    private readonly filtered: TopK[][];
    private passing = 0;

    constructor(
        queries: number[][],
        k: number,
        metrics: MetricType[],
        private readonly filter?: RowPredicate,
    ) {
        this.queries = queries.map((q) => Float64Array.from(q));
        this.norms = this.queries.map((q) => Math.sqrt(q.reduce((s, x) => s + x * x, 0)));
        this.metrics = [...new Set(metrics)];
        this.all = this.metrics.map(() => this.queries.map(() => new TopK(k)));
        this.filtered = this.metrics.map(() => this.queries.map(() => new TopK(k)));
    }

    add(batch: RowBatch): void {
        const row: FilterRow = { category: "", year: 0 };
        this.metrics.forEach((metric, m) => {
            const score = scorer(metric);
            for (let i = 0; i < batch.vectors.length; i++) {
                row.category = batch.category[i];
                row.year = batch.year[i];
                const keep = this.filter ? this.filter(row) : false;
                if (keep && m === 0) this.passing++;
                const v = batch.vectors[i];
                const id = batch.start + i;
                for (let q = 0; q < this.queries.length; q++) {
                    const s = score(this.queries[q], this.norms[q], v);
                    this.all[m][q].offer(id, s);
                    if (keep) this.filtered[m][q].offer(id, s);
                }
            }
        });
    }

    answers(): ExactAnswers {
        const out: ExactAnswers = { all: {}, filtered: {}, rowsPassingFilter: this.passing };
        this.metrics.forEach((metric, m) => {
            out.all[metric] = this.all[m].map((t) => [...t.ids]);
            if (this.filter) out.filtered[metric] = this.filtered[m].map((t) => [...t.ids]);
        });
        return out;
    }
}
