import { manualItems } from "../../policy/protocol/index.js";

/** A criterion or responsibility no gate checks: open until its owner confirms it. */
export interface ManualItem {
    phase: number;
    criterion: string;
    owner: string;
}

/** The protocol's manual items, in protocol order, as preflight's `--json` carries them. */
export function manualCriteria(): ManualItem[] {
    return manualItems().map(({ phase, criterion, owner }) => ({ phase, criterion, owner }));
}
