import { defineConfig } from "vitest/config";
import base from "./vitest.config.mjs";

// Stryker's runs (stryker.config.mjs): only the tests of the folder being mutated.
const tests = process.env["MUTATE_TESTS"]?.split(",").filter((pattern) => pattern !== "");

export default defineConfig({ ...base, test: { ...base.test, ...(tests === undefined ? {} : { include: tests }) } });
