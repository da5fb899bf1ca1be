import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        // Dynamic-provider serialization fails under worker threads ("Trace events are unavailable").
        pool: "forks",
        include: ["test/**/*.test.ts"],
        setupFiles: ["test/support/setup.ts"],
        testTimeout: 60_000,
        hookTimeout: 60_000,
    },
});
