import { defineConfig } from "vitest/config";

// The end-to-end suite: the real Pulumi engine against a real Docker daemon (`npm run e2e`).
// Never part of `npm test`: its files end in .e2e.ts, which the default config does not include.
export default defineConfig({
    test: {
        include: ["test/e2e/**/*.e2e.ts"],
        // One deployment at a time: scenarios share the daemon, and each `up` is minutes long.
        fileParallelism: false,
        sequence: { concurrent: false },
        testTimeout: 20 * 60_000,
        hookTimeout: 10 * 60_000,
        pool: "forks",
    },
});
