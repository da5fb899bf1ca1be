import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { duration, measureMetrics, metricsJson, metricsMarkdown } from "../../../cli/reports/metrics.js";
import { ledgerMetrics, metricsInput, readMetricsHistory } from "../../../cli/reports/metricsInput.js";
import { runReport } from "../../../cli/report.js";
import { defaultContext } from "../../../cli/blockers/command.js";
import { runPlan } from "../../../cli/plan/index.js";
import { gateFacts } from "../../../policy/gates/index.js";
import {
    type LedgerRecord,
    type LedgerState,
    type ManualItemId,
    type PhaseNumber,
    ledgerState,
    manualProtocolItems,
    phaseByNumber,
} from "../../../policy/protocol/index.js";
import { deploymentSuccessMetrics } from "../../../policy/protocol/metrics.js";
import { acceptance, move, record, signOff, teams } from "../../support/ledgerFixtures.js";

const fixture = path.join(__dirname, "fixtures", "metricsHistory.json");

const receiver = (phase: PhaseNumber) => teams[phaseByNumber(phase).handedTo].lead;
const owner = (item: ManualItemId) => teams[manualProtocolItems().find((i) => i.id === item)?.owner ?? "Kilo"].lead;
const sign = (item: ManualItemId, at: string) => record("prod", signOff(item, owner(item), at));
/**
 * The stack's ledger: phase 1 accepted (score 5) and advanced, phase 2 accepted (score 4) and advanced, a second
 * 2 → 3 move a day later (invalid: the phase was 3 by then, so it counts for nothing), four sign-offs, one of them
 * by the wrong team (invalid).
 */
const ledgerRecords: LedgerRecord[] = [
    sign("p1.pr-merge-approval", "2026-11-19T12:00:00Z"),
    record("prod", acceptance(1, receiver(1), "2026-11-20T09:30:00Z", { score: 5 })),
    record("prod", move(1, 2, receiver(1), "2026-11-20T10:00:00Z")),
    sign("p2.alert-setup-verification", "2026-11-23T12:00:00Z"),
    sign("p2.alerting-tested", "2026-11-23T12:00:00Z"),
    record("prod", acceptance(2, receiver(2), "2026-11-24T16:00:00Z", { score: 4 })),
    record("prod", move(2, 3, receiver(2), "2026-11-25T09:00:00Z")),
    record("prod", move(2, 3, receiver(2), "2026-11-26T09:00:00Z")),
    sign("p3.payment-flow-diagrams", "2026-11-30T12:00:00Z"),
    record("prod", { ...signOff("p3.error-handling-procedures", "nobody-in-a-team", "2026-11-30T13:00:00Z") }),
];
const judged = (records: readonly LedgerRecord[]): LedgerState =>
    ledgerState(records, { teams, now: Date.parse("2026-12-02T07:00:00Z"), evidence: {}, gate: gateFacts });
const ledger = () => judged(ledgerRecords);
const input = () => metricsInput("prod", 3, readMetricsHistory(fixture), ledger());
const minutes = 60;
const hours = 3600;

describe("the ledger's part of the metrics", () => {
    it("only the entries the ledger's rules accept: the second 2 → 3 move and the stranger's sign-off count for nothing", () => {
        expect(ledgerMetrics(ledger())).toEqual({
            phaseMoves: [
                { from: 1, to: 2, at: "2026-11-20T10:00:00Z" },
                { from: 2, to: 3, at: "2026-11-25T09:00:00Z" },
            ],
            acceptances: [
                { phase: 1, at: "2026-11-20T09:30:00Z", score: 5 },
                { phase: 2, at: "2026-11-24T16:00:00Z", score: 4 },
            ],
            signOffs: [
                { item: "p1.pr-merge-approval", at: "2026-11-19T12:00:00Z" },
                { item: "p2.alert-setup-verification", at: "2026-11-23T12:00:00Z" },
                { item: "p2.alerting-tested", at: "2026-11-23T12:00:00Z" },
                { item: "p3.payment-flow-diagrams", at: "2026-11-30T12:00:00Z" },
            ],
        });
        expect(ledger().findings).toHaveLength(2);
    });
});

describe("the protocol's Deployment Success Metrics from blocker history and the ledger", () => {
    const m = measureMetrics(input());
    const row = (name: string) => m.metrics.find((r) => r.name === name);

    it("critical blocker resolution: A 90 min, B 150 min, C 20 min → median 90, worst 150, 2 of 3 under 2 h; F open 60 min; E waived; the High one left out", () => {
        expect(m.criticalBlockers).toEqual({
            resolved: 3,
            open: 1,
            waived: 1,
            medianSeconds: 90 * minutes,
            worstSeconds: 150 * minutes,
            shareUnderTarget: 2 / 3,
            oldestOpenSeconds: 60 * minutes,
        });
        expect(row("Blocker Resolution Time")?.met).toBe(false);
        expect(row("Blocker Resolution Time")?.measured).toBe(
            "3 critical resolved: median 1 h 30 min, worst 2 h 30 min, 66.7% under 2 h 00 min; 1 open (oldest 1 h 00 min); 1 waived",
        );
    });

    it("the resolution target holds only while every critical one (resolved or open) stays under 2 h", () => {
        const history = readMetricsHistory(fixture);
        const fast = history.blockers.filter((b) => b.id !== "BLOCKER-P1-BBBBBB");
        expect(measureMetrics(metricsInput("prod", 3, { ...history, blockers: fast }, ledger())).metrics[1]?.met).toBe(true);
        const openTooLong = { ...history, blockers: fast, asOf: "2026-12-02T08:00:00Z" };
        expect(measureMetrics(metricsInput("prod", 3, openTooLong, ledger())).metrics[1]?.met).toBe(false);
        const justUnder = { ...history, blockers: fast, asOf: "2026-12-02T07:59:59Z" };
        expect(measureMetrics(metricsInput("prod", 3, justUnder, ledger())).metrics[1]?.met).toBe(true);
    });

    it("highest escalation level reached: L3 (blocker B)", () => {
        expect(m.highestEscalationLevel).toBe(3);
    });

    it("phase completion: 1 accepted (no move into it recorded), 2 took 4 days 6 h from its first move, 3 not accepted; 2 of 3 → not met", () => {
        expect(m.phases.slice(0, 3)).toEqual([
            { phase: 1, startedAt: null, acceptedAt: "2026-11-20T09:30:00Z", seconds: null, score: 5 },
            { phase: 2, startedAt: "2026-11-20T10:00:00Z", acceptedAt: "2026-11-24T16:00:00Z", seconds: 4 * 24 * hours + 6 * hours, score: 4 },
            { phase: 3, startedAt: "2026-11-25T09:00:00Z", acceptedAt: null, seconds: null, score: null },
        ]);
        expect(row("Phase Completion Rate")?.met).toBe(false);
        expect(row("Phase Completion Rate")?.measured).toContain("2 of 3 phases started are accepted (66.7%)");
    });

    it("handoff quality: scores 5 and 4 → mean 4.5 of 5 = 90%, exactly the target → met; 4.4 would not be", () => {
        expect(m.handoffQuality).toEqual({ acceptances: 2, meanScore: 4.5, share: 0.9 });
        expect(row("Handoff Quality Score")?.met).toBe(true);
        const lower = judged([...ledgerRecords, record("prod", acceptance(3, receiver(3), "2026-12-01T00:00:00Z", { score: 4 }))]);
        const measured = measureMetrics(metricsInput("prod", 3, readMetricsHistory(fixture), lower));
        expect(measured.handoffQuality.meanScore).toBeCloseTo(13 / 3, 10);
        expect(measured.metrics[2]?.met).toBe(false);
    });

    it("documentation: 5 manual artifacts asked in phases ≤ 3, 3 signed off, the 2 missing named", () => {
        expect(m.documentation).toEqual({
            asked: 5,
            produced: 3,
            missing: ["p3.payment-integration-documentation (Payment integration documentation)", "p3.error-handling-procedures (Error handling procedures)"],
        });
        expect(row("Documentation Completeness")?.met).toBe(false);
    });

    it("stakeholder satisfaction is listed as not measured, never as met", () => {
        expect(row("Stakeholder Satisfaction")?.met).toBeNull();
        expect(m.metrics.map((r) => r.name)).toEqual(deploymentSuccessMetrics.map((d) => d.name));
    });

    it("same input, same bytes (Markdown and JSON); without asOf the latest recorded time is used, not the clock", () => {
        expect(metricsMarkdown(measureMetrics(input()))).toBe(metricsMarkdown(measureMetrics(input())));
        expect(metricsJson(measureMetrics(input()))).toBe(metricsJson(measureMetrics(input())));
        const { asOf: _asOf, ...rest } = readMetricsHistory(fixture);
        expect(measureMetrics(metricsInput("prod", 3, rest, ledger())).asOf).toBe("2026-12-02T06:00:00.000Z");
        expect(JSON.parse(metricsJson(m))).toEqual(JSON.parse(JSON.stringify(m)));
        expect(metricsMarkdown(m)).toContain(
            "| Handoff Quality Score | 90%+ satisfaction from receiving team | mean acceptance score 4.5 of 5 over 2 (90%) | yes |",
        );
        expect(metricsMarkdown(m)).toContain("| 2 | 2026-11-20T10:00:00Z | 2026-11-24T16:00:00Z | 102 h 00 min | 4/5 |");
    });

    it("the numeric targets say what the protocol's words say", () => {
        const byName = new Map(deploymentSuccessMetrics.map((d) => [d.name, d]));
        expect(byName.get("Blocker Resolution Time")?.threshold).toEqual({ kind: "below-seconds", seconds: 2 * hours });
        expect(byName.get("Blocker Resolution Time")?.target).toContain("< 2 hours");
        expect(byName.get("Handoff Quality Score")?.threshold).toEqual({ kind: "at-least-share", share: 0.9 });
        expect(byName.get("Handoff Quality Score")?.target).toContain("90%+");
        expect(byName.get("Phase Completion Rate")?.target).toContain("100%");
        expect(duration(59)).toBe("0 min");
        expect(duration(3599)).toBe("59 min");
        expect(duration(3600)).toBe("1 h 00 min");
    });

    it("a history file with a bad entry is refused, naming where", () => {
        expect(() => readMetricsHistory(path.join(__dirname, "fixtures", "missing.json"))).toThrow(/--history: cannot read/);
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "metrics-")), "history.json");
        fs.writeFileSync(
            file,
            JSON.stringify({
                blockers: [
                    {
                        id: "BLOCKER-P1-AAAAAA",
                        severity: "Critical",
                        openedAt: "2026-12-01T08:00:00Z",
                        resolvedAt: null,
                        waived: false,
                        levels: [{ level: 5, at: "2026-12-01T08:00:00Z" }],
                    },
                ],
            }),
        );
        expect(() => readMetricsHistory(file)).toThrow(/blockers\.0\.levels\.0\.level: /);
        // The ledger's part is read from the stack's ledger only: a history file carrying it is refused.
        fs.writeFileSync(file, JSON.stringify({ acceptances: [{ phase: 2, at: "2026-11-24T16:00:00Z", score: 4 }] }));
        expect(() => readMetricsHistory(file)).toThrow(/\(root\): Unrecognized key.*acceptances/);
    });
});

describe("npm run report -- metrics", () => {
    it("--history FILE --json: the stack's phase from Pulumi.prod.yaml (1), same bytes twice; Markdown by default", async () => {
        const run = async (argv: string[]) => {
            const out: string[] = [];
            const code = await runReport(argv, { ...defaultContext, out: (t) => out.push(t), err: () => undefined });
            return { code, text: out.join("") };
        };
        const first = await run(["metrics", "--history", fixture, "--json"]);
        const second = await run(["metrics", "--history", fixture, "--json"]);
        expect(first.code).toBe(0);
        expect(first.text).toBe(second.text);
        expect(JSON.parse(first.text).documentation).toMatchObject({ asked: 1 });
        const markdown = await run(["metrics", "--history", fixture]);
        expect(markdown.text).toMatch(/^# Deployment Success Metrics — stack prod\n/);
    });

    it("the ledger part comes from the stack's ledger (the plan's), the blockers from --history", async () => {
        const out: string[] = [];
        const plan = (stack: string) => runPlan({ stack, ledger: { stack, records: ledgerRecords, evidence: {} }, serializeDynamicProviders: false });
        const code = await runReport(["metrics", "--history", fixture, "--json"], { ...defaultContext, out: (t) => out.push(t), err: () => undefined }, plan);
        expect(code).toBe(0);
        const measured = JSON.parse(out.join(""));
        // Blockers from the file: A 90, B 150, C 20 min resolved.
        expect(measured.criticalBlockers).toMatchObject({ resolved: 3, medianSeconds: 90 * minutes, worstSeconds: 150 * minutes });
        // Phase 2: first move 2026-11-20T10:00, accepted 2026-11-24T16:00 → 4 days 6 h; scores 5 and 4 → 4.5.
        expect(measured.phases[1]).toEqual({
            phase: 2,
            startedAt: "2026-11-20T10:00:00Z",
            acceptedAt: "2026-11-24T16:00:00Z",
            seconds: 4 * 24 * hours + 6 * hours,
            score: 4,
        });
        expect(measured.handoffQuality).toEqual({ acceptances: 2, meanScore: 4.5, share: 0.9 });
        // Pulumi.prod.yaml is at phase 1: phase 1's manual artifact asked, and signed in the ledger.
        expect(measured.documentation).toEqual({ asked: 1, produced: 1, missing: [] });
    });
});
