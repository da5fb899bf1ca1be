import { describe, expect, it } from "vitest";
import { gateFacts } from "../../../policy/gates/index.js";
import {
    type LedgerContext, type LedgerRecord, handoffNow, handoffQualityScore, ledgerState, manualProtocolItems, openItems, phasePrerequisites, teamOf, waiverCovers,
} from "../../../policy/protocol/index.js";
import { acceptance, at, ledgerUpTo, move, record, signOff, teams, waiver } from "../../support/ledgerFixtures.js";

const day = 24 * 3600 * 1000;
const context = (now = Date.parse(at(0)), evidence: Record<string, string | null> = {}): LedgerContext => ({ teams, now, evidence, gate: gateFacts });
const state = (entries: Parameters<typeof record>[1][], ctx = context()) => ledgerState(entries.map((e) => record("prod", e)), ctx);

describe("sign-offs", () => {
    it("a member of the owner team confirms the item; logins compare case-insensitively", () => {
        const s = state([signOff("p1.secrets-documented", "Kilo-Dev-Engineer", at(1))]);
        expect(s.confirmations.has("p1.secrets-documented")).toBe(true);
        expect(s.findings).toEqual([]);
        expect(teamOf("CLINE-OPS-LEAD", teams)).toBe("Cline");
        expect(teamOf("stranger", teams)).toBeUndefined();
    });
    it("a signer from the other team or from neither is a finding naming the entry and the valid signers, and confirms nothing", () => {
        for (const by of ["cline-ops-lead", "stranger"]) {
            const entry = signOff("p1.secrets-documented", by, at(1));
            const s = state([entry]);
            expect(s.confirmations.size).toBe(0);
            expect(s.findings).toEqual([expect.objectContaining({ entry: entry.id, file: "handoff/prod/sign-offs/kilo.yaml", problem: expect.stringContaining(`by ${by}`), valid: expect.stringContaining("a member of Kilo (kilo-dev-lead, kilo-dev-engineer)") })]);
        }
    });
    it("a sign-off written into the other team's file is a finding", () => {
        const entry = signOff("p1.secrets-documented", "kilo-dev-lead", at(1));
        const s = ledgerState([{ file: "handoff/prod/sign-offs/cline.yaml", entry }], context());
        expect(s.findings[0]?.problem).toContain("recorded in handoff/prod/sign-offs/cline.yaml");
    });
    it("evidence must still hash as signed; a missing file fails too", () => {
        const entry = signOff("p1.secrets-documented", "kilo-dev-lead", at(1), { evidence: { path: "handoff/evidence/a.md", sha256: "a".repeat(64) } });
        expect(state([entry], context(undefined, { "handoff/evidence/a.md": "a".repeat(64) })).findings).toEqual([]);
        expect(state([entry], context(undefined, { "handoff/evidence/a.md": "b".repeat(64) })).findings[0]?.problem).toContain(`has SHA-256 ${"b".repeat(64)}, not the ${"a".repeat(64)} signed`);
        expect(state([entry], context(undefined, { "handoff/evidence/a.md": null })).findings[0]?.problem).toContain("is missing");
    });
});

describe("acceptances", () => {
    it("by the receiving team, with the meeting of a critical phase, counts", () => {
        expect(state([acceptance(1, "cline-ops-engineer", at(1))]).acceptances.get(1)?.score).toBe(5);
        expect(state([acceptance(2, "kilo-dev-engineer", at(1))]).acceptances.has(2)).toBe(true);
    });
    it("by the handing team is a finding saying so and naming the receiving team", () => {
        const entry = acceptance(1, "kilo-dev-lead", at(1));
        const s = state([entry]);
        expect(s.acceptances.size).toBe(0);
        expect(s.findings[0]).toMatchObject({ entry: entry.id, problem: expect.stringContaining("the handing team"), valid: expect.stringContaining("a member of Cline") });
    });
    it("of a critical phase without a meeting, or with attendees from one team, is a finding; phase 2 needs none", () => {
        const { meeting: _, ...withoutMeeting } = acceptance(3, "cline-ops-lead", at(1));
        expect(state([withoutMeeting]).findings[0]?.problem).toContain("no handoff meeting");
        expect(state([acceptance(3, "cline-ops-lead", at(1), { meeting: { date: "2026-12-01", attendees: ["cline-ops-lead", "cline-ops-engineer"] } })]).findings[0]?.problem).toContain("from Cline only");
        expect(state([acceptance(3, "cline-ops-lead", at(1), { meeting: { date: "2026-12-01", attendees: ["cline-ops-lead", "stranger"] } })]).findings[0]?.problem).toContain("stranger");
        expect(state([acceptance(2, "kilo-dev-lead", at(1))]).findings).toEqual([]);
    });
});

describe("waivers", () => {
    const written = at(0);
    it("approved by the team that does not own the gate, up to exactly 14 days, is valid and active until its expiry", () => {
        const expires = new Date(Date.parse(written) + 14 * day).toISOString();
        const entry = waiver("p3-payments-dashboard", "stack", "cline-ops-lead", written, expires);
        const expiry = Date.parse(expires);
        expect(state([entry], context(expiry)).waivers[0]).toMatchObject({ valid: true, active: true });
        expect(state([entry], context(expiry + 1000)).waivers[0]).toMatchObject({ valid: true, active: false });
        expect(state([entry], context(expiry + 1000)).findings).toEqual([]);
    });
    it("one second beyond 14 days is a finding", () => {
        const entry = waiver("p3-payments-dashboard", "stack", "cline-ops-lead", written, new Date(Date.parse(written) + 14 * day + 1000).toISOString());
        expect(state([entry]).findings[0]?.problem).toContain("more than 14 days");
        expect(state([entry]).waivers[0]).toMatchObject({ valid: false, active: false });
    });
    it("approved by the owner team, or by nobody's member, is a finding", () => {
        for (const by of ["kilo-dev-lead", "stranger"]) {
            const s = state([waiver("p3-payments-dashboard", "stack", by, written, at(60))]);
            expect(s.findings[0]?.valid).toContain("approval by a member of Cline");
        }
    });
    it("of a non-waivable gate is a finding", () => {
        for (const gate of ["p1-secret-strength", "p5-live-payment-keys-only-at-phase-5", "handoff-ledger-phase"] as const) {
            expect(state([waiver(gate, "stack", "cline-ops-lead", written, at(60))]).findings[0]?.problem, gate).toContain("can never be waived");
        }
    });
    it("covers its resource by URN, by name, or `stack` for a stack-wide finding — nothing else", () => {
        const urn = "urn:pulumi:prod::p::t::endpoint";
        expect(waiverCovers(urn, urn, undefined)).toBe(true);
        expect(waiverCovers("endpoint", urn, undefined)).toBe(true);
        expect(waiverCovers("endpoint", urn, "endpoint")).toBe(true);
        expect(waiverCovers("endpoint-2", urn, "endpoint")).toBe(false);
        expect(waiverCovers("stack", urn, "endpoint")).toBe(false);
        expect(waiverCovers("stack", undefined, undefined)).toBe(true);
        expect(waiverCovers("endpoint", undefined, undefined)).toBe(false);
    });
});

describe("phase moves and the ledger's phase", () => {
    it("an empty ledger is at phase 1; a legitimate ledger reaches its phase with nothing missing", () => {
        expect(state([]).phase).toBe(1);
        const s = ledgerState(ledgerUpTo(4), context());
        expect(s.phase).toBe(4);
        expect(s.findings).toEqual([]);
        expect(phasePrerequisites(s, 4)).toEqual([]);
        expect(openItems(s, 3)).toEqual([]);
    });
    it("an advance with an unsigned item reaches the phase but the prerequisites name the item", () => {
        const records: LedgerRecord[] = ledgerUpTo(2).filter((r) => !(r.entry.kind === "sign-off" && r.entry.item === "p1.secrets-documented"));
        const s = ledgerState(records, context());
        expect(s.phase).toBe(2);
        expect(phasePrerequisites(s, 2)).toEqual([{ phase: 1, accepted: true, unsigned: [expect.objectContaining({ id: "p1.secrets-documented" })] }]);
    });
    it("an advance skipping a phase, from the wrong phase, or by the handing team is a finding and moves nothing", () => {
        for (const entry of [move(1, 3, "cline-ops-lead", at(1)), move(2, 3, "kilo-dev-lead", at(1)), move(1, 2, "kilo-dev-lead", at(1))]) {
            const s = state([entry]);
            expect(s.phase, entry.id).toBe(1);
            expect(s.findings[0]?.entry).toBe(entry.id);
        }
    });
    it("a rollback needs a second person from the other team, and a reason", () => {
        const base = ledgerUpTo(3).map((r) => r.entry);
        const valid = move(3, 2, "kilo-dev-lead", at(500), { second: "cline-ops-engineer", reason: "payments regressed" });
        expect(state([...base, valid]).phase).toBe(2);
        for (const bad of [move(3, 2, "kilo-dev-lead", at(500), { reason: "r" }), move(3, 2, "kilo-dev-lead", at(500), { second: "kilo-dev-engineer", reason: "r" }),
            move(3, 2, "kilo-dev-lead", at(500), { second: "cline-ops-engineer" })]) {
            const s = state([...base, bad]);
            expect(s.phase).toBe(3);
            expect(s.findings.map((f) => f.entry)).toEqual([bad.id]);
        }
    });
});

describe("Handoff Quality Score", () => {
    it("is the mean acceptance score over 5; null before any acceptance", () => {
        expect(handoffQualityScore(state([]))).toBeNull();
        expect(handoffQualityScore(state([acceptance(1, "cline-ops-lead", at(1), { score: 4 }), acceptance(2, "kilo-dev-lead", at(2), { score: 5 })]))).toBeCloseTo(0.9);
    });
});

describe("the handoff clock", () => {
    it("reads VAUNTICO_HANDOFF_NOW, else the system clock; a bad value names the variable", () => {
        expect(handoffNow({ VAUNTICO_HANDOFF_NOW: "2026-12-02T07:00:00Z" })).toBe(Date.parse("2026-12-02T07:00:00Z"));
        const before = Date.now();
        expect(handoffNow({})).toBeGreaterThanOrEqual(before);
        expect(() => handoffNow({ VAUNTICO_HANDOFF_NOW: "tomorrow" })).toThrow(/VAUNTICO_HANDOFF_NOW/);
    });
    it("every manual item has an owner the teams can sign for", () => {
        for (const item of manualProtocolItems()) expect(teams[item.owner].members.length).toBeGreaterThan(0);
    });
});
