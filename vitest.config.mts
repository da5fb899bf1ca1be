import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        // Dynamic-provider serialization fails under worker threads ("Trace events are unavailable").
        pool: "forks",
        // Three workers on this project's 2-core machines: a third keeps the cores busy while the others wait on
        // the processes they start and on back-offs (measured: 2 → 70–74 s, 3 → 64–69 s, 4 → 76 s).
        maxWorkers: 3,
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
