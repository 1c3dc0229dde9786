import { always, block, int, num, reportGiven, z } from "../../configSchema";
import { DEFAULT_SLO, SloSettings } from "./settings";

const TARGETS = ["minQps", "maxP99Ms", "minRecall"] as const;

export const SLO_LIMITS = {
    concurrency: { min: 1, max: 256 },
    rows: { min: 100, max: 1_000_000 },
    durationSeconds: { min: 1, max: 600 },
} as const;

function positive() {
    // Zero is checked only once the number itself parsed, so a bad value gets one message.
    return num({ min: 0 }, "a number > 0").refine((v) => v > 0, { error: "a number > 0", when: (p) => p.issues.length === 0 });
}

/**
 * `verify.slo` (stack config `milvus-gpu:verify`); `field` is its dotted path. Absent means
 * the gate is off, so absence stays absent rather than filling defaults.
 */
export function sloSpecSchema(field: string) {
    return block(
        {
            minQps: positive().optional(),
            maxP99Ms: positive().optional(),
            minRecall: num({ min: 0, max: 1 }).optional(),
            concurrency: int(SLO_LIMITS.concurrency).default(DEFAULT_SLO.concurrency),
            rows: int(SLO_LIMITS.rows).default(DEFAULT_SLO.rows),
            durationSeconds: int(SLO_LIMITS.durationSeconds).default(DEFAULT_SLO.durationSeconds),
        },
        field,
    )
        .unwrap()
        .superRefine((s, ctx) => {
            if (TARGETS.every((k) => s[k] === undefined)) reportGiven(ctx, [], `at least one target of ${TARGETS.join(", ")} (leave slo out to turn the gate off)`);
        }, always)
        .transform(
            (s): SloSettings => ({
                ...(s.minQps !== undefined ? { minQps: s.minQps } : {}),
                ...(s.maxP99Ms !== undefined ? { maxP99Ms: s.maxP99Ms } : {}),
                ...(s.minRecall !== undefined ? { minRecall: s.minRecall } : {}),
                concurrency: s.concurrency,
                rows: s.rows,
                durationSeconds: s.durationSeconds,
            }),
        );
}

export type SloSpecInput = z.input<ReturnType<typeof sloSpecSchema>>;
