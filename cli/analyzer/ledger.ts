import { gateFacts } from "../../policy/gates/index.js";
import {
    type EntryFinding,
    type Evidence,
    type LedgerContext,
    type LedgerRecord,
    type LedgerState,
    type ManualProtocolItem,
    type Meeting,
    type PhaseNumber,
    type TeamName,
    handoffNow,
    handoffQualityScore,
    ledgerState,
    manualProtocolItems,
} from "../../policy/protocol/index.js";
import type { Ledger, StackConfig } from "../../stacks/index.js";

/** The ledger rules' context for a stack: its teams, the one clock, the evidence hashes the program computed. */
export function ledgerContext(config: Pick<StackConfig, "teams">, ledger: Pick<Ledger, "evidence">, now: number = handoffNow()): LedgerContext {
    return { teams: config.teams, now, evidence: ledger.evidence, gate: gateFacts };
}

/** What the ledger of a plan says at `now` (the handoff clock by default), judged as the gates judge it. */
export function planLedgerState(plan: { ledger: Ledger; stackConfig: Pick<StackConfig, "teams"> }, now: number = handoffNow()): LedgerState {
    return ledgerState(plan.ledger.records, ledgerContext(plan.stackConfig, plan.ledger, now));
}

/** Manual items of phases up to `phase` that no valid sign-off confirms: what is really open. */
export function openManualItems(state: LedgerState, phase: number): ManualProtocolItem[] {
    return manualProtocolItems().filter((item) => item.phase <= phase && !state.confirmations.has(item.id));
}

/** What the reports show of the ledger: a plain snapshot of its state at the run's clock (reports carry no clock). */
export interface LedgerView {
    /** The phase the ledger's moves reached. */
    phase: PhaseNumber;
    confirmed: { entry: string; id: string; phase: PhaseNumber; text: string; owner: TeamName; by: string; at: string; evidence?: string }[];
    accepted: { entry: string; phase: PhaseNumber; by: string; at: string; score: number; meeting?: Meeting }[];
    waivers: {
        entry: string;
        gate: string;
        resource: string;
        by: string;
        at: string;
        expires: string;
        reason: string;
        blocker?: string;
        state: "active" | "expired" | "invalid";
    }[];
    /** Entries that break a rule. */
    findings: readonly EntryFinding[];
    /** Every entry in history order, with its file. */
    history: readonly LedgerRecord[];
    /** Mean acceptance score / 5; null before any acceptance. */
    qualityScore: number | null;
}

export function evidenceText(evidence: Evidence | undefined): string | undefined {
    if (evidence === undefined) return undefined;
    return "url" in evidence ? evidence.url : `${evidence.path} (sha256 ${evidence.sha256.slice(0, 12)}…)`;
}

export function ledgerView(state: LedgerState): LedgerView {
    const items = manualProtocolItems();
    return {
        phase: state.phase,
        confirmed: items.flatMap((item) => {
            const signed = state.confirmations.get(item.id);
            if (!signed) return [];
            const evidence = evidenceText(signed.evidence);
            return [
                {
                    entry: signed.id,
                    id: item.id,
                    phase: item.phase,
                    text: item.text,
                    owner: item.owner,
                    by: signed.by,
                    at: signed.at,
                    ...(evidence !== undefined ? { evidence } : {}),
                },
            ];
        }),
        accepted: [...state.acceptances.values()]
            .sort((a, b) => a.phase - b.phase)
            .map((a) => ({ entry: a.id, phase: a.phase, by: a.by, at: a.at, score: a.score, ...(a.meeting ? { meeting: a.meeting } : {}) })),
        waivers: state.waivers.map(({ record: { entry }, valid, active }) => ({
            entry: entry.id,
            gate: entry.gate,
            resource: entry.resource,
            by: entry.by,
            at: entry.at,
            expires: entry.expires,
            reason: entry.reason,
            ...(entry.blocker !== undefined ? { blocker: entry.blocker } : {}),
            state: active ? "active" : valid ? "expired" : "invalid",
        })),
        findings: state.findings,
        history: state.history,
        qualityScore: handoffQualityScore(state),
    };
}

/** An empty ledger's view (a stack before its first entry). */
export function emptyLedgerView(): LedgerView {
    return { phase: 1, confirmed: [], accepted: [], waivers: [], findings: [], history: [], qualityScore: null };
}
