import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CronExpressionParser } from "cron-parser";
import { describe, expect, it } from "vitest";
import { opsSandbox } from "../../helpers/opsScript";

/*
 * The ops program matches the schedule itself (sh + awk, minute by minute). It must agree with
 * cron-parser, which validates the schedule at config time and computes the next runs: lists,
 * ranges, steps, Sunday as 0 and 7, and both day fields restricted (a day matches either).
 */

const EXPRESSIONS = [
    "0 3 * * *",
    "*/15 9-17 * * 1-5",
    "5,35 */6 1,15 * *",
    "0 0 13 * 5",
    "30 2 * 1-3,10 0,6",
    "10-50/20 * * * 7",
    "0 12 */10 */2 *",
    "0 0 */10 * 1",
    "7 1-23/4 2-28/3 * 2-4",
    "0 0 * * 5-7",
];

const MINUTE = 60_000;

/** Deterministic minutes spread over two years (a small LCG: the same samples on every run). */
function sampledMinutes(count: number, seed: number): Date[] {
    const start = Date.UTC(2026, 0, 1);
    const span = 2 * 365 * 24 * 60;
    let x = seed;
    return Array.from({ length: count }, () => {
        x = (x * 1103515245 + 12345) % 2 ** 31;
        return new Date(start + (x % span) * MINUTE);
    });
}

/** The next runs after a start: matching minutes, so each expression is tested on its hits too. */
function nextMatches(expression: string, count: number): Date[] {
    const it = CronExpressionParser.parse(expression, { tz: "UTC", currentDate: new Date(Date.UTC(2026, 4, 17, 11, 3)) });
    return Array.from({ length: count }, () => it.next().toDate());
}

function cronParserMatches(expression: string, minute: Date): boolean {
    const it = CronExpressionParser.parse(expression, { tz: "UTC", currentDate: new Date(minute.getTime() - MINUTE) });
    return it.next().toDate().getTime() === minute.getTime();
}

/** `date -u '+%M %H %d %m %w'`, as the ops program's scheduler reads the clock. */
const pad = (n: number) => String(n).padStart(2, "0");
const clock = (d: Date) => `${pad(d.getUTCMinutes())} ${pad(d.getUTCHours())} ${pad(d.getUTCDate())} ${pad(d.getUTCMonth() + 1)} ${d.getUTCDay()}`;

/** Every (expression, minute) through `sh milvus-backup-ops cron-matches`: a few sh loops side by side (each check forks awk). */
async function opsMatches(cases: { expression: string; minute: Date }[], loops = 4): Promise<boolean[]> {
    const ops = opsSandbox();
    const size = Math.ceil(cases.length / loops);
    const chunks = Array.from({ length: loops }, (_, i) => cases.slice(i * size, (i + 1) * size));
    const answers = await Promise.all(
        chunks.map((chunk, i) => {
            const input = path.join(ops.dir, `cases-${i}`);
            fs.writeFileSync(input, chunk.map((c) => `${c.expression}|${clock(c.minute)}\n`).join(""));
            const loop = `while IFS='|' read -r e t; do if sh '${ops.script}' cron-matches "$e" "$t"; then echo 1; else echo 0; fi; done < '${input}'`;
            return new Promise<boolean[]>((resolve, reject) =>
                execFile("sh", ["-c", loop], { encoding: "utf8", env: { PATH: process.env.PATH } }, (err, stdout) =>
                    err ? reject(err) : resolve(stdout.split("\n").filter(Boolean).map((l) => l === "1")),
                ),
            );
        }),
    );
    return answers.flat();
}

describe("the ops program's cron matcher", () => {
    it("agrees with cron-parser on sampled minutes and on each expression's next runs", async () => {
        const cases = EXPRESSIONS.flatMap((expression, i) => [
            ...sampledMinutes(60, 7 + i).map((minute) => ({ expression, minute })),
            ...nextMatches(expression, 20).map((minute) => ({ expression, minute })),
        ]);
        const got = await opsMatches(cases);
        expect(got).toHaveLength(cases.length);
        const disagreements = cases
            .map((c, i) => ({ ...c, ops: got[i], parser: cronParserMatches(c.expression, c.minute) }))
            .filter((c) => c.ops !== c.parser)
            .map((c) => `${c.expression} at ${c.minute.toISOString()} (${clock(c.minute)}): ops ${c.ops}, cron-parser ${c.parser}`);
        expect(disagreements).toEqual([]);
        // The samples must exercise both answers for every expression, or agreement proves little.
        for (const expression of EXPRESSIONS) {
            const mine = cases.map((c, i) => ({ c, m: got[i] })).filter((x) => x.c.expression === expression);
            expect(mine.some((x) => x.m), expression).toBe(true);
            expect(mine.some((x) => !x.m), expression).toBe(true);
        }
    });

    it("treats 7 as Sunday and ORs the day fields when both are restricted", async () => {
        const [sunday, monday13th, friday, plain] = await opsMatches([
            { expression: "0 0 * * 7", minute: new Date(Date.UTC(2026, 1, 1)) }, // a Sunday
            { expression: "0 0 13 * 5", minute: new Date(Date.UTC(2026, 6, 13)) }, // Monday the 13th
            { expression: "0 0 13 * 5", minute: new Date(Date.UTC(2026, 6, 17)) }, // Friday the 17th
            { expression: "0 0 13 * 5", minute: new Date(Date.UTC(2026, 6, 14)) }, // Tuesday the 14th
        ], 1);
        expect([sunday, monday13th, friday, plain]).toEqual([true, true, true, false]);
    });
});
