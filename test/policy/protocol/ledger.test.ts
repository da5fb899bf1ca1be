import { describe, expect, it } from "vitest";
import { formatLedgerProblem, isWaivable, parseLedgerDocument, parseLedgerEntry } from "../../../policy/protocol/index.js";
import { gates } from "../../../policy/gates/index.js";

const file = "handoff/prod/acceptances.yaml";
const good = {
    id: "accept-1",
    kind: "acceptance",
    by: "cline-ops-lead",
    at: "2026-12-02T07:00:00Z",
    phase: 1,
    score: 5,
    meeting: { date: "2026-12-01", attendees: ["kilo-dev-lead", "cline-ops-lead"] },
};

describe("ledger entries: shape", () => {
    it("accepts a well-formed entry of each kind", () => {
        const entries = [
            good,
            {
                id: "s-1",
                kind: "sign-off",
                by: "kilo-dev-lead",
                at: "2026-12-02T07:00:00+01:00",
                item: "p1.secrets-documented",
                evidence: { url: "https://example.com/report" },
            },
            {
                id: "s-2",
                kind: "sign-off",
                by: "kilo-dev-lead",
                at: "2026-12-02T07:00:00.123Z",
                item: "p1.secrets-documented",
                evidence: { path: "handoff/evidence/a.md", sha256: "a".repeat(64) },
            },
            {
                id: "w-1",
                kind: "waiver",
                by: "kilo-dev-lead",
                at: "2026-12-02T07:00:00Z",
                gate: "p3-payments-dashboard",
                resource: "stack",
                reason: "r",
                expires: "2026-12-09T07:00:00Z",
                blocker: "BLOCKER-P3-ABCDEF",
            },
            { id: "m-1", kind: "phase-move", by: "cline-ops-lead", at: "2026-12-02T07:00:00Z", from: 1, to: 2 },
        ];
        for (const [index, entry] of entries.entries()) expect(parseLedgerEntry(entry, file, index).problems, entry.id).toEqual([]);
    });

    const broken: { title: string; change: Record<string, unknown>; field: string }[] = [
        { title: "score 0", change: { score: 0 }, field: "score" },
        { title: "score 6", change: { score: 6 }, field: "score" },
        { title: "score 4.5", change: { score: 4.5 }, field: "score" },
        { title: "phase 0", change: { phase: 0 }, field: "phase" },
        { title: "phase 6", change: { phase: 6 }, field: "phase" },
        { title: "time without zone", change: { at: "2026-12-02T07:00:00" }, field: "at" },
        { title: "date only", change: { at: "2026-12-02" }, field: "at" },
        { title: "impossible time", change: { at: "2026-13-02T07:00:00Z" }, field: "at" },
        { title: "login with a space", change: { by: "cline ops" }, field: "by" },
        { title: "unknown field", change: { approved: true }, field: "approved" },
        { title: "unknown kind", change: { kind: "approval" }, field: "kind" },
        { title: "meeting without attendees", change: { meeting: { date: "2026-12-01", attendees: [] } }, field: "meeting.attendees" },
        { title: "meeting with a bad date", change: { meeting: { date: "yesterday", attendees: ["a"] } }, field: "meeting.date" },
    ];
    it.each(broken)("names the file, the entry and the field: $title", ({ change, field }) => {
        const { entry, problems } = parseLedgerEntry({ ...good, ...change }, file, 0, "acceptance");
        expect(entry).toBeUndefined();
        expect(problems.map((p) => p.field)).toContain(field);
        const problem = problems.find((p) => p.field === field);
        expect(problem?.file).toBe(file);
        expect(problem?.entry).toBe("accept-1");
        expect(formatLedgerProblem(problem ?? { file: "", entry: "", field: "", expected: "" })).toMatch(
            new RegExp(`^${file}: entry accept-1: ${field.replace(".", "\\.")}: `),
        );
    });

    it("names an entry without an id by its position, and a kind that does not belong in the file", () => {
        const { problems } = parseLedgerEntry({ ...good, id: undefined, kind: "waiver" }, file, 3, "acceptance");
        expect(problems.map((p) => [p.entry, p.field])).toEqual(
            expect.arrayContaining([
                ["#3", "id"],
                ["#3", "kind"],
            ]),
        );
    });

    it("rejects evidence outside the repository and a malformed hash or URL", () => {
        for (const evidence of [
            { path: "../secrets.txt", sha256: "a".repeat(64) },
            { path: "/etc/passwd", sha256: "a".repeat(64) },
            { path: "handoff/e.md", sha256: "A".repeat(64) },
            { path: "handoff/e.md", sha256: "a".repeat(63) },
            { url: "http://example.com" },
            { url: "https://example.com", path: "x" },
        ]) {
            const { problems } = parseLedgerEntry(
                { id: "s", kind: "sign-off", by: "kilo-dev-lead", at: "2026-12-02T07:00:00Z", item: "p1.secrets-documented", evidence },
                file,
                0,
            );
            expect(
                problems.map((p) => p.field),
                JSON.stringify(evidence),
            ).toEqual(["evidence"]);
        }
    });

    it("rejects an unknown item id, gate id, and a phase move to the same phase", () => {
        expect(
            parseLedgerEntry({ id: "s", kind: "sign-off", by: "a", at: "2026-12-02T07:00:00Z", item: "p1.nothing" }, file, 0).problems.map((p) => p.field),
        ).toEqual(["item"]);
        expect(
            parseLedgerEntry(
                { id: "w", kind: "waiver", by: "a", at: "2026-12-02T07:00:00Z", gate: "p9-x", resource: "stack", reason: "r", expires: "2026-12-03T07:00:00Z" },
                file,
                0,
            ).problems.map((p) => p.field),
        ).toEqual(["gate"]);
        expect(
            parseLedgerEntry({ id: "m", kind: "phase-move", by: "a", at: "2026-12-02T07:00:00Z", from: 2, to: 2 }, file, 0).problems.map((p) => p.field),
        ).toEqual(["to"]);
    });

    it("reads a document: a sequence, none when empty, ids unique across files", () => {
        expect(parseLedgerDocument(null, file, "acceptance")).toEqual({ records: [], problems: [] });
        expect(parseLedgerDocument({ id: "x" }, file, "acceptance").problems[0]?.field).toBe("(top level)");
        const seen = new Map<string, string>();
        expect(parseLedgerDocument([good], file, "acceptance", seen).records).toHaveLength(1);
        const again = parseLedgerDocument([good], "handoff/prod/other.yaml", "acceptance", seen);
        expect(again.records).toEqual([]);
        expect(again.problems[0]).toMatchObject({ entry: "accept-1", field: "id", expected: expect.stringContaining(file) });
    });
});

describe("non-waivable gates", () => {
    it("security and compliance gates and the live-keys gate can never be waived; the others can", () => {
        const waivable = gates.filter((g) => isWaivable(g.id, g.blockerCategory)).map((g) => g.id);
        for (const gate of gates) {
            const never =
                gate.blockerCategory === "Security vulnerabilities" ||
                gate.blockerCategory === "Compliance violations" ||
                gate.id === "p5-live-payment-keys-only-at-phase-5";
            expect(waivable.includes(gate.id), gate.id).toBe(!never);
        }
        expect(waivable).toContain("p3-stripe-api-version-pinned");
        expect(isWaivable("p5-live-payment-keys-only-at-phase-5", "Payment processing failures")).toBe(false);
        expect(isWaivable("p3-payments-dashboard", "Compliance violations")).toBe(false);
        expect(isWaivable("p3-payments-dashboard", "Security vulnerabilities")).toBe(false);
        expect(isWaivable("p3-payments-dashboard", "Payment processing failures")).toBe(true);
    });
});
