import { describe, expect, it } from "vitest";
import { handoffPhaseProblems } from "../../../components/protocol/index.js";
import { runUnderMocks } from "../../../cli/plan/index.js";
import { componentTypes } from "../../../policy/protocol/index.js";

describe("HandoffPhase", () => {
    it("registers its phase and payments mode as outputs the gates read", async () => {
        const { HandoffPhase } = await import("../../../components/protocol/index.js");
        const run = await runUnderMocks({ project: "vauntico-deploy", stack: "test" }, () => {
            new HandoffPhase("phase", { phase: 3 });
            return {};
        });
        const carrier = run.resources.find((r) => r.type === componentTypes.handoffPhase);
        expect(carrier?.outputs).toEqual({ phase: 3, paymentsMode: "test" });
    });
    it("rejects a phase outside 1–5, naming the field", async () => {
        expect(handoffPhaseProblems({ phase: 6 })).toEqual(["phase: 6 given; expected a whole number from 1 to 5"]);
        expect(handoffPhaseProblems({ phase: 2, paymentsMode: "prod" })).toEqual(['paymentsMode: "prod" given; expected "test" or "live"']);
        expect(handoffPhaseProblems({ phase: 5, paymentsMode: "live" })).toEqual([]);
    });
});
