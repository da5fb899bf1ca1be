import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { type GateReportInput, type Verdict, blockerId, manualCriteria, secretnessVerdicts } from "../../../cli/analyzer/index.js";
import { environmentSecret } from "../../support/fixtures.js";
import { planned } from "../../support/planFixtures.js";
import { blockersReport } from "../../../cli/reports/blockers.js";
import { handoffReport } from "../../../cli/reports/handoff.js";
import { statusReport } from "../../../cli/reports/status.js";
import { gateById, violationMessage } from "../../../policy/gates/index.js";
import { protocol } from "../../../policy/protocol/index.js";

const secretUrn = "urn:pulumi:prod::vauntico-deploy::vauntico:secrets:DeploymentSecrets$random:index/randomBytes:RandomBytes::deployment-secrets-jwt_secret";
const verdicts: Verdict[] = [
    {
        policy: "p1-secret-strength", phase: 1, enforcement: "mandatory", urn: secretUrn,
        message: violationMessage(gateById("p1-secret-strength"), "secret JWT_SECRET is 16 bytes (128 bits), below 256 bits", 'set its "bytes" in vauntico:secrets to at least 32'),
    },
    {
        policy: "p1-secrets-delivered", phase: 1, enforcement: "mandatory", urn: null,
        message: violationMessage(gateById("p1-secrets-delivered"), "no generated secrets to deliver", "declare the deployment's secrets"),
    },
    {
        policy: "p3-payments-dashboard", phase: 3, enforcement: "advisory", urn: null,
        message: violationMessage(gateById("p3-payments-dashboard"), "no Payments dashboard (Grafana uid vauntico-payments) in the stack", "add the dashboard"),
    },
];
const input: GateReportInput = {
    protocol,
    plan: { stack: "prod", project: "vauntico-deploy", phase: 1, resources: [{ urn: secretUrn, type: "random:index/randomBytes:RandomBytes", name: "deployment-secrets-jwt_secret" }] },
    verdicts,
};
const clean: GateReportInput = { ...input, verdicts: [verdicts[2]].filter((v): v is Verdict => v !== undefined) };

function golden(name: string, text: string): void {
    const file = path.join(__dirname, "golden", name);
    if (process.env["UPDATE_GOLDEN"] === "1") writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, "utf8"));
}

const reports = { handoff: handoffReport, blockers: blockersReport, status: statusReport };

describe("the protocol reports are pure", () => {
    for (const [kind, render] of Object.entries(reports)) {
        it(`${kind}: same input, same bytes — whatever order the verdicts come in`, () => {
            const first = render(input);
            expect(render(input)).toBe(first);
            expect(render({ ...input, verdicts: [...verdicts].reverse() })).toBe(first);
        });
    }
});

describe("handoff report", () => {
    const text = handoffReport(input);
    it("has the tracking matrix with each phase's live state", () => {
        expect(text).toContain("| 1. Secrets & Merge | Kilo | Cline | Secrets report, PR approval, Env config | Secrets generated, PR ready, Config tested | 3 | 5 | 0 | 2 | BLOCKED: 5 items violated |");
        expect(text).toContain("| 3. Payments | Kilo | Cline |");
        expect(text).toMatch(/\| 3\. Payments .*\| 4 \| 0 \| 2 \| 5 \| upcoming: gates advisory \|/);
    });
    it("marks the items of a violated gate VIOLATED and a later phase's advisory finding open", () => {
        expect(text).toContain("| Secrets properly formatted and secure | gates p1-secret-strength | VIOLATED (p1-secret-strength) |");
        expect(text).toContain("| Payment dashboard operational | gates p3-payments-dashboard, p3-payment-failure-alert | open — not yet met, advisory until its phase (p3-payments-dashboard) |");
    });
    it("shows every manual item open with its owner, never passed", () => {
        for (const manual of manualCriteria()) {
            const row = text.split("\n").find((line) => line.startsWith(`| ${manual.criterion.replace(/\|/g, "\\|")} |`));
            expect(row, manual.criterion).toBeDefined();
            expect(row).toContain(`open — manual, to be confirmed by ${manual.owner}`);
            expect(row).not.toContain("| passed |");
        }
    });
    it("matches its golden file", () => golden("handoff.md", text));
});

describe("blockers report", () => {
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

describe("status report", () => {
    const text = statusReport(input);
    it("reports the phase, the blockers with their IDs and the next steps", () => {
        expect(text).toContain("- **Current phase**: 1 — Secrets & Merge (Kilo → Cline)");
        expect(text).toContain("- **Handoff readiness**: blocked by mandatory gates");
        const mandatory = verdicts.filter((x) => x.enforcement === "mandatory");
        for (const v of mandatory) expect(text).toContain(blockerId(v, mandatory));
        expect(text).toContain('- p1-secret-strength: set its "bytes" in vauntico:secrets to at least 32');
    });
    it("lists the open manual items of the phases reached, with owners", () => {
        expect(text).toContain("- [ ] Phase 1: Document secrets configuration in deployment guide — Kilo");
        expect(text).not.toContain("- [ ] Phase 2:");
    });
    it("when nothing blocks, points to the handoff meeting", () => {
        expect(statusReport(clean)).toContain("- Confirm the open manual items, then hold the formal handoff meeting from Kilo to Cline.");
    });
    it("matches its golden file", () => golden("status.md", text));
});
