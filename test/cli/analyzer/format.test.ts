import { describe, expect, it } from "vitest";
import type { Verdict } from "../../../cli/analyzer/evaluate.js";
import { formatVerdicts, shortUrn } from "../../../cli/analyzer/format.js";
import type { ManualItem } from "../../../cli/analyzer/manual.js";

const urn = "urn:pulumi:prod::vauntico-deploy::random:index/randomBytes:RandomBytes::jwt";

function verdict(policy: string, enforcement: Verdict["enforcement"], verdictUrn: string | null = urn): Verdict {
    return { policy, phase: 1, enforcement, urn: verdictUrn, message: `${policy} found something` };
}

describe("shortUrn", () => {
    it("keeps the type and name of a URN (its parts from the third on)", () => {
        expect(shortUrn(urn)).toBe("random:index/randomBytes:RandomBytes::jwt");
        expect(shortUrn("urn:pulumi:prod::p::parent$child::name")).toBe("parent$child::name");
        expect(shortUrn("a::b::c::d::e")).toBe("c::d::e");
    });
    it("draws the line at four parts: three are returned whole", () => {
        expect(shortUrn("a::b::c::d")).toBe("c::d");
        expect(shortUrn("a::b::c")).toBe("a::b::c");
        expect(shortUrn("not-a-urn")).toBe("not-a-urn");
    });
    it("names a stack-wide finding (null URN) as the stack", () => {
        expect(shortUrn(null)).toBe("(stack)");
    });
});

describe("formatVerdicts", () => {
    const manual: ManualItem[] = [
        { id: "p1.doc", phase: 1, criterion: "Docs written", owner: "Kilo" },
        { phase: 2, criterion: "Merged by hand", owner: "Cline" },
        { id: "p3.x", phase: 3, criterion: "Later", owner: "Kilo" },
    ];

    it("lists mandatory findings before advisory ones, each with its mark, gate, level, resource and message", () => {
        const text = formatVerdicts([verdict("p2-b", "advisory", null), verdict("p1-a", "mandatory")], manual, 2);
        expect(text).toBe(
            [
                "Gates at phase 2: 1 mandatory violation, 1 advisory",
                "  ✗ p1-a [mandatory] random:index/randomBytes:RandomBytes::jwt",
                "      p1-a found something",
                "  ! p2-b [advisory] (stack)",
                "      p2-b found something",
                "",
                "Manual items open until signed off in the handoff ledger (phases ≤ 2): 2",
                "  ○ phase 1: p1.doc Docs written — to be confirmed by Kilo",
                "  ○ phase 2: Merged by hand — to be confirmed by Cline",
                "",
                "Result: BLOCKED by mandatory gates.",
                "",
            ].join("\n"),
        );
    });

    it("counts violations with the plural at 0 and 2, the singular at 1", () => {
        const firstLine = (verdicts: Verdict[]) => formatVerdicts(verdicts, [], 1).split("\n")[0];
        expect(firstLine([])).toBe("Gates at phase 1: 0 mandatory violations, 0 advisory");
        expect(firstLine([verdict("a", "mandatory")])).toBe("Gates at phase 1: 1 mandatory violation, 0 advisory");
        expect(firstLine([verdict("a", "mandatory"), verdict("b", "mandatory"), verdict("c", "advisory")])).toBe(
            "Gates at phase 1: 2 mandatory violations, 1 advisory",
        );
    });

    it("shows manual items of phases up to the current one: phase − 1 and phase shown, phase + 1 not", () => {
        const text = formatVerdicts([], manual, 2);
        expect(text).toContain("phase 1: p1.doc");
        expect(text).toContain("phase 2: Merged by hand");
        expect(text).not.toContain("Later");
        expect(formatVerdicts([], manual, 0)).toContain("(phases ≤ 0): 0\n");
    });

    it("passes when only advisory findings remain", () => {
        expect(formatVerdicts([verdict("p5-x", "advisory")], [], 1)).toMatch(/\n\nResult: gates of this phase pass\.\n$/);
        expect(formatVerdicts([], [], 1)).toMatch(/\n\nResult: gates of this phase pass\.\n$/);
    });
});
