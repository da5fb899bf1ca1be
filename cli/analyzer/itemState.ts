import { createHash } from "node:crypto";
import type { Severity } from "@pulumi/policy";
import { type Gate, gateById } from "../../policy/gates/index.js";
import { type Phase, type ProtocolItem, isGateId } from "../../policy/protocol/index.js";
import type { Verdict } from "./evaluate.js";
import { secretnessCheck } from "./secretness.js";

/**
 * Where a protocol item stands: its gates pass, a mandatory gate is violated, an advisory gate (a later
 * phase) still finds something, or it is manual and open until its owner confirms it — never passed.
 */
export type ItemState =
    | { state: "passed" }
    | { state: "violated"; gates: string[] }
    | { state: "open"; gates: string[] }
    | { state: "manual"; owner: string; how: string };

export function itemState(item: ProtocolItem, verdicts: readonly Verdict[]): ItemState {
    if (item.check.kind === "manual") return { state: "manual", owner: item.check.confirmedBy, how: item.check.how };
    // The plan-level secret-ness check stands beside the gates of the criterion it serves.
    const gates: string[] = item.text === secretnessCheck.criterion ? [...item.check.gates, secretnessCheck.policy] : [...item.check.gates];
    const violated = gates.filter((g) => verdicts.some((v) => v.policy === g && v.enforcement === "mandatory"));
    if (violated.length > 0) return { state: "violated", gates: violated };
    const open = gates.filter((g) => verdicts.some((v) => v.policy === g));
    if (open.length > 0) return { state: "open", gates: open };
    return { state: "passed" };
}

export interface StateCounts {
    passed: number;
    violated: number;
    open: number;
    manual: number;
}

export function countStates(items: readonly ProtocolItem[], verdicts: readonly Verdict[]): StateCounts {
    const counts: StateCounts = { passed: 0, violated: 0, open: 0, manual: 0 };
    for (const item of items) counts[itemState(item, verdicts).state]++;
    return counts;
}

export function describeState(state: ItemState): string {
    switch (state.state) {
        case "passed":
            return "passed";
        case "violated":
            return `VIOLATED (${state.gates.join(", ")})`;
        case "open":
            return `open — not yet met, advisory until its phase (${state.gates.join(", ")})`;
        case "manual":
            return `open — manual, to be confirmed by ${state.owner}`;
    }
}

export function describeCheck(item: ProtocolItem): string {
    return item.check.kind === "automated" ? `gates ${item.check.gates.join(", ")}` : `manual: ${item.check.how}`;
}

/** Verdicts in a stable order, so a report's bytes depend only on its input. */
export function sortedVerdicts(verdicts: readonly Verdict[]): Verdict[] {
    const key = (v: Verdict): string => [String(v.phase).padStart(2, "0"), v.policy, v.urn ?? "", v.message].join("\u0000");
    return [...verdicts].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** What the reports need to know about the check behind a verdict. */
export type CheckMetadata = Pick<Gate, "owner" | "severity" | "artifact" | "criterion" | "blockerCategory">;

/** The gate (or preflight's secret-ness check) behind a verdict. */
export function gateOf(verdict: Verdict): CheckMetadata | undefined {
    if (verdict.policy === secretnessCheck.policy) return secretnessCheck;
    return isGateId(verdict.policy) ? gateById(verdict.policy) : undefined;
}

/**
 * Blocker IDs, stable per gate and resource: `BLOCKER-P1-3F9A2C` from the gate and the resource's URN (or
 * the stack), so the same blocker keeps its ID from run to run while its details change. Several findings of
 * one gate on one resource get `-1`, `-2`, … in message order.
 */
export function blockerIds(verdicts: readonly Verdict[]): Map<Verdict, string> {
    const groups = new Map<string, Verdict[]>();
    for (const verdict of sortedVerdicts(verdicts)) {
        const digest = createHash("sha256")
            .update(`${verdict.policy}\n${verdict.urn ?? "(stack)"}`)
            .digest("hex")
            .slice(0, 6)
            .toUpperCase();
        const base = `BLOCKER-P${verdict.phase}-${digest}`;
        groups.set(base, [...(groups.get(base) ?? []), verdict]);
    }
    const ids = new Map<Verdict, string>();
    for (const [base, members] of groups) {
        members.forEach((verdict, index) => {
            ids.set(verdict, members.length === 1 ? base : `${base}-${index + 1}`);
        });
    }
    return ids;
}

/** The ID of one blocker among `all` (default: itself alone). */
export function blockerId(verdict: Verdict, all: readonly Verdict[] = [verdict]): string {
    const id = blockerIds(all).get(verdict);
    if (id === undefined) throw new Error(`verdict of ${verdict.policy} is not among the blockers given`);
    return id;
}

export function protocolSeverity(severity: Severity | undefined): "Critical" | "High" | "Medium" | "Low" {
    switch (severity) {
        case "critical":
            return "Critical";
        case "high":
            return "High";
        case "medium":
            return "Medium";
        default:
            return "Low";
    }
}

/** The parser of gate messages lives beside the writer, `violationMessage`. */
export { messageParts } from "../../policy/gates/gate.js";

export function phaseItems(phase: Phase): ProtocolItem[] {
    return [...phase.criteria, ...phase.responsibilities];
}
