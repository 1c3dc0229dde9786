import { objectAt, optionalInteger, optionalNumber, Problems, rejectUnknownKeys } from "../validate";
import { DEFAULT_SLO, SloSpec } from "./spec";

const SLO_KEYS = ["minQps", "maxP99Ms", "minRecall", "concurrency", "rows", "durationSeconds"] as const;
const TARGETS = ["minQps", "maxP99Ms", "minRecall"] as const;

export const SLO_LIMITS = {
    concurrency: { min: 1, max: 256 },
    rows: { min: 100, max: 1_000_000 },
    durationSeconds: { min: 1, max: 600 },
} as const;

/**
 * Reads `verify.slo` (stack config `milvus-gpu:verify`), recording every problem in
 * `problems` under `field`. Returns undefined when it is absent (the gate is off) or invalid.
 */
export function parseSloSpec(raw: unknown, field: string, problems: Problems): SloSpec | undefined {
    if (raw === undefined || raw === null) return undefined;
    const before = problems.errors.length;
    const obj = problems.capture(() => objectAt(raw, field)) ?? {};
    problems.capture(() => rejectUnknownKeys(obj, field, SLO_KEYS));
    const positive = (key: "minQps" | "maxP99Ms") => {
        const v = problems.capture(() => optionalNumber(obj[key], `${field}.${key}`, { min: 0 }));
        if (v === 0) problems.add(`${field}.${key}`, v, "a number > 0");
        return v;
    };
    const minQps = positive("minQps");
    const maxP99Ms = positive("maxP99Ms");
    const minRecall = problems.capture(() => optionalNumber(obj.minRecall, `${field}.minRecall`, { min: 0, max: 1 }));
    const int = (key: keyof typeof SLO_LIMITS) => problems.capture(() => optionalInteger(obj[key], `${field}.${key}`, SLO_LIMITS[key])) ?? DEFAULT_SLO[key];
    const spec: SloSpec = {
        ...(minQps !== undefined ? { minQps } : {}),
        ...(maxP99Ms !== undefined ? { maxP99Ms } : {}),
        ...(minRecall !== undefined ? { minRecall } : {}),
        concurrency: int("concurrency"),
        rows: int("rows"),
        durationSeconds: int("durationSeconds"),
    };
    if (TARGETS.every((k) => obj[k] === undefined || obj[k] === null)) {
        problems.add(field, raw, `at least one target of ${TARGETS.join(", ")} (leave slo out to turn the gate off)`);
    }
    return problems.errors.length > before ? undefined : spec;
}
