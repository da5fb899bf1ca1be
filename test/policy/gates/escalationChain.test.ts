import { describe, expect, it } from "vitest";
import { escalationStepsByChain } from "../../../policy/gates/escalationChain.js";
import { escalationProblems } from "../../../policy/gates/index.js";
import { incidentEscalationTypes } from "../../../policy/protocol/index.js";
import { types } from "../../support/fixtures.js";
import { policyResource } from "../../support/gateHarness.js";

// Called in-process; test/policy/gates/phase4.test.ts judges whole chains through the gate.

const step = (name: string, props: Record<string, unknown>) => policyResource({ type: types.escalation, name, props });

describe("escalationStepsByChain", () => {
    it("groups steps by chain id, each group sorted by position, with defaults for what a step lacks", () => {
        const byChain = escalationStepsByChain([
            step("c", { escalationChainId: "chain-1", position: 2, type: "notify_persons" }),
            step("a", { escalationChainId: "chain-1", position: 0, type: "notify_persons" }),
            step("b", { escalationChainId: "chain-1", position: 1, type: "wait", duration: 3600 }),
            step("x", { escalationChainId: "chain-2" }),
            policyResource({ type: types.escalationChain, name: "chain", props: { name: "vauntico" } }),
        ]);
        expect([...byChain.entries()]).toEqual([
            [
                "chain-1",
                [
                    { position: 0, type: "notify_persons", duration: 0 },
                    { position: 1, type: "wait", duration: 3600 },
                    { position: 2, type: "notify_persons", duration: 0 },
                ],
            ],
            ["chain-2", [{ position: 0, type: "", duration: 0 }]],
        ]);
    });
    it("names the chain by its property dependency when the engine gives one, else by its id, else as unknown", () => {
        const dependent = { ...step("d", { position: 0, type: "wait" }), propertyDependencies: { escalationChainId: [step("chain", {})] } };
        const noDependency = { ...step("e", { escalationChainId: "chain-1", position: 0, type: "wait" }), propertyDependencies: { escalationChainId: [] } };
        const unknown = step("f", { position: 0, type: "wait" });
        expect([...escalationStepsByChain([dependent, noDependency, unknown]).keys()]).toEqual([
            step("chain", {}).urn,
            "chain-1",
            "(chain unknown until created)",
        ]);
    });
});

const level = (type: string, position: number) => ({ position, type, duration: 0 });
const wait = (duration: number, position: number) => ({ position, type: "wait", duration });

describe("escalationProblems", () => {
    it("asks L4 to wait after L3: at the same time is a problem, a second later is not", () => {
        const chain = (lastWait: number) => [
            level("notify_persons", 0),
            wait(3600, 1),
            level("notify_user_group", 2),
            wait(3600, 3),
            level("notify_persons", 4),
            wait(lastWait, 5),
            level("declare_incident", 6),
        ];
        expect(escalationProblems(chain(1))).toEqual([]);
        // A zero wait keeps L3 and L4 apart as steps but not in time.
        expect(escalationProblems(chain(0))).toEqual(["L4 (full incident response) does not wait after L3"]);
    });
    it("names the L4 step types and the incident types it expects", () => {
        const steps = [
            level("notify_persons", 0),
            wait(3600, 1),
            level("notify_user_group", 2),
            wait(3600, 3),
            level("notify_persons", 4),
            wait(3600, 5),
            level("notify_persons", 6),
            level("notify_user_group", 7),
        ];
        expect(escalationProblems(steps)).toEqual([
            `L4 is a notify_persons + notify_user_group step; expected one of ${incidentEscalationTypes.join(", ")} to activate incident response`,
        ]);
    });
});
