import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // Integration tests talk to a real Milvus; give them room, unit tests stay fast anyway.
        testTimeout: 120_000,
        hookTimeout: 180_000,
        pool: "forks",
    },
});
