import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        // Dynamic-provider serialization fails under worker threads ("Trace events are unavailable").
        pool: "forks",
        // Both cores (vitest's default leaves one idle: availableParallelism − 1).
        maxWorkers: 2,
        // Workers are reused across files: loading Pulumi and the provider SDKs afresh for each of ~45 files was
        // about 40% of the suite's CPU time. Files share no state: each run sets its own mocks and config, and
        // the tests that change the environment or working directory restore them.
        isolate: false,
        include: ["test/**/*.test.ts"],
        globalSetup: ["test/globalSetup.ts"],
        setupFiles: ["test/support/setup.ts"],
        testTimeout: 60_000,
        hookTimeout: 60_000,
    },
});
