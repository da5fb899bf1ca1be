import { defineConfig } from "vitest/config";
import base from "./vitest.config.mjs";

// Stryker's runs (stryker.config.mjs): only the tests of the folder being mutated.
const tests = process.env["MUTATE_TESTS"]?.split(",").filter((pattern) => pattern !== "");

// One fork reused across test files and mutants (Stryker switches mutants at run time; static ones are ignored):
// loading Pulumi's SDKs afresh for every test file of every mutant made a run take the better part of an hour.
export default defineConfig({ ...base, test: { ...base.test, isolate: false, ...(tests === undefined ? {} : { include: tests }) } });
