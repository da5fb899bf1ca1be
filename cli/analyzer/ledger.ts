import { gateFacts } from "../../policy/gates/index.js";
import { type LedgerContext, type LedgerState, type ManualProtocolItem, handoffNow, ledgerState, manualProtocolItems } from "../../policy/protocol/index.js";
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
