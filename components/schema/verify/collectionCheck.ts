import { ConsistencyLevelEnum, MilvusClient } from "@zilliz/milvus2-sdk-node";
import { CollectionOutcome } from "../collections/reconcile";
import { CollectionReport } from "./report";
import { call } from "../server/rpc";
import { CollectionSettings, isSparseIndexType, VerifySettings } from "../spec/settings";
import { denseVectors, seededRandom, sparseVectors } from "./synthetic";

/**
 * Read-only checks of a declared collection: it is loaded and each vector field answers
 * a search. Nothing is written to user collections.
 */
export async function checkDeclaredCollection(client: MilvusClient, spec: CollectionSettings, outcome: CollectionOutcome, verify: VerifySettings): Promise<CollectionReport> {
    const report: CollectionReport = { ...outcome, applied: [...outcome.applied], notes: [...outcome.notes], loaded: false, searches: [], passed: false, failures: [] };
    try {
        const state = await call(`getLoadState ${spec.name}`, () => client.getLoadState({ collection_name: spec.name }));
        report.loaded = String(state.state) === "LoadStateLoaded";
        const stats = await call(`getCollectionStatistics ${spec.name}`, () => client.getCollectionStatistics({ collection_name: spec.name }));
        const rows = Number(stats.data?.row_count);
        if (Number.isFinite(rows)) report.rowCount = rows;
        if (!spec.load) {
            report.notes.push("load: false, so not searched");
        } else if (!report.loaded) {
            report.failures.push(`collection ${spec.name} is not loaded (state ${state.state})`);
        } else {
            const random = seededRandom(verify.seed);
            for (const ix of spec.vectorIndexes) {
                const dim = spec.fields.find((f) => f.name === ix.field)?.dim ?? 0;
                const vector = isSparseIndexType(ix.type) ? sparseVectors(1, 1000, 8, random)[0] : denseVectors(1, dim, random)[0];
                const started = Date.now();
                const res = await call(`search ${spec.name}.${ix.field}`, () =>
                    client.search({
                        collection_name: spec.name,
                        anns_field: ix.field,
                        data: vector,
                        limit: verify.topK,
                        metric_type: ix.metric,
                        params: ix.searchParams,
                        consistency_level: ConsistencyLevelEnum.Bounded,
                    }),
                );
                const results = Array.isArray(res.results) ? res.results.length : 0;
                report.searches.push({ field: ix.field, indexType: ix.type, metric: ix.metric, results, ms: Date.now() - started });
                if (results > verify.topK) report.failures.push(`search on ${spec.name}.${ix.field} returned ${results} results for limit ${verify.topK}`);
            }
        }
    } catch (e) {
        report.failures.push((e as Error).message);
    }
    report.passed = report.failures.length === 0;
    return report;
}
