import { describe, expect, it } from "vitest";
import { blockerId, secretnessVerdicts } from "../../../cli/analyzer/index.js";
import { environmentSecret } from "../../support/fixtures.js";
import { planned } from "../../support/planFixtures.js";
import { blockersReport } from "../../../cli/reports/blockers.js";
import { handoffReport } from "../../../cli/reports/handoff.js";
import { protocol } from "../../../policy/protocol/index.js";
import { clean, golden, input, verdicts } from "../../support/reportInput.js";

describe("blockers report", () => {
    it("is pure: same input, same bytes — whatever order the verdicts come in", () => {
        const first = blockersReport(input);
        expect(blockersReport(input)).toBe(first);
        expect(blockersReport({ ...input, verdicts: [...verdicts].reverse() })).toBe(first);
    });
    const text = blockersReport(input);
    it("has one Blocker Report per mandatory violation and none for advisory findings", () => {
        expect(text.match(/^# BLOCKER REPORT$/gm)).toHaveLength(2);
        expect(text).not.toContain("p3-payments-dashboard");
    });
    it("gives each a stable ID per gate and resource, in the protocol's template", () => {
        const mandatory = verdicts.filter((v) => v.enforcement === "mandatory");
        const ids = mandatory.map((v) => blockerId(v, mandatory));
        expect(new Set(ids).size).toBe(2);
        for (const id of ids) {
            expect(id).toMatch(/^BLOCKER-P1-[0-9A-F]{6}$/);
            expect(text).toContain(`- **Blocker ID**: ${id}`);
        }
        // The ID belongs to the gate and the resource: a changed finding keeps it; a second finding gets a suffix.
        const [first] = mandatory;
        if (!first) throw new Error("fixture");
        const reworded = { ...first, message: first.message.replace("16 bytes (128 bits)", "8 bytes (64 bits)") };
        expect(blockerId(reworded)).toBe(blockerId(first));
        const both = [first, { ...first, message: `${first.message} (again)` }];
        expect(both.map((v) => blockerId(v, both))).toEqual([`${blockerId(first)}-1`, `${blockerId(first)}-2`]);
        const sections = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]).slice(0, 5);
        expect(sections).toEqual(protocol.blockerReportTemplate.map((s) => s.section));
    });
    it("names severity, phase, responsible team, escalation level and the resolution hint", () => {
        expect(text).toContain("- **Severity**: Critical");
        expect(text).toContain("- **Phase Affected**: Phase 1 — Secrets & Merge");
        expect(text).toContain("- **Team Responsible**: Kilo");
        expect(text).toContain("- **Escalation Level**: 1 (Team lead notification, immediate); if unresolved: L2 within 1 hour, L3 within 2 hours, L4 if unresolved");
        expect(text).toContain('- **Proposed Solution**: set its "bytes" in vauntico:secrets to at least 32');
        expect(text).toContain("- **Description**: secret JWT_SECRET is 16 bytes (128 bits), below 256 bits");
        expect(text).toContain("Critical blocker category: Security vulnerabilities");
    });
    it("treats preflight's secret-ness finding like a gate: Critical, Security vulnerabilities, owner Kilo", () => {
        const [plaintext] = secretnessVerdicts(planned([environmentSecret("JWT_SECRET")], []));
        if (!plaintext) throw new Error("expected a secret-ness verdict");
        const report = blockersReport({ ...input, verdicts: [plaintext] });
        expect(report).toContain(`- **Blocker ID**: ${blockerId(plaintext)}`);
        expect(report).toContain("- **Severity**: Critical");
        expect(report).toContain("Critical blocker category: Security vulnerabilities");
        expect(report).toContain("- **Team Responsible**: Kilo");
        expect(handoffReport({ ...input, verdicts: [plaintext] })).toContain("| Secrets properly formatted and secure | gates p1-secret-strength | VIOLATED (preflight-secret-values-are-secrets) |");
    });
    it("says so when nothing blocks", () => {
        expect(blockersReport(clean)).toContain("No blockers: no mandatory gate is violated at phase 1.");
    });
    it("matches its golden file", () => golden("blockers.md", text));
});
