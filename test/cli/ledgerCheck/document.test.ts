import { describe, expect, it } from "vitest";
import { ledgerPathKind, readLedgerDocument } from "../../../cli/ledgerCheck/document.js";

describe("readLedgerDocument", () => {
    it.each([
        ["an empty file", ""],
        ["only comments", "# nothing signed yet\n"],
        ["an empty sequence", "[]\n"],
        ["an empty `entries:`", "entries:\n"],
    ])("%s has no entries", (_title, text) => {
        expect(readLedgerDocument(text)).toEqual({ readable: true, entries: [] });
    });

    it("reads a top-level sequence and a mapping's `entries:` alike, with positions and ids", () => {
        const expected = {
            readable: true,
            entries: [
                { position: 1, id: "a", value: { id: "a", by: "x" } },
                { position: 2, id: undefined, value: "b" },
            ],
        };
        expect(readLedgerDocument("- id: a\n  by: x\n- b\n")).toEqual(expected);
        expect(readLedgerDocument("version: 1\nentries:\n  - id: a # c\n    by: x\n  - b\n")).toEqual(expected);
    });

    it("an id must be a non-empty string", () => {
        const ids = (text: string) => {
            const document = readLedgerDocument(text);
            return document.readable ? document.entries.map((e) => e.id) : document.error;
        };
        expect(ids("- id: '001'\n- id: 001\n- id: ''\n- {}\n")).toEqual(["001", undefined, undefined, undefined]);
    });

    it.each([
        ["a scalar", "hello\n", /expected a sequence of entries/],
        ["a mapping without `entries:` (a single entry not in a list)", "id: a\nby: x\n", /needs an `entries:` sequence/],
        ["`entries:` that is not a sequence", "entries: {id: a}\n", /expected a sequence of entries/],
        ["a duplicated key", "- id: a\n  id: b\n", /^Map keys must be unique at line 2/],
        ["two documents", "- id: a\n---\n- id: b\n", /multiple documents/],
        ["broken YAML", "- id: [a\n", /./],
    ])("%s is not a readable ledger", (_title, text, error) => {
        const document = readLedgerDocument(text);
        expect(document.readable).toBe(false);
        if (!document.readable) {
            expect(document.error).toMatch(error);
            expect(document.error).not.toContain("\n");
        }
    });
});

describe("ledgerPathKind", () => {
    it.each([
        ["handoff/prod/sign-offs/kilo.yaml", "ledger"],
        ["handoff/prod/acceptances.yaml", "ledger"],
        ["handoff/staging/phase-moves.yml", "ledger"],
        ["handoff/evidence/p1/report.md", "evidence"],
        ["handoff/evidence/list.yaml", "evidence"],
        ["handoff/README.md", "other"],
        ["handoff/ledger.yaml", "other"],
        ["handoff/prod/notes.md", "other"],
    ])("%s → %s", (file, kind) => {
        expect(ledgerPathKind(file)).toBe(kind);
    });
});
