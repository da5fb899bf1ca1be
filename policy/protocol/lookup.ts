import type { GateId } from "./gateIds.js";
import { phases } from "./phases.js";
import type { PhaseNumber } from "./teams.js";
import type { Phase, ProtocolItem } from "./types.js";

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
