import type { Protocol } from "../../policy/protocol/index.js";
import type { Verdict } from "../analyzer/evaluate.js";
import type { LedgerView } from "../analyzer/ledger.js";
import { isGateId, manualProtocolItems } from "../../policy/protocol/index.js";
import { gateById } from "../../policy/gates/index.js";

export type PhaseDiagramState = "accepted" | "current" | "blocked" | "upcoming";

/** A phase's state for the picture: blocked (a mandatory violation of its gates) over accepted, current, upcoming. */
export function phaseDiagramState(phase: number, current: number, verdicts: readonly Verdict[], view: LedgerView): PhaseDiagramState {
    if (verdicts.some((v) => v.phase === phase && v.enforcement === "mandatory")) return "blocked";
    if (view.accepted.some((a) => a.phase === phase)) return "accepted";
    if (phase === current) return "current";
    return phase < current ? "blocked" : "upcoming";
}

const styles: Record<PhaseDiagramState, string> = {
    accepted: "fill:#d1f0d8,stroke:#1a7f37,color:#0a3d1b",
    current: "fill:#fff4c2,stroke:#9a6700,color:#4d3300",
    blocked: "fill:#ffd8d3,stroke:#cf222e,color:#5c0a10",
    upcoming: "fill:#eaeef2,stroke:#6e7781,color:#24292f",
};

function label(text: string): string {
    return text.replace(/"/g, "#quot;");
}

/**
 * The five phases and their handoffs as a Mermaid flowchart (GitHub renders it in the PR comment): each phase
 * coloured by state, with its open manual items and active waivers counted, each handoff with its acceptance.
 */
export function handoffDiagram(protocol: Protocol, current: number, verdicts: readonly Verdict[], view: LedgerView): string[] {
    const confirmed = new Set(view.confirmed.map((c) => c.id));
    const activeWaivers = view.waivers.filter((w) => w.state === "active");
    const lines = ["```mermaid", "flowchart LR"];
    const states: PhaseDiagramState[] = [];
    for (const phase of protocol.phases) {
        const state = phaseDiagramState(phase.number, current, verdicts, view);
        states.push(state);
        const open = manualProtocolItems().filter((i) => i.phase === phase.number && !confirmed.has(i.id)).length;
        const waivers = activeWaivers.filter((w) => isGateId(w.gate) && gateById(w.gate).phase === phase.number).length;
        const violated = verdicts.filter((v) => v.phase === phase.number && v.enforcement === "mandatory").length;
        lines.push(
            `    P${phase.number}["${label(`${phase.number}. ${phase.name}`)}<br/>${phase.owner} → ${phase.handedTo}<br/>${state}${violated > 0 ? `: ${violated} violation${violated === 1 ? "" : "s"}` : ""}<br/>open items: ${open} · active waivers: ${waivers}"]`,
        );
    }
    for (const phase of protocol.phases) {
        const accepted = view.accepted.find((a) => a.phase === phase.number);
        const edge = `${phase.owner} → ${phase.handedTo}: ${accepted ? `accepted ${accepted.score}/5` : "not accepted"}`;
        const target = phase.number < protocol.phases.length ? `P${phase.number + 1}` : 'LIVE(["revenue live, operated by Cline"])';
        lines.push(`    P${phase.number} -->|"${label(edge)}"| ${target}`);
    }
    for (const [state, style] of Object.entries(styles)) lines.push(`    classDef ${state} ${style}`);
    protocol.phases.forEach((phase, index) => {
        lines.push(`    class P${phase.number} ${states[index] ?? "upcoming"}`);
    });
    lines.push("```");
    return lines;
}
