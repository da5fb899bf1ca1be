import { describe, expect, it } from "vitest";
import { handoffPhaseDeclared, messageParts } from "../../../policy/gates/index.js";
import { componentTypes } from "../../../policy/protocol/index.js";
import { withConfig } from "../../support/fixtures.js";
import { context, runStackGate } from "../../support/gateHarness.js";

const carrier = (phase: unknown) => ({ type: componentTypes.handoffPhase, name: "phase", props: { phase, paymentsMode: "test" } });
const at = (phase: string | undefined) => context(withConfig({ "vauntico:phase": phase }));

describe("handoff-phase-declared", () => {
    it("names an undeclared phase and how to set it", async () => {
        expect((await runStackGate(handoffPhaseDeclared, [], at(undefined))).map((f) => messageParts(f.message))).toEqual([
            {
                problem: "vauntico:phase is missing or not a whole number from 1 to 5, so every gate is enforced as mandatory",
                fix: "set it with `pulumi config set --path vauntico:phase <1-5>`",
            },
        ]);
    });
    it("reports a carried phase other than the declared one, on the carrier: one below and one above; the same one passes", async () => {
        for (const carried of [1, 3]) {
            const found = await runStackGate(handoffPhaseDeclared, [carrier(carried)], at("2"));
            expect(found.map((f) => messageParts(f.message))).toEqual([
                {
                    problem: `the stack carries phase ${carried} but the policy pack was started with vauntico:phase 2`,
                    fix: "run the program and the policy pack with the same stack config",
                },
            ]);
            expect(found[0]?.urn).toMatch(/::phase$/);
        }
        expect(await runStackGate(handoffPhaseDeclared, [carrier(2)], at("2"))).toEqual([]);
        expect(await runStackGate(handoffPhaseDeclared, [carrier("2")], at("2"))).toEqual([]);
    });
    it("compares only a readable carried phase with a declared one", async () => {
        expect(await runStackGate(handoffPhaseDeclared, [carrier("unknown")], at("2"))).toEqual([]);
        expect((await runStackGate(handoffPhaseDeclared, [carrier(3)], at(undefined))).map((f) => f.message)).toEqual([
            expect.stringContaining("vauntico:phase is missing"),
        ]);
    });
    it("looks only at phase carriers", async () => {
        expect(await runStackGate(handoffPhaseDeclared, [{ ...carrier(4), type: componentTypes.handoffLedger }], at("2"))).toEqual([]);
    });
});
