import { describe, expect, it } from "vitest";
import { runUnderMocks } from "../../../cli/plan/mockEngine.js";
import { withoutStackTraces } from "../../../cli/plan/stackTraces.js";

describe("withoutStackTraces", () => {
    it("captures no stack inside the run and restores the limit after it, also when the run throws", async () => {
        const before = Error.stackTraceLimit;
        const inside = await withoutStackTraces(async () => [Error.stackTraceLimit, new Error("x").stack]);
        expect(inside).toEqual([0, "Error: x"]);
        expect(Error.stackTraceLimit).toBe(before);
        await expect(
            withoutStackTraces(async () => {
                throw new Error("boom");
            }),
        ).rejects.toThrow("boom");
        expect(Error.stackTraceLimit).toBe(before);
    });

    it("overlapping runs: the limit stays 0 until the last one ends, then is the one from before the first", async () => {
        const before = Error.stackTraceLimit;
        let endFirst = (): void => undefined;
        const first = withoutStackTraces(() => new Promise<void>((resolve) => (endFirst = resolve)));
        let seenInSecondAfterFirstEnded = -1;
        await withoutStackTraces(async () => {
            endFirst();
            await first;
            seenInSecondAfterFirstEnded = Error.stackTraceLimit;
        });
        expect(seenInSecondAfterFirstEnded).toBe(0);
        expect(Error.stackTraceLimit).toBe(before);
    });
});

describe("a program run under mocks", () => {
    it("runs without stack traces (the SDK would capture one per promise and resource) and leaves the limit as it was", async () => {
        const before = Error.stackTraceLimit;
        const run = await runUnderMocks({ project: "p", stack: "s" }, () => Error.stackTraceLimit);
        expect(run.result).toBe(0);
        expect(Error.stackTraceLimit).toBe(before);
    });
});
