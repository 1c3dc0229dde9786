import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeCloreApi } from "../../fakes/cloreApi";

const execFileAsync = promisify(execFile);
const root = path.join(__dirname, "../../..");
let fake: FakeCloreApi;

async function runCheck(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
        const { stdout, stderr } = await execFileAsync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/clore-check.ts", ...args], {
            cwd: root,
            env: { ...process.env, ...env },
        });
        return { code: 0, stdout, stderr };
    } catch (e) {
        const err = e as { code: number; stdout: string; stderr: string };
        return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
}

beforeAll(async () => {
    fake = await new FakeCloreApi({ apiKey: `check-key-${Date.now()}` }).start();
});
afterAll(async () => {
    await fake.stop();
});

describe("scripts/clore-check.ts (against the local fake)", () => {
    it("only reads by default and shows the server the staging filters would rent", async () => {
        const r = await runCheck([], { CLORE_API_KEY: fake.apiKey, CLORE_API_URL: fake.url, CLORE_MIN_SPACING_MS: "50" });
        expect(r.stderr).toBe("");
        expect(r.stdout).toContain("marketplace: 8 servers listed, 7 free");
        expect(r.stdout).toContain("the stack's filters would rent server 104: 1x NVIDIA GeForce RTX 4090, 55 CLORE-Blockchain/day (on-demand)");
        expect(r.stdout).not.toContain(fake.apiKey);
        expect(fake.callsTo("/create_order")).toHaveLength(0);
        // The unconfirmed behaviours it can see read-only, and the ones it cannot.
        expect(r.stdout).toContain("allowed_coins on marketplace servers: 8 of 8 list it; 1 list a price in a coin they do not take");
        expect(r.stdout).toContain("mrl (maximum rental length) on marketplace servers: 8 of 8 list it; range 24..240 h");
        expect(r.stdout).toContain('spot market of server 104 (listed free): 0 bid(s), 0 active; min_pricing {"CLORE-Blockchain":28,"USD-Blockchain":0.4}; with currency_rates_in_usd');
        expect(r.stdout).toContain('a wrong key on /wallets: HTTP 401, text/plain, body "401 Unauthorized"');
        expect(r.stdout).toContain('a wrong key on /marketplace: HTTP 200, application/json, body "{\\"code\\":3}"');
        expect(r.stdout).toContain("required_price: exact match or a ceiling");
        expect(fake.callsTo("/spot_marketplace").map((c) => c.query.market)).toEqual(["104", "108"]);
    });

    it("rents and cancels again with --rent", async () => {
        const stack = path.join(await fs.mkdtemp(path.join(os.tmpdir(), "clore-check-")), "Pulumi.test.yaml");
        const staging = await fs.readFile(path.join(root, "Pulumi.staging.yaml"), "utf8");
        // Fast polling for the test; everything else as in the example stack.
        await fs.writeFile(stack, staging.replace("readyTimeoutSeconds: 900", "readyTimeoutSeconds: 60\n    pollIntervalSeconds: 5"));
        const r = await runCheck(["--stack", stack, "--rent"], { CLORE_API_KEY: fake.apiKey, CLORE_API_URL: fake.url, CLORE_MIN_SPACING_MS: "50" });
        expect(r.stderr).toBe("");
        expect(r.stdout).toMatch(/order \d+ on server 104: n1\.fake-clore\.test, ports \{"22":\d+,"9091":\d+,"19530":\d+\}, 55\/day/);
        expect(r.stdout).toMatch(/order \d+ cancelled/);
        expect(fake.activeOrders()).toHaveLength(0);
        expect(fake.allOrders()).toHaveLength(1);
    });

    it("refuses to run without a key and reports a bad key clearly", async () => {
        const none = await runCheck([], { CLORE_API_KEY: "", CLORE_API_URL: fake.url, CLORE_MIN_SPACING_MS: "50" });
        expect(none.code).toBe(1);
        expect(none.stderr).toContain("set CLORE_API_KEY in the environment");
        const bad = await runCheck([], { CLORE_API_KEY: "wrong", CLORE_API_URL: fake.url, CLORE_MIN_SPACING_MS: "50" });
        expect(bad.code).toBe(1);
        // The real API answered a bad key on /wallets with a plain-text 401 (the fake does too).
        expect(bad.stderr).toContain("rejected the API key with HTTP 401 (bad API key)");
    });
});
