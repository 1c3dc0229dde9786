import { defineConfig } from "vitest/config";
import type { TargetKind, TargetSpec } from "./test/integration/targets";

// Unit, policy and chart tests run once; the integration suite runs once per Milvus target,
// each as its own project so every result names its target. By default: Milvus Lite and the
// real Milvus server with authentication on; with MILVUS_ADDRESS (+ MILVUS_TOKEN) set, that
// server instead. MILVUS_TARGETS=milvus-lite,milvus-server,external picks any of them.
const KINDS: readonly TargetKind[] = ["milvus-lite", "milvus-server", "external"];

function integrationTargets(env: Record<string, string | undefined>): TargetSpec[] {
    const requested = env.MILVUS_TARGETS?.split(",").map((s) => s.trim()).filter(Boolean);
    const names = requested ?? (env.MILVUS_ADDRESS ? ["external"] : ["milvus-lite", "milvus-server"]);
    const unknown = names.filter((n) => !(KINDS as readonly string[]).includes(n));
    if (unknown.length) throw new Error(`MILVUS_TARGETS: unknown target ${unknown.join(", ")}; expected a comma-separated list of ${KINDS.join(", ")}`);
    if (names.includes("external") && !env.MILVUS_ADDRESS) {
        throw new Error("MILVUS_TARGETS names external, but MILVUS_ADDRESS (host:port, with MILVUS_TOKEN if it needs one) is not set");
    }
    return names.map((name) => (name === "external" ? { name, address: env.MILVUS_ADDRESS!, ...(env.MILVUS_TOKEN ? { token: env.MILVUS_TOKEN } : {}) } : { name: name as TargetKind }));
}

const targets = integrationTargets(process.env);
const MAX_WORKERS = 4;

export default defineConfig({
    test: {
        // Integration tests talk to a real Milvus; give them room, unit tests stay fast anyway.
        testTimeout: 120_000,
        hookTimeout: 180_000,
        pool: "forks",
        // Test files at once, in every project (unit, milvus-lite, milvus-server): vitest runs all
        // projects' files from one queue only when their maxWorkers agree, so it is set once here.
        // Its default on a 2-core machine is 1, one file at a time; most of an integration file's
        // time is spent waiting on Milvus, so more files than cores pays (measured, whole suite, machine
        // loaded by other agents: 4 workers 500 s, 3 workers 655 s, 1 worker ~650 s before).
        // VITEST_MAX_WORKERS overrides it.
        maxWorkers: MAX_WORKERS,
        projects: [
            { extends: true, test: { name: "unit", isolate: false, include: ["test/**/*.test.ts"], exclude: ["test/integration/**"] } },
            ...targets.map((target) => ({
                extends: true,
                test: {
                    name: target.name,
                    include: ["test/integration/**/*.test.ts"],
                    globalSetup: ["test/integration/globalSetup.ts"],
                    provide: { milvusTarget: target },
                    // Files on a shared server run side by side: each test looks only at the names it
                    // made (test/integration/throwaway.ts, serverState.ts), and the one that deletes
                    // undeclared users (prune) starts a server of its own.
                },
            })),
        ],
    },
});
