import type { GateId } from "./gateIds.js";
import { phases } from "./phases.js";
import type { PhaseNumber, TeamName } from "./teams.js";
import type { ManualItemId, Phase, ProtocolItem } from "./types.js";

export function phaseByNumber(phase: PhaseNumber): Phase {
    const found = phases.find((p) => p.number === phase);
    if (!found) throw new Error(`no phase ${phase} in the protocol`);
    return found;
}

/** Every responsibility and criterion of a phase that names `gate`. */
export function itemsCheckedBy(gate: GateId): { phase: Phase; item: ProtocolItem }[] {
    const found: { phase: Phase; item: ProtocolItem }[] = [];
    for (const phase of phases) {
        for (const item of [...phase.responsibilities, ...phase.criteria]) {
            if (item.check.kind === "automated" && item.check.gates.includes(gate)) found.push({ phase, item });
        }
    }
    return found;
}

/** The manual criteria and responsibilities, in protocol order, with their owner. */
export function manualItems(): { phase: PhaseNumber; criterion: string; owner: string; how: string }[] {
    return phases.flatMap((phase) =>
        [...phase.criteria, ...phase.responsibilities].flatMap((item) =>
            item.check.kind === "manual" ? [{ phase: phase.number, criterion: item.text, owner: item.check.confirmedBy, how: item.check.how }] : [],
        ),
    );
}

/** A manual responsibility, criterion or artifact of the protocol: signed off in the handoff ledger by its owner. */
export interface ManualProtocolItem {
    id: ManualItemId;
    phase: PhaseNumber;
    kind: "responsibility" | "criterion" | "artifact";
    /** The protocol's wording (an artifact's name). */
    text: string;
    /** The team that confirms it (an artifact's producer). */
    owner: TeamName;
    how: string;
}

/** Every manual item with its stable id, in protocol order: responsibilities, criteria, then artifacts of each phase. */
export function manualProtocolItems(): ManualProtocolItem[] {
    return phases.flatMap((phase) => [
        ...phase.responsibilities.flatMap((item) =>
            item.check.kind === "manual"
                ? [
                      {
                          id: item.check.id,
                          phase: phase.number,
                          kind: "responsibility" as const,
                          text: item.text,
                          owner: item.check.confirmedBy,
                          how: item.check.how,
                      },
                  ]
                : [],
        ),
        ...phase.criteria.flatMap((item) =>
            item.check.kind === "manual"
                ? [{ id: item.check.id, phase: phase.number, kind: "criterion" as const, text: item.text, owner: item.check.confirmedBy, how: item.check.how }]
                : [],
        ),
        ...phase.artifacts.flatMap((artifact) =>
            artifact.source.kind === "manual"
                ? [
                      {
                          id: artifact.source.id,
                          phase: phase.number,
                          kind: "artifact" as const,
                          text: artifact.name,
                          owner: artifact.source.producedBy,
                          how: artifact.source.how,
                      },
                  ]
                : [],
        ),
    ]);
}

let manualItemIds: ReadonlySet<string> | undefined;

export function isManualItemId(value: string): value is ManualItemId {
    // Asked once per ledger entry (10,000 in the benchmark): the ids are computed once.
    manualItemIds ??= new Set(manualProtocolItems().map((item) => item.id));
    return manualItemIds.has(value);
}
