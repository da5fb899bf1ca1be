// Mutation testing (npm run mutate -- <folder>), one folder per run so each fits in minutes on a shared 2-core machine.
// Folders and the tests that speak for them; a run mutates only its folder and runs only those tests. Stryker reruns
// a file's beforeAll for every mutant its tests cover: a file whose hook is slow (a whole preflight, a spec checker)
// is left out. One plan under mocks is cheap enough now (≈ 80 ms warm): test/cli/validate/monitoring.test.ts is in.
// Cost per mutant (measured): ≈ 2–4 s, nearly all of it a fresh test worker loading @pulumi/pulumi — Vitest ends
// its worker when a run's queue is empty, and Stryker starts one run per mutant; perTest coverage holds (1–1.7
// tests per mutant) and the tests themselves take milliseconds. Narrow a run with `--mutate <files>`.
// Only in-process tests can kill a mutant: a test that goes through the policy pack runs the compiled build.
const folders = {
    gates: {
        mutate: ["policy/gates/**/*.ts"],
        tests: ["test/policy/**/*.test.ts"],
    },
    config: {
        mutate: ["stacks/config.ts"],
        tests: ["test/stacks/config.test.ts"],
    },
    analyzer: {
        mutate: ["cli/analyzer/**/*.ts"],
        // preflight*.test.ts are left out: each runs the whole program under mocks before the pack, seconds per
        // mutant they cover; the analyzer's own tests (test/cli/analyzer/, in-process, the pack over gRPC) and the
        // gate reports' cover the same code.
        tests: ["test/cli/analyzer/**/*.test.ts", "test/cli/reports/gateReports*.test.ts"],
    },
    validate: {
        mutate: ["cli/validate/**/*.ts"],
        // firstPayment.stripeDouble.test.ts (a Stripe spec checker built per mutant, 15–30 s each) is left out: firstPayment.test.ts
        // covers the command against canned Stripe answers, firstPaymentCheck/Report have in-process tests of their
        // own, and firstPayment.stripeDouble.test.ts stays the witness against the spec-checked Stripe double in `npm test`.
        // monitoring.test.ts is in despite its plan in beforeAll: measured ≈ 1.5 s a mutant (161 mutants of
        // monitoring.ts in 4 min, beside another Stryker run on the 2 cores), no dearer than the in-process files.
        // No brace globs: MUTATE_TESTS is comma-separated.
        tests: [
            "test/cli/validate/evidence.test.ts",
            "test/cli/validate/firstPayment.test.ts",
            "test/cli/validate/firstPaymentCheck.test.ts",
            "test/cli/validate/firstPaymentReport.test.ts",
            "test/cli/validate/grafanaApi.test.ts",
            "test/cli/validate/monitoring.test.ts",
            "test/cli/validate/monitoringChecks.test.ts",
            "test/cli/validate/monitoringReport.test.ts",
            "test/cli/validate/monitoringTargets.test.ts",
            "test/cli/validate/stackAccess.test.ts",
            "test/cli/validate/webhook*.test.ts",
        ],
    },
};

const name = process.env.MUTATE ?? "gates";
const folder = folders[name];
if (folder === undefined) {
    throw new Error(`MUTATE is ${JSON.stringify(name)}; expected one of ${Object.keys(folders).join(", ")}`);
}
// Read by vitest.mutate.config.mts in Stryker's test-runner processes, which inherit this environment.
process.env.MUTATE_TESTS = folder.tests.join(",");

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
    testRunner: "vitest",
    plugins: ["@stryker-mutator/vitest-runner"],
    vitest: { configFile: "vitest.mutate.config.mts", related: false, pool: "forks" },
    mutate: folder.mutate,
    coverageAnalysis: "perTest",
    // Static mutants (module-level constants) need a fresh module graph per mutant: too slow to run here.
    ignoreStatic: true,
    concurrency: 1,
    timeoutMS: 20_000,
    incremental: true,
    incrementalFile: `reports/stryker/${name}.incremental.json`,
    tempDirName: ".stryker-tmp",
    // The build output (`dist` is a symlink into `.build/`) is not copied into the sandbox: the tests build their own.
    ignorePatterns: ["dist", ".build", "reports", "/policy/bin"],
    reporters: ["clear-text", "progress", "json"],
    jsonReporter: { fileName: `reports/stryker/${name}.json` },
    thresholds: { high: 90, low: 85, break: null },
    cleanTempDir: "always",
};
