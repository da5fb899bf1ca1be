import { describe, expect, it } from "vitest";
import { gates, messageParts, violationMessage } from "../../../policy/gates/index.js";

describe("violationMessage and its parser, messageParts", () => {
    it.each([
        ["a plain problem", "set it"],
        ["a problem with a colon: and a period. Inside", "do this. Then that"],
        ['a problem naming "quoted" things and [brackets]', "run `npm run report -- handoff`"],
        ["a problem\non two lines", "a fix\non two lines"],
    ])("round-trips %j for every gate", (problem, fix) => {
        for (const gate of gates) expect(messageParts(violationMessage(gate, problem, fix))).toEqual({ problem, fix });
    });

    it("takes a message it did not write as all problem", () => {
        expect(messageParts("something else entirely")).toEqual({ problem: "something else entirely", fix: "see the message" });
    });
});
