import { unknownCheckingProxy } from "@pulumi/policy";

import { describe, expect, it } from "vitest";
import { arrayOf, isRecord, numberOf, parseJson, readKnown, recordOf, recordsOf, stringOf, stringsOf } from "../../../policy/gates/read.js";

/** The sentinel the engine sends for a string unknown during preview (@pulumi/policy proxy.js, `unknownStringValue`). */
const unknownStringValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("the property readers", () => {
    it("isRecord and recordOf: a plain object only, else empty", () => {
        expect([{}, { a: 1 }, [], null, "x", 1, undefined].map(isRecord)).toEqual([true, true, false, false, false, false, false]);
        expect(recordOf({ a: 1 })).toEqual({ a: 1 });
        expect(recordOf([1])).toEqual({});
        expect(recordOf(null)).toEqual({});
    });
    it("stringOf: a string only", () => {
        expect(stringOf("")).toBe("");
        expect(stringOf("a")).toBe("a");
        expect(stringOf(1)).toBeUndefined();
    });
    it("numberOf: a number, or a string holding a finite number; blank, non-numeric and infinite text are none", () => {
        expect(numberOf(0)).toBe(0);
        expect(numberOf("42")).toBe(42);
        expect(numberOf(" 1.5 ")).toBe(1.5);
        expect(numberOf("")).toBeUndefined();
        expect(numberOf("  ")).toBeUndefined();
        expect(numberOf("4x")).toBeUndefined();
        expect(numberOf("Infinity")).toBeUndefined();
        expect(numberOf(null)).toBeUndefined();
        expect(numberOf(true)).toBeUndefined();
    });
    it("arrayOf, stringsOf, recordsOf: the array's members of the kind asked, else empty", () => {
        expect(arrayOf([1, "a"])).toEqual([1, "a"]);
        expect(arrayOf({ 0: "a" })).toEqual([]);
        expect(stringsOf(["a", 1, null, "b"])).toEqual(["a", "b"]);
        expect(stringsOf("a")).toEqual([]);
        expect(recordsOf([{ a: 1 }, [], "x", { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
    });
    it("parseJson: an object as it is, JSON text parsed, anything else undefined", () => {
        const object = { a: 1 };
        expect(parseJson(object)).toBe(object);
        expect(parseJson('{"a":[1]}')).toEqual({ a: [1] });
        expect(parseJson("[1,2]")).toEqual([1, 2]);
        expect(parseJson("{not json")).toBeUndefined();
        expect(parseJson(7)).toBeUndefined();
        expect(parseJson(undefined)).toBeUndefined();
    });
    it("readKnown: the value, 'unknown' for a preview's unknown value, and any other error thrown on", () => {
        expect(readKnown(() => 3)).toEqual({ known: true, value: 3 });
        const props: { chainId: string } = unknownCheckingProxy({ chainId: unknownStringValue });
        expect(readKnown(() => props.chainId)).toEqual({ known: false });
        expect(() =>
            readKnown(() => {
                throw new TypeError("broken");
            }),
        ).toThrow("broken");
    });
});
