import { type ManualProtocolItem, manualItems } from "../../policy/protocol/index.js";

/** A criterion, responsibility or artifact no gate checks: open until its owner confirms it. */
export interface ManualItem {
    /** The item's ledger id, for `npm run handoff -- sign <id>`; absent in the list of every manual criterion. */
    id?: string;
    phase: number;
    criterion: string;
    owner: string;
}

/** The protocol's manual criteria and responsibilities, in protocol order. */
export function manualCriteria(): ManualItem[] {
    return manualItems().map(({ phase, criterion, owner }) => ({ phase, criterion, owner }));
}

/** Manual items as preflight's `--json` carries the open ones. */
export function asManualItems(items: readonly ManualProtocolItem[]): ManualItem[] {
    return items.map(({ id, phase, text, owner }) => ({ id, phase, criterion: text, owner }));
}
