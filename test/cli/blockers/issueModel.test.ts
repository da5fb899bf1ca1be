import { describe, expect, it } from "vitest";
import { blockerMarker, desiredBlockers, parseBlockerMarker, templateDate, waiverOf } from "../../../cli/blockers/issueModel.js";
import { gateInput, teams, urn, violation, waived } from "./harness.js";

const branch = urn("github:index/branchProtection:BranchProtection", "main");
const waiver = "waived by cline-ops-lead until 2026-12-09T00:00:00Z (reviewers being onboarded)";

describe("which verdicts are waived blockers", () => {
    it("advisory and naming a waiver → waived, the waiver text as the gate wrote it", () => {
        expect(waiverOf(waived("p1-default-branch-protection", branch, waiver))).toBe(waiver);
    });
    it("advisory without a waiver (a later phase's gate) → not waived", () => {
        expect(waiverOf(violation("p1-default-branch-protection", branch, "x", "advisory"))).toBeUndefined();
    });
    it("mandatory even if its message mentions a waiver → not waived (the pack decides, not the wording)", () => {
        const v = waived("p1-default-branch-protection", branch, waiver);
        expect(waiverOf({ ...v, enforcement: "mandatory" })).toBeUndefined();
    });
    it("a waived verdict keeps the ID its blocker had while mandatory", () => {
        const open = desiredBlockers(gateInput([violation("p1-default-branch-protection", branch)]), teams).blockers[0]?.id;
        const closed = desiredBlockers(gateInput([waived("p1-default-branch-protection", branch, waiver)]), teams);
        expect(closed.blockers).toEqual([]);
        expect(closed.waived).toEqual([{ id: open, waiver }]);
    });
    it("advisory verdicts without a waiver are neither blockers nor waived", () => {
        const none = desiredBlockers(gateInput([violation("p1-default-branch-protection", branch, "x", "advisory")]), teams);
        expect(none).toEqual({ stack: "prod", blockers: [], waived: [] });
    });
});

describe("the hidden marker", () => {
    it("round-trips ID and stack; another stack's or a malformed marker is not ours", () => {
        expect(parseBlockerMarker(`text\n${blockerMarker("prod", "BLOCKER-P1-ABC123")}\nmore`)).toEqual({ id: "BLOCKER-P1-ABC123", stack: "prod" });
        expect(parseBlockerMarker("<!-- vauntico-blocker id=BLOCKER-P1-ABC123 -->")).toBeUndefined();
        expect(parseBlockerMarker(null)).toBeUndefined();
    });
    it("dates in the template's format, UTC", () => {
        expect(templateDate(new Date("2026-12-02T07:05:59.999Z"))).toBe("2026-12-02 07:05 UTC");
    });
});

describe("blocker issues without vauntico:teams", () => {
    it("are unassigned, the owner named by team", () => {
        const [blocker] = desiredBlockers(gateInput([violation("p1-default-branch-protection", branch)]), undefined).blockers;
        expect(blocker?.assignee).toBeUndefined();
        expect(blocker?.body(new Date(0))).toContain("- **Current Owner**: Kilo team lead");
    });
});
