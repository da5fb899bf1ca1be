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

/** Runs the gates on a plan (through the pack, over gRPC) and gathers the reports' input. */
export async function gateReportInput(plan: Plan): Promise<GateReportInput> {
    const verdicts = [...secretnessVerdicts(plan.resources), ...(await evaluatePlan(plan))];
    return {
        protocol,
        plan: { stack: plan.stack, project: plan.project, phase: plan.phase, resources: plan.resources.map(({ urn, type, name }) => ({ urn, type, name })) },
        verdicts,
        ledger: ledgerView(planLedgerState(plan)),
    };
}
