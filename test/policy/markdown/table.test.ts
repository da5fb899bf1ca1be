import { describe, expect, it } from "vitest";
import { inlineText, markdownTable, tableCell } from "../../../policy/markdown/index.js";

describe("markdownTable", () => {
    it("writes header, separator and rows", () => {
        expect(
            markdownTable(
                ["a", "b"],
                [
                    ["1", "2"],
                    ["3", "4"],
                ],
            ),
        ).toEqual(["| a | b |", "| --- | --- |", "| 1 | 2 |", "| 3 | 4 |"]);
    });

    it("aligns columns", () => {
        const [, separator] = markdownTable(["plain", { header: "l", align: "left" }, { header: "r", align: "right" }, { header: "c", align: "center" }], []);
        expect(separator).toBe("| --- | :--- | ---: | :---: |");
    });

    it("escapes pipes and folds line breaks in every cell, headers included", () => {
        expect(markdownTable(["x|y"], [["a|b\nc\r\nd\re"], ["`code | span`"]])).toEqual(["| x\\|y |", "| --- |", "| a\\|b c d e |", "| `code \\| span` |"]);
        expect(tableCell("one\ntwo|three")).toBe("one two\\|three");
        expect(inlineText("one\ntwo|three")).toBe("one two|three");
    });

    it("refuses a row with the wrong number of cells", () => {
        expect(() => markdownTable(["a", "b"], [["1", "2"], ["3"]])).toThrow("markdownTable: row 1 has 1 cells for 2 columns");
        expect(() => markdownTable(["a"], [["1", "2"]])).toThrow(/row 0 has 2 cells/);
    });
});
