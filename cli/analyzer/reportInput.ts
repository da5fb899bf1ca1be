import { type Verdict, evaluatePlan } from "./evaluate.js";
import { secretnessVerdicts } from "./secretness.js";
import type { Plan } from "../plan/index.js";
import { type Protocol, protocol } from "../../policy/protocol/index.js";
import { type LedgerView, ledgerView, planLedgerState } from "./ledger.js";

/** What the protocol reports are made from: the protocol, a summary of the plan, the gates' verdicts. */
export interface GateReportInput {
    protocol: Protocol;
    plan: { stack: string; project: string; phase: number; resources: readonly { urn: string; type: string; name: string }[] };
    verdicts: readonly Verdict[];
    /** The handoff ledger as the gates judged it, at the run's clock. */
    ledger: LedgerView;
}

/**
 * Runs the gates on a plan and gathers the reports' input. `evaluate` judges the plan: by default the pack,
 * over gRPC, as every command does (tests may pass the pack's Analyzer served in-process instead).
 */
export async function gateReportInput(plan: Plan, evaluate: (plan: Plan) => Promise<Verdict[]> = evaluatePlan): Promise<GateReportInput> {
    const verdicts = [...secretnessVerdicts(plan.resources), ...(await evaluate(plan))];
    return {
        protocol,
        plan: { stack: plan.stack, project: plan.project, phase: plan.phase, resources: plan.resources.map(({ urn, type, name }) => ({ urn, type, name })) },
        verdicts,
        ledger: ledgerView(planLedgerState(plan)),
    };
}
