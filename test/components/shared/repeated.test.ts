import { describe, expect, it } from "vitest";
import { repeatedIndexes } from "../../../components/shared/index.js";

describe("repeatedIndexes", () => {
    it("names each later repeat with the first index, after normalising", () => {
        expect(repeatedIndexes(["a", "B", "b", "a", "A"], (v) => v.toLowerCase())).toEqual([
            { index: 2, first: 1 },
            { index: 3, first: 0 },
            { index: 4, first: 0 },
        ]);
        expect(repeatedIndexes(["a", "A"], (v) => v)).toEqual([]);
        expect(repeatedIndexes([], (v: string) => v)).toEqual([]);
    });
});
