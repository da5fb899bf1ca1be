import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { type GateReportInput, type Verdict, blockerId, ledgerView, manualCriteria, secretnessVerdicts } from "../../../cli/analyzer/index.js";
import { auditReport } from "../../../cli/reports/audit.js";
import { gateFacts } from "../../../policy/gates/index.js";
import { ledgerState, manualProtocolItems } from "../../../policy/protocol/index.js";
import { acceptance, record, signOff, teams, waiver } from "../../support/ledgerFixtures.js";
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
/** A ledger with a sign-off (with evidence), an invalid sign-off, an active and an expired waiver, judged at a fixed time. */
const evidenceHash = "5f".repeat(32);
const ledger = ledgerView(ledgerState([
    record("prod", signOff("p1.secrets-documented", "kilo-dev-engineer", "2026-12-01T10:00:00Z", { id: "sign-secrets-report", evidence: { path: "handoff/evidence/secrets-report.md", sha256: evidenceHash } })),
    record("prod", signOff("p1.secrets-config-documented", "cline-ops-lead", "2026-12-01T10:05:00Z", { id: "sign-by-wrong-team" })),
    record("prod", waiver("p3-payments-dashboard", "stack", "cline-ops-lead", "2026-12-01T11:00:00Z", "2026-12-08T11:00:00Z", { id: "waive-dashboard", reason: "dashboard ships Friday", blocker: "BLOCKER-P3-0A1B2C" })),
    record("prod", waiver("p2-webhooks-dashboard", "stack", "kilo-dev-lead", "2026-11-20T11:00:00Z", "2026-11-27T11:00:00Z", { id: "waive-old" })),
    record("prod", acceptance(2, "kilo-dev-lead", "2026-12-01T12:00:00Z", { id: "accept-2", score: 4 })),
], { teams, now: Date.parse("2026-12-02T07:00:00Z"), evidence: { "handoff/evidence/secrets-report.md": evidenceHash }, gate: gateFacts }));
const input: GateReportInput = {
    protocol,
    plan: { stack: "prod", project: "vauntico-deploy", phase: 1, resources: [{ urn: secretUrn, type: "random:index/randomBytes:RandomBytes", name: "deployment-secrets-jwt_secret" }] },
    verdicts,
    ledger,
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
        expect(text).toContain("| 1. Secrets & Merge | Kilo | Cline | Secrets report, PR approval, Env config | Secrets generated, PR ready, Config tested | 3 | 5 | 0 | 1 | 1 | BLOCKED: 5 items violated |");
        expect(text).toContain("| 3. Payments | Kilo | Cline |");
        expect(text).toMatch(/\| 3\. Payments .*\| 4 \| 0 \| 2 \| 5 \| 0 \| upcoming: gates advisory \|/);
        expect(text).toMatch(/\| 2\. Validation .*\| accepted by kilo-dev-lead \(4\/5\) \|/);
    });
    it("marks the items of a violated gate VIOLATED and a later phase's advisory finding open", () => {
        expect(text).toContain("| Secrets properly formatted and secure | gates p1-secret-strength | VIOLATED (p1-secret-strength) |");
        expect(text).toContain("| Payment dashboard operational | gates p3-payments-dashboard, p3-payment-failure-alert | open — not yet met, advisory until its phase (p3-payments-dashboard) |");
    });
    it("shows a signed-off item confirmed with who, when and evidence; an invalid sign-off confirms nothing", () => {
        expect(text).toContain("| Document all generated secrets in `SECRETS_GENERATION_REPORT.md` | manual: publish the output of `npm run report -- secrets` as SECRETS_GENERATION_REPORT.md | confirmed by kilo-dev-engineer at 2026-12-01T10:00:00Z (evidence handoff/evidence/secrets-report.md (sha256 5f5f5f5f5f5f…)) |");
        expect(text).toContain("| Document secrets configuration in deployment guide | manual: link the secrets report from the deployment guide | open — manual, to be confirmed by Kilo |");
        expect(text).toContain("- `handoff/prod/sign-offs/kilo.yaml` entry **sign-by-wrong-team**: sign-off of p1.secrets-config-documented by cline-ops-lead (Cline)");
    });
    it("opens with a Mermaid picture of the five phases coloured by state, with open items and active waivers counted", () => {
        const picture = text.slice(text.indexOf("```mermaid"), text.indexOf("```", text.indexOf("```mermaid") + 3) + 3);
        expect(text.indexOf("```mermaid")).toBeLessThan(text.indexOf("| Phase |"));
        expect(picture).toContain('P1["1. Secrets & Merge<br/>Kilo → Cline<br/>blocked: 2 violations<br/>open items: 2 · active waivers: 0"]');
        expect(picture).toContain('P3["3. Payments<br/>Kilo → Cline<br/>upcoming<br/>open items: 8 · active waivers: 1"]');
        expect(picture).toContain('P2 -->|"Cline → Kilo: accepted 4/5"| P3');
        expect(picture).toContain("class P1 blocked");
        expect(picture).toContain("class P2 accepted");
        expect(picture).toContain("class P4 upcoming");
        expect(handoffReport(clean)).toContain("class P1 current");
    });
    it("lists the active and the expired waiver", () => {
        expect(text).toContain("| active | `p3-payments-dashboard` | stack | cline-ops-lead | 2026-12-08T11:00:00Z | dashboard ships Friday | BLOCKER-P3-0A1B2C | waive-dashboard |");
        expect(text).toContain("| expired | `p2-webhooks-dashboard` | stack | kilo-dev-lead | 2026-11-27T11:00:00Z |");
    });
    it("shows every unconfirmed manual item open with its owner, never passed", () => {
        for (const manual of manualCriteria().filter((m) => m.criterion !== "Document all generated secrets in `SECRETS_GENERATION_REPORT.md`")) {
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
        // (The waiver of p3-payments-dashboard shows in the ledger section, after the reports.)
        expect(text.slice(0, text.indexOf("## Handoff ledger"))).not.toContain("p3-payments-dashboard");
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
    it("shows the ledger: confirmed items, accepted phases, active and expired waivers", () => {
        expect(text).toContain("### Waivers (1 active, 1 expired or invalid)");
        expect(text).toContain("| 1 | `p1.secrets-documented` Document all generated secrets in `SECRETS_GENERATION_REPORT.md` | Kilo | kilo-dev-engineer | 2026-12-01T10:00:00Z |");
        expect(text).toContain("| 2 | kilo-dev-lead | 2026-12-01T12:00:00Z | 4/5 | asynchronous |");
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
    it("lists the open manual items of the phases reached, with owners — a confirmed one no longer", () => {
        expect(text).toContain("- [ ] Phase 1: Document secrets configuration in deployment guide — Kilo (`npm run handoff -- sign p1.secrets-config-documented --by LOGIN`)");
        expect(text).not.toContain("- [ ] Phase 1: Document all generated secrets");
        expect(text).not.toContain("- [ ] Phase 2:");
    });
    it("computes the Handoff Quality Score against the 90% target: mean score / 5", () => {
        expect(text).toContain("- **Handoff Quality Score**: mean acceptance score 4.00/5 over 1 accepted phase = 80% (target 90%+): BELOW the target");
        expect(statusReport({ ...input, ledger: { ...ledger, accepted: [], qualityScore: null } })).toContain("- **Handoff Quality Score**: no phase accepted yet (target 90%+)");
        expect(statusReport({ ...input, ledger: { ...ledger, qualityScore: 0.9 } })).toContain("= 90% (target 90%+): meets the target");
    });
    it("when nothing blocks, points to the handoff meeting", () => {
        expect(statusReport(clean)).toContain("- Confirm the open manual items, then hold the formal handoff meeting from Kilo to Cline.");
    });
    it("matches its golden file", () => golden("status.md", text));
});

describe("audit report", () => {
    const text = auditReport({ stack: "prod", project: "vauntico-deploy", ledger });
    it("prints every entry in order of time, who did what, and whether it is valid", () => {
        const rows = text.split("\n").filter((line) => /^\| \d+ \|/.test(line));
        expect(rows.map((row) => row.split(" | ")[3])).toEqual(["waive-old", "sign-secrets-report", "sign-by-wrong-team", "waive-dashboard", "accept-2"]);
        expect(rows[1]).toContain(`signed off \`p1.secrets-documented\` (evidence handoff/evidence/secrets-report.md, sha256 ${evidenceHash})`);
        expect(rows[2]).toContain("INVALID: sign-off of p1.secrets-config-documented by cline-ops-lead (Cline)");
        expect(rows[4]).toContain("accepted phase 2, score 4/5 | handoff/prod/acceptances.yaml | valid |");
    });
    it("is pure and says so when the ledger is empty", () => {
        expect(auditReport({ stack: "prod", project: "vauntico-deploy", ledger })).toBe(text);
        expect(auditReport({ stack: "prod", project: "vauntico-deploy", ledger: ledgerView(ledgerState([], { teams, now: 0, evidence: {}, gate: gateFacts })) })).toContain("No entry yet.");
        expect(manualProtocolItems().length).toBeGreaterThan(0);
    });
});
