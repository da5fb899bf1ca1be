import { describe, expect, it } from "vitest";
import { parseSecretPath, propertiesStruct } from "../../../cli/analyzer/properties.js";

/** The engine's secret marker, as the policy SDK recognises it (sdk/nodejs/runtime/rpc.ts). */
const secretMarker = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const secret = (value: unknown) => ({ ...secretMarker, value });

describe("parseSecretPath", () => {
    it("splits the part after the prefix into names and array indexes", () => {
        expect(parseSecretPath("inputs.keepers.name", "inputs")).toEqual(["keepers", "name"]);
        expect(parseSecretPath("outputs.rules[0].model", "outputs")).toEqual(["rules", 0, "model"]);
        expect(parseSecretPath("outputs.a[12][3]", "outputs")).toEqual(["a", 12, 3]);
    });
    it("is undefined for another prefix, or the prefix without its dot", () => {
        expect(parseSecretPath("outputs.hex", "inputs")).toBeUndefined();
        expect(parseSecretPath("inputsX.hex", "inputs")).toBeUndefined();
        expect(parseSecretPath("inputs", "inputs")).toBeUndefined();
    });
});

describe("propertiesStruct", () => {
    it("sends plain JSON values as they are", () => {
        const values = { s: "x", n: 3, b: false, z: null, list: [1, "two"], nested: { k: "v" } };
        expect(propertiesStruct(values, [], ["inputs"]).toJavaScript()).toEqual(values);
    });
    it("drops undefined members, sends non-finite numbers and other values as null", () => {
        const values = { gone: undefined, list: [1, undefined, 2], nan: Number.NaN, inf: Number.POSITIVE_INFINITY, fn: () => 1, big: 1n };
        expect(propertiesStruct(values, [], ["inputs"]).toJavaScript()).toEqual({ list: [1, 2], nan: null, inf: null, fn: null, big: null });
    });
    it("wraps a secret value in the engine's secret marker, at a nested name and at an array index", () => {
        const values = { plaintextValue: "s3cr3t", keepers: { name: "JWT", rotation: "1" }, rules: [{ model: "a" }, { model: "b" }] };
        const struct = propertiesStruct(values, ["inputs.plaintextValue", "inputs.keepers.name", "inputs.rules[1].model"], ["inputs"]);
        expect(struct.toJavaScript()).toEqual({
            plaintextValue: secret("s3cr3t"),
            keepers: { name: secret("JWT"), rotation: "1" },
            rules: [{ model: "a" }, { model: secret("b") }],
        });
    });
    it("wraps only paths of the prefixes asked for", () => {
        const values = { hex: "ab", length: 32 };
        expect(propertiesStruct(values, ["outputs.hex"], ["inputs"]).toJavaScript()).toEqual(values);
        expect(propertiesStruct(values, ["outputs.hex"], ["inputs", "outputs"]).toJavaScript()).toEqual({ hex: secret("ab"), length: 32 });
        expect(propertiesStruct(values, ["inputs.length"], ["inputs", "outputs"]).toJavaScript()).toEqual({ hex: "ab", length: secret(32) });
    });
    it("leaves the value alone where a secret path leads nowhere: a missing name, an index past the end, a name into an array", () => {
        const values = { list: ["a"], obj: { k: "v" } };
        const paths = ["inputs.missing", "inputs.list[1]", "inputs.list.k", "inputs.obj[0]", "inputs.obj.k.deeper"];
        expect(propertiesStruct(values, paths, ["inputs"]).toJavaScript()).toEqual({ list: ["a"], obj: { k: "v" } });
    });
    it("wraps the last element of an array (index length − 1)", () => {
        expect(propertiesStruct({ list: ["a", "b"] }, ["inputs.list[1]"], ["inputs"]).toJavaScript()).toEqual({ list: ["a", secret("b")] });
        expect(propertiesStruct({ list: ["a", "b"] }, ["inputs.list[0]"], ["inputs"]).toJavaScript()).toEqual({ list: [secret("a"), "b"] });
    });
    it("wraps a whole object or array when the path names it", () => {
        expect(propertiesStruct({ keepers: { name: "n" } }, ["inputs.keepers"], ["inputs"]).toJavaScript()).toEqual({ keepers: secret({ name: "n" }) });
        expect(propertiesStruct({ list: [1] }, ["inputs.list"], ["inputs"]).toJavaScript()).toEqual({ list: secret([1]) });
    });
});
