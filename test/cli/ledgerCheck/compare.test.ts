import { describe, expect, it } from "vitest";
import { compareLedgers, entryChanges, type LedgerSnapshot, renderValue } from "../../../cli/ledgerCheck/compare.js";

const file = "handoff/prod/waivers.yaml";

function snapshot(ledger: Record<string, string>, evidence: Record<string, string> = {}): LedgerSnapshot {
    return { ledger: new Map(Object.entries(ledger)), evidence: new Map(Object.entries(evidence)) };
}

function problemsOf(base: string, head: string | undefined): string[] {
    const result = compareLedgers(snapshot({ [file]: base }), snapshot(head === undefined ? {} : { [file]: head }));
    return result.problems.map((p) => `${p.entry ?? "-"}: ${p.what}`);
}

describe("compareLedgers: entries by id", () => {
    it("the same entries pass; one more passes and counts as new", () => {
        const base = "- id: a\n  x: 1\n";
        expect(compareLedgers(snapshot({ [file]: base }), snapshot({ [file]: base }))).toEqual({ problems: [], baseFiles: 1, baseEntries: 1, newEntries: 0 });
        expect(compareLedgers(snapshot({ [file]: base }), snapshot({ [file]: `${base}- id: b\n` })).newEntries).toBe(1);
    });

    it("an entry may move within its file (order is not content)", () => {
        expect(problemsOf("- id: a\n- id: b\n", "- id: b\n- id: a\n")).toEqual([]);
    });

    it("the sequence form and the `entries:` form are the same ledger", () => {
        expect(problemsOf("- id: a\n  x: 1\n", "entries:\n  - {id: a, x: 1}\n")).toEqual([]);
    });

    it("an id the base already held twice is matched occurrence by occurrence, not reported again", () => {
        const legacy = "- id: a\n  x: 1\n- id: a\n  x: 2\n";
        expect(problemsOf(legacy, legacy)).toEqual([]);
        expect(problemsOf(legacy, `${legacy}- id: a\n  x: 3\n`)).toEqual(['"a": id used 3 times (entries #1, #2, #3); every entry needs an id of its own']);
        expect(problemsOf(legacy, "- id: a\n  x: 1\n")).toEqual(['"a": deleted']);
    });

    it("an entry the base held without an id must stay, unchanged; a new one is refused", () => {
        const base = "- id: a\n- note: legacy\n";
        expect(problemsOf(base, `${base}- id: b\n`)).toEqual([]);
        expect(problemsOf(base, "- id: a\n- note: changed\n")).toEqual([
            "#2: an entry without an id was edited or deleted",
            "#2: has no id: every entry must be a mapping with a non-empty string `id`",
        ]);
        expect(problemsOf(base, `${base}- id: ""\n`)).toEqual(["#3: has no id: every entry must be a mapping with a non-empty string `id`"]);
    });

    it("a base version that is not a readable ledger may only stay byte-identical", () => {
        const broken = "- id: a\n  x: 1\n  x: 2\n";
        expect(problemsOf(broken, broken)).toEqual([]);
        expect(problemsOf(broken, `${broken}# a comment\n`)).toEqual([
            expect.stringMatching(/^-: changed, but its base version is not a readable ledger \(Map keys must be unique/),
        ]);
    });

    it("a deleted file names up to ten of its ids", () => {
        const many = Array.from({ length: 11 }, (_, i) => `- id: e${i + 1}\n`).join("");
        expect(problemsOf(many, undefined)).toEqual(['-: file deleted (it held 11 entries: "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9", "e10", …)']);
        expect(problemsOf("- id: only\n", undefined)).toEqual(['-: file deleted (it held 1 entry: "only")']);
    });

    it("problems come ordered by file", () => {
        const base = snapshot({ "handoff/prod/waivers.yaml": "- id: w\n", "handoff/prod/acceptances.yaml": "- id: a\n" });
        expect(compareLedgers(base, snapshot({})).problems.map((p) => p.file)).toEqual(["handoff/prod/acceptances.yaml", "handoff/prod/waivers.yaml"]);
    });
});

describe("compareLedgers: evidence", () => {
    const evidence = "handoff/evidence/report.md";
    it("unchanged and new evidence pass; changed or deleted fail", () => {
        const base = snapshot({}, { [evidence]: "id1" });
        expect(compareLedgers(base, snapshot({}, { [evidence]: "id1", "handoff/evidence/new.md": "id2" })).problems).toEqual([]);
        expect(compareLedgers(base, snapshot({}, { [evidence]: "id9" })).problems.map((p) => p.what)).toEqual([
            expect.stringMatching(/^evidence file changed/),
        ]);
        expect(compareLedgers(base, snapshot({})).problems.map((p) => p.what)).toEqual([expect.stringMatching(/^evidence file deleted/)]);
    });
});

describe("entryChanges and renderValue", () => {
    it("names each changed, added and removed field; a non-mapping is shown whole", () => {
        expect(entryChanges({ id: "a", by: "x", at: 1 }, { id: "a", by: "y", note: "n" })).toEqual(['by: "x" → "y"', "at removed (was 1)", 'note added ("n")']);
        expect(entryChanges({ id: "a" }, "a")).toEqual(['was {"id":"a"}, now "a"']);
    });

    it("prints URLs but masks a user and password in them", () => {
        expect(renderValue("https://example.com/evidence/1")).toBe('"https://example.com/evidence/1"');
        expect(renderValue("https://user:hunter2@example.com/e")).toBe('"https://***@example.com/e"');
        expect(renderValue({ url: "https://token@example.com/" })).toBe('{"url":"https://***@example.com/"}');
    });

    it("shortens values to 80 characters: 79 and 80 stay whole, 81 is cut", () => {
        const ofLength = (n: number) => "x".repeat(n - 2);
        expect(renderValue(ofLength(79))).toHaveLength(79);
        expect(renderValue(ofLength(80))).toBe(JSON.stringify(ofLength(80)));
        expect(renderValue(ofLength(81))).toBe(`${JSON.stringify(ofLength(81)).slice(0, 77)}...`);
    });
});
