import { describe, expect, it } from "vitest";
import { type Verdict, blocksDeployment, gateOfPolicy, stateOf } from "../../../cli/analyzer/evaluate.js";
import type { PlannedResource } from "../../../cli/plan/index.js";

// The parts of evaluation that need no pack; evaluate.test.ts drives the pack itself over gRPC.

function resource(inputs: Record<string, unknown>, outputs: Record<string, unknown>): PlannedResource {
    return { urn: "urn:pulumi:prod::p::t::n", type: "t", name: "n", parent: null, custom: true, inputs, outputs, secretPaths: [] };
}

describe("gateOfPolicy", () => {
    it("is the gate itself, or the gate whose waived findings a '<gate>-waived' twin carries", () => {
        expect(gateOfPolicy("p1-secret-strength")).toBe("p1-secret-strength");
        expect(gateOfPolicy("p1-secret-strength-waived")).toBe("p1-secret-strength");
    });
    it("leaves a policy that is no gate as it is, with or without the suffix", () => {
        expect(gateOfPolicy("not-a-gate-waived")).toBe("not-a-gate-waived");
        expect(gateOfPolicy("not-a-gate")).toBe("not-a-gate");
        expect(gateOfPolicy("-waived")).toBe("-waived");
    });
});

describe("stateOf", () => {
    it("is the inputs overlaid with the outputs", () => {
        expect(stateOf(resource({ a: 1, b: 2 }, { b: 3, c: 4 }))).toEqual({ a: 1, b: 3, c: 4 });
    });
    it("puts back a redacted secret output's structure from the input of the same name", () => {
        expect(stateOf(resource({ keepers: { name: "JWT" } }, { keepers: "[secret]", hex: "[secret]" }))).toEqual({
            keepers: { name: "JWT" },
            hex: "[secret]",
        });
    });
    it("keeps an output that is not redacted, even where an input of the same name exists", () => {
        expect(stateOf(resource({ name: "in" }, { name: "out" }))).toEqual({ name: "out" });
    });
    it("does not change the resource", () => {
        const planned = resource({ a: 1 }, { b: 2 });
        stateOf(planned);
        expect(planned.inputs).toEqual({ a: 1 });
    });
});

describe("blocksDeployment", () => {
    const v = (enforcement: Verdict["enforcement"]): Verdict => ({ policy: "p", phase: 1, enforcement, urn: null, message: "m" });
    it("is true when any verdict is mandatory, false for none or only advisory ones", () => {
        expect(blocksDeployment([])).toBe(false);
        expect(blocksDeployment([v("advisory"), v("advisory")])).toBe(false);
        expect(blocksDeployment([v("advisory"), v("mandatory")])).toBe(true);
        expect(blocksDeployment([v("mandatory")])).toBe(true);
    });
});
