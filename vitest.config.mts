import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        // Dynamic-provider serialization fails under worker threads ("Trace events are unavailable").
        pool: "forks",
        include: ["test/**/*.test.ts"],
        globalSetup: ["test/globalSetup.ts"],
        testTimeout: 60_000,
        hookTimeout: 60_000,
    },
});
