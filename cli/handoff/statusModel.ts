import { type Gate, gates } from "../../policy/gates/index.js";
import { type LedgerState, type PhaseNumber, manualProtocolItems, phaseNumbers } from "../../policy/protocol/index.js";
import type { Verdict } from "../analyzer/evaluate.js";

export type HandoffItemState = "passed" | "violated" | "open" | "confirmed" | "waived";

/** `npm run handoff -- status --json`: the shape issue 13 gives. */
export interface HandoffStatus {
    stack: string;
    phase: number;
    items: {
        id: string;
        phase: number;
        text: string;
        owner: string;
        kind: "automated" | "manual";
        state: HandoffItemState;
        by?: string;
        at?: string;
        evidence?: string;
    }[];
    handoffs: { phase: number; accepted: boolean; by?: string; score?: number; meeting?: { date: string; attendees: string[] } }[];
    waivers: { gate: string; resource: string; by: string; expires: string; active: boolean }[];
}

/** A gate's state from its verdicts: violated (mandatory), waived (only waived findings), open (advisory), passed. */
export function gateState(gate: Pick<Gate, "id">, verdicts: readonly Verdict[]): HandoffItemState {
    const own = verdicts.filter((v) => v.policy === gate.id);
    if (own.some((v) => v.enforcement === "mandatory")) return "violated";
    if (own.length > 0 && own.every((v) => v.waived === true)) return "waived";
    return own.length > 0 ? "open" : "passed";
}

function evidenceText(evidence: { url: string } | { path: string; sha256: string } | undefined): string | undefined {
    if (evidence === undefined) return undefined;
    return "url" in evidence ? evidence.url : `${evidence.path} (sha256 ${evidence.sha256})`;
}

/** Every protocol item of phases 1 to `phase` with its state: the gates' verdicts for automated items, the ledger for manual ones. */
export function handoffStatus(stack: string, phase: PhaseNumber, verdicts: readonly Verdict[], state: LedgerState): HandoffStatus {
    const items: HandoffStatus["items"] = [];
    for (const p of phaseNumbers.filter((n) => n <= phase)) {
        for (const gate of gates.filter((g) => g.phase === p)) {
            items.push({ id: gate.id, phase: p, text: gate.description, owner: gate.owner, kind: "automated", state: gateState(gate, verdicts) });
        }
        for (const item of manualProtocolItems().filter((i) => i.phase === p)) {
            const signed = state.confirmations.get(item.id);
            const evidence = evidenceText(signed?.evidence);
            items.push({
                id: item.id,
                phase: p,
                text: item.text,
                owner: item.owner,
                kind: "manual",
                state: signed ? "confirmed" : "open",
                ...(signed ? { by: signed.by, at: signed.at } : {}),
                ...(evidence !== undefined ? { evidence } : {}),
            });
        }
    }
    return {
        stack,
        phase,
        items,
        handoffs: phaseNumbers.map((p) => {
            const accepted = state.acceptances.get(p);
            return accepted
                ? { phase: p, accepted: true, by: accepted.by, score: accepted.score, ...(accepted.meeting ? { meeting: accepted.meeting } : {}) }
                : { phase: p, accepted: false };
        }),
        waivers: state.waivers.map(({ record: { entry }, active }) => ({
            gate: entry.gate,
            resource: entry.resource,
            by: entry.by,
            expires: entry.expires,
            active,
        })),
    };
}

/** The status for a person: each item with its state, then the handoffs and the waivers. */
export function formatHandoffStatus(status: HandoffStatus): string {
    const mark: Record<HandoffItemState, string> = { passed: "✓", confirmed: "✓", violated: "✗", open: "○", waived: "~" };
    const lines = [`Handoff status of stack ${status.stack}: phase ${status.phase}`];
    for (const item of status.items) {
        const detail = item.state === "confirmed" ? ` — ${item.by} at ${item.at}${item.evidence ? `, evidence ${item.evidence}` : ""}` : "";
        lines.push(`  ${mark[item.state]} [${item.state}] phase ${item.phase} ${item.id} (${item.owner}, ${item.kind}): ${item.text}${detail}`);
    }
    lines.push("", "Handoffs:");
    for (const h of status.handoffs) {
        lines.push(
            `  phase ${h.phase}: ${h.accepted ? `accepted by ${h.by}, score ${h.score}/5${h.meeting ? `, meeting ${h.meeting.date} (${h.meeting.attendees.join(", ")})` : ""}` : "not accepted"}`,
        );
    }
    lines.push("", `Waivers: ${status.waivers.length === 0 ? "none" : ""}`);
    for (const w of status.waivers) lines.push(`  ${w.active ? "active" : "inactive"}: ${w.gate} on ${w.resource}, by ${w.by} until ${w.expires}`);
    return `${lines.join("\n")}\n`;
}
