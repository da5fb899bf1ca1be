import { describe, expect, it } from "vitest";
import type { Verdict } from "../../../cli/analyzer/evaluate.js";
import {
    blockerId,
    blockerIds,
    countStates,
    describeCheck,
    describeState,
    gateOf,
    itemState,
    phaseItems,
    protocolSeverity,
    sortedVerdicts,
} from "../../../cli/analyzer/itemState.js";
import { secretnessCheck } from "../../../cli/analyzer/secretness.js";
import { gateById } from "../../../policy/gates/index.js";
import { type ProtocolItem, phaseByNumber } from "../../../policy/protocol/index.js";

const twoGates: ProtocolItem = {
    text: "Branch protected",
    check: { kind: "automated", gates: ["p1-default-branch-protection", "p1-default-branch-protection-present"] },
};
const manualItem: ProtocolItem = { text: "Docs linked", check: { kind: "manual", id: "p1.docs", confirmedBy: "Kilo", how: "link them" } };

function verdict(policy: string, enforcement: Verdict["enforcement"], extra: Partial<Verdict> = {}): Verdict {
    return { policy, phase: 1, enforcement, urn: null, message: "m", ...extra };
}

describe("itemState", () => {
    it("a manual item is manual, with its owner and how, whatever the verdicts", () => {
        expect(itemState(manualItem, [verdict("p1-default-branch-protection", "mandatory")])).toEqual({ state: "manual", owner: "Kilo", how: "link them" });
    });
    it("passes with no verdict of its gates; other gates' verdicts do not count", () => {
        expect(itemState(twoGates, [])).toEqual({ state: "passed" });
        expect(itemState(twoGates, [verdict("p1-secret-strength", "mandatory"), verdict("p4-escalation-timings", "advisory")])).toEqual({ state: "passed" });
    });
    it("is violated by a mandatory verdict of either gate, naming only the violated ones", () => {
        expect(itemState(twoGates, [verdict("p1-default-branch-protection-present", "mandatory")])).toEqual({
            state: "violated",
            gates: ["p1-default-branch-protection-present"],
        });
        expect(
            itemState(twoGates, [verdict("p1-default-branch-protection", "mandatory"), verdict("p1-default-branch-protection-present", "advisory")]),
        ).toEqual({ state: "violated", gates: ["p1-default-branch-protection"] });
    });
    it("is open (not violated) when its gates' verdicts are all advisory, naming them", () => {
        expect(itemState(twoGates, [verdict("p1-default-branch-protection", "advisory")])).toEqual({ state: "open", gates: ["p1-default-branch-protection"] });
        expect(itemState(twoGates, [verdict("p1-default-branch-protection-present", "advisory"), verdict("p1-default-branch-protection", "advisory")])).toEqual(
            { state: "open", gates: ["p1-default-branch-protection", "p1-default-branch-protection-present"] },
        );
    });
    it("counts preflight's secret-ness check under the criterion it serves, and only there", () => {
        const served: ProtocolItem = { text: secretnessCheck.criterion, check: { kind: "automated", gates: ["p1-secret-strength"] } };
        const other: ProtocolItem = { text: "Something else", check: { kind: "automated", gates: ["p1-secret-strength"] } };
        const plaintext = verdict(secretnessCheck.policy, "mandatory");
        expect(itemState(served, [plaintext])).toEqual({ state: "violated", gates: [secretnessCheck.policy] });
        expect(itemState(other, [plaintext])).toEqual({ state: "passed" });
    });
});

describe("countStates", () => {
    it("counts each item in its state", () => {
        const verdicts = [verdict("p1-secret-strength", "mandatory"), verdict("p4-escalation-timings", "advisory")];
        const items: ProtocolItem[] = [
            twoGates,
            manualItem,
            manualItem,
            { text: "a", check: { kind: "automated", gates: ["p1-secret-strength"] } },
            { text: "b", check: { kind: "automated", gates: ["p4-escalation-timings"] } },
        ];
        expect(countStates(items, verdicts)).toEqual({ passed: 1, violated: 1, open: 1, manual: 2 });
        expect(countStates([], verdicts)).toEqual({ passed: 0, violated: 0, open: 0, manual: 0 });
    });
});

describe("describeState and describeCheck", () => {
    it("words each state", () => {
        expect(describeState({ state: "passed" })).toBe("passed");
        expect(describeState({ state: "violated", gates: ["a", "b"] })).toBe("VIOLATED (a, b)");
        expect(describeState({ state: "open", gates: ["a", "b"] })).toBe("open — not yet met, advisory until its phase (a, b)");
        expect(describeState({ state: "manual", owner: "Cline", how: "x" })).toBe("open — manual, to be confirmed by Cline");
    });
    it("words an automated check by its gates and a manual one by how", () => {
        expect(describeCheck(twoGates)).toBe("gates p1-default-branch-protection, p1-default-branch-protection-present");
        expect(describeCheck(manualItem)).toBe("manual: link them");
    });
});

describe("sortedVerdicts", () => {
    it("orders by phase, then gate, then resource (the stack first), then message", () => {
        const p2 = verdict("a-gate", "mandatory", { phase: 2 });
        const zStack = verdict("z-gate", "advisory", { urn: null });
        const zUrnA = verdict("z-gate", "advisory", { urn: "urn:a" });
        const zUrnBm1 = verdict("z-gate", "advisory", { urn: "urn:b", message: "m1" });
        const zUrnBm2 = verdict("z-gate", "advisory", { urn: "urn:b", message: "m2" });
        const p0 = verdict("zz", "advisory", { phase: 0 });
        const expected = [p0, zStack, zUrnA, zUrnBm1, zUrnBm2, p2];
        expect(sortedVerdicts([p2, zUrnBm2, zUrnA, zUrnBm1, zStack, p0])).toEqual(expected);
        expect(sortedVerdicts([...expected].reverse())).toEqual(expected);
        expect(sortedVerdicts(expected)).toEqual(expected);
    });
    it("does not reorder its input", () => {
        const input = [verdict("b", "mandatory"), verdict("a", "mandatory")];
        sortedVerdicts(input);
        expect(input.map((v) => v.policy)).toEqual(["b", "a"]);
    });
});

describe("gateOf", () => {
    it("is the secret-ness check for its policy, the gate for a gate id, nothing otherwise", () => {
        expect(gateOf(verdict(secretnessCheck.policy, "mandatory"))).toBe(secretnessCheck);
        expect(gateOf(verdict("p1-secret-strength", "mandatory"))).toBe(gateById("p1-secret-strength"));
        expect(gateOf(verdict("not-a-gate", "mandatory"))).toBeUndefined();
    });
});

describe("blocker ids", () => {
    const onJwt = verdict("p1-secret-strength", "mandatory", { urn: "urn:jwt", message: "b" });
    it("are BLOCKER-P<phase>-<6 upper-case hex>, the same from run to run", () => {
        const id = blockerId(onJwt);
        expect(id).toMatch(/^BLOCKER-P1-[0-9A-F]{6}$/);
        expect(blockerId({ ...onJwt, message: "another wording" })).toBe(id);
        expect(blockerId(verdict("p4-escalation-timings", "mandatory", { phase: 4 }))).toMatch(/^BLOCKER-P4-[0-9A-F]{6}$/);
    });
    it("stay fixed across versions: a stored id still names its blocker", () => {
        // Recorded once from a run: a ledger waiver quotes the blocker id it answers, so an id must never change.
        expect(blockerId(onJwt)).toBe("BLOCKER-P1-EEC4C0");
        expect(blockerId(verdict("p1-secret-strength", "mandatory", { urn: null }))).toBe("BLOCKER-P1-C58830");
    });
    it("differ by gate and by resource; a stack-wide finding differs from one on a resource", () => {
        const ids = new Set([
            blockerId(onJwt),
            blockerId({ ...onJwt, urn: "urn:other" }),
            blockerId({ ...onJwt, policy: "p1-secrets-generated" }),
            blockerId({ ...onJwt, urn: null }),
        ]);
        expect(ids.size).toBe(4);
    });
    it("number several findings of one gate on one resource -1, -2 in message order; a single one keeps the bare id", () => {
        const second = { ...onJwt, message: "a" };
        const alone = verdict("p1-secret-strength", "mandatory", { urn: "urn:other" });
        const ids = blockerIds([onJwt, second, alone]);
        const base = blockerId(onJwt);
        expect(ids.get(second)).toBe(`${base}-1`);
        expect(ids.get(onJwt)).toBe(`${base}-2`);
        expect(ids.get(alone)).toBe(blockerId(alone));
        expect(ids.size).toBe(3);
    });
    it("refuses a verdict that is not among the blockers given", () => {
        expect(() => blockerId(onJwt, [verdict("p1-secret-strength", "mandatory")])).toThrow("verdict of p1-secret-strength is not among the blockers given");
    });
});

describe("protocolSeverity", () => {
    it("maps the policy severities to the protocol's words, low and none to Low", () => {
        expect(protocolSeverity("critical")).toBe("Critical");
        expect(protocolSeverity("high")).toBe("High");
        expect(protocolSeverity("medium")).toBe("Medium");
        expect(protocolSeverity("low")).toBe("Low");
        expect(protocolSeverity(undefined)).toBe("Low");
    });
});

describe("phaseItems", () => {
    it("lists a phase's criteria, then its responsibilities", () => {
        const phase = phaseByNumber(2);
        expect(phaseItems(phase)).toEqual([...phase.criteria, ...phase.responsibilities]);
        expect(phaseItems(phase)).toHaveLength(phase.criteria.length + phase.responsibilities.length);
    });
});
