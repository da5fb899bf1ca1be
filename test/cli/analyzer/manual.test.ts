import { describe, expect, it } from "vitest";
import { asManualItems, manualCriteria } from "../../../cli/analyzer/manual.js";
import { manualProtocolItems, phases } from "../../../policy/protocol/index.js";

describe("manual items", () => {
    it("manualCriteria: every manual criterion and responsibility of the protocol text, phase by phase, with its owner and no id", () => {
        const expected = phases.flatMap((phase) =>
            [...phase.criteria, ...phase.responsibilities].flatMap((item) =>
                item.check.kind === "manual" ? [{ phase: phase.number, criterion: item.text, owner: item.check.confirmedBy }] : [],
            ),
        );
        expect(expected.length).toBeGreaterThan(0);
        expect(manualCriteria()).toEqual(expected);
    });
    it("asManualItems: keeps the id, phase and owner and words the text as the criterion", () => {
        const items = manualProtocolItems().slice(0, 2);
        expect(asManualItems(items)).toEqual(items.map((i) => ({ id: i.id, phase: i.phase, criterion: i.text, owner: i.owner })));
        expect(asManualItems([])).toEqual([]);
    });
});
