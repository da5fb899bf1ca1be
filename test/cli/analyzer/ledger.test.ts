import { describe, expect, it } from "vitest";
import { emptyLedgerView, evidenceText, ledgerContext, ledgerView, openManualItems, planLedgerState } from "../../../cli/analyzer/ledger.js";
import { gateFacts } from "../../../policy/gates/index.js";
import { type LedgerRecord, handoffNow, ledgerState, manualProtocolItems } from "../../../policy/protocol/index.js";
import { acceptance, record, signOff, teams, waiver } from "../../support/ledgerFixtures.js";

/** The stack config's teams (StackConfig's own, mutable shape). */
const stackTeams = {
    Kilo: { slug: "kilo-dev", lead: teams.Kilo.lead, members: [...teams.Kilo.members] },
    Cline: { slug: "cline-ops", lead: teams.Cline.lead, members: [...teams.Cline.members] },
};
const now = Date.parse("2026-12-02T07:00:00Z");
const stateOf = (records: readonly LedgerRecord[]) => ledgerState(records, { teams, now, evidence: {}, gate: gateFacts });
const firstOfPhase = (phase: number) => {
    const item = manualProtocolItems().find((i) => i.phase === phase);
    if (item === undefined) throw new Error(`no manual item in phase ${phase}`);
    return item;
};

describe("ledgerContext and planLedgerState", () => {
    it("hand the ledger rules the stack's teams, the clock, the evidence hashes and the gates' facts", () => {
        const evidence = { "handoff/evidence/a.md": "ab" };
        expect(ledgerContext({ teams: stackTeams }, { evidence }, 42)).toEqual({ teams: stackTeams, now: 42, evidence, gate: gateFacts });
        const defaulted = ledgerContext({ teams: stackTeams }, { evidence });
        expect(Math.abs(defaulted.now - handoffNow())).toBeLessThan(60_000);
    });
    it("judge a plan's ledger at the clock given: a waiver is active before its expiry and expired after", () => {
        const records = [record("prod", waiver("p3-payments-dashboard", "stack", "cline-ops-lead", "2026-12-01T11:00:00Z", "2026-12-08T11:00:00Z"))];
        const plan = { ledger: { stack: "prod", records, evidence: {} }, stackConfig: { teams: stackTeams } };
        expect(planLedgerState(plan, Date.parse("2026-12-02T00:00:00Z")).waivers.map((w) => w.active)).toEqual([true]);
        expect(planLedgerState(plan, Date.parse("2026-12-09T00:00:00Z")).waivers.map((w) => w.active)).toEqual([false]);
    });
});

describe("openManualItems", () => {
    it("are the manual items of phases up to the given one that no valid sign-off confirms", () => {
        const upTo2 = manualProtocolItems().filter((i) => i.phase <= 2);
        const empty = stateOf([]);
        expect(openManualItems(empty, 2)).toEqual(upTo2);
        expect(openManualItems(empty, 1)).toEqual(manualProtocolItems().filter((i) => i.phase === 1));
        expect(openManualItems(empty, 0)).toEqual([]);
        const item = firstOfPhase(1);
        const signed = stateOf([record("prod", signOff(item.id, teams[item.owner].lead, "2026-12-01T10:00:00Z"))]);
        expect(openManualItems(signed, 2)).toEqual(upTo2.filter((i) => i.id !== item.id));
    });
});

describe("evidenceText", () => {
    it("is a URL as given, a file as its path with the first 12 hex of its hash, nothing without evidence", () => {
        expect(evidenceText({ url: "https://example.org/r" })).toBe("https://example.org/r");
        expect(evidenceText({ path: "handoff/evidence/r.md", sha256: "0123456789abcdef".repeat(4) })).toBe("handoff/evidence/r.md (sha256 0123456789ab…)");
        expect(evidenceText(undefined)).toBeUndefined();
    });
});

describe("ledgerView", () => {
    const item = firstOfPhase(1);
    const records = [
        record("prod", signOff(item.id, teams[item.owner].lead, "2026-12-01T10:00:00Z", { id: "sign-1", evidence: { url: "https://e.org/x" } })),
        record(
            "prod",
            waiver("p3-payments-dashboard", "stack", "cline-ops-lead", "2026-12-01T11:00:00Z", "2026-12-08T11:00:00Z", {
                id: "w-active",
                blocker: "BLOCKER-P3-0A1B2C",
            }),
        ),
        record("prod", waiver("p2-webhooks-dashboard", "stack", "kilo-dev-lead", "2026-11-20T11:00:00Z", "2026-11-27T11:00:00Z", { id: "w-expired" })),
        record("prod", waiver("p3-payments-dashboard", "stack", "nobody", "2026-12-01T11:00:00Z", "2026-12-08T11:00:00Z", { id: "w-invalid" })),
        record("prod", acceptance(2, "kilo-dev-lead", "2026-12-01T12:00:00Z", { id: "accept-2", score: 4 })),
        record("prod", acceptance(1, "cline-ops-lead", "2026-12-01T12:30:00Z", { id: "accept-1", score: 5 })),
    ];
    const state = stateOf(records);
    const view = ledgerView(state);

    it("lists confirmed items with their sign-off, evidence as text", () => {
        expect(view.confirmed).toEqual([
            {
                entry: "sign-1",
                id: item.id,
                phase: 1,
                text: item.text,
                owner: item.owner,
                by: teams[item.owner].lead,
                at: "2026-12-01T10:00:00Z",
                evidence: "https://e.org/x",
            },
        ]);
        const bare = ledgerView(stateOf([record("prod", signOff(item.id, teams[item.owner].lead, "2026-12-01T10:00:00Z"))]));
        expect(bare.confirmed[0]).not.toHaveProperty("evidence");
    });
    it("lists acceptances by phase, with the meeting of a formal one only", () => {
        expect(view.accepted.map((a) => [a.entry, a.phase, a.score])).toEqual([
            ["accept-1", 1, 5],
            ["accept-2", 2, 4],
        ]);
        expect(view.accepted[0]?.meeting).toEqual({ date: "2026-12-01", attendees: [teams.Kilo.lead, teams.Cline.lead] });
        expect(view.accepted[1]).not.toHaveProperty("meeting");
    });
    it("words each waiver's state: active, expired (valid but past), invalid; the blocker only when given", () => {
        expect(view.waivers.map((w) => [w.entry, w.state])).toEqual([
            ["w-expired", "expired"],
            ["w-active", "active"],
            ["w-invalid", "invalid"],
        ]);
        const active = view.waivers.find((w) => w.entry === "w-active");
        expect(active).toEqual({
            entry: "w-active",
            gate: "p3-payments-dashboard",
            resource: "stack",
            by: "cline-ops-lead",
            at: "2026-12-01T11:00:00Z",
            expires: "2026-12-08T11:00:00Z",
            reason: "fix scheduled",
            blocker: "BLOCKER-P3-0A1B2C",
            state: "active",
        });
        expect(view.waivers.find((w) => w.entry === "w-expired")).not.toHaveProperty("blocker");
    });
    it("carries the phase, findings, history and the quality score (mean score / 5) of the state", () => {
        expect(view.phase).toBe(state.phase);
        expect(view.findings).toBe(state.findings);
        expect(view.findings.length).toBeGreaterThan(0);
        expect(view.history).toBe(state.history);
        expect(view.qualityScore).toBe((4 + 5) / 2 / 5);
    });
    it("of an empty ledger is phase 1 with nothing in it", () => {
        expect(emptyLedgerView()).toEqual({ phase: 1, confirmed: [], accepted: [], waivers: [], findings: [], history: [], qualityScore: null });
        expect(ledgerView(stateOf([]))).toEqual(emptyLedgerView());
    });
});
