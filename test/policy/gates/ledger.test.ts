import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { carriedLedgerText } from "../../../components/protocol/index.js";
import { type StackGate, gateById, gateContextFromConfig, messageParts } from "../../../policy/gates/index.js";
import { type LedgerRecord, componentTypes, manualProtocolItems } from "../../../policy/protocol/index.js";
import { type FixtureResource, phase1Stack, withConfig } from "../../support/fixtures.js";
import { type Finding, runStackGate } from "../../support/gateHarness.js";
import { acceptance, at, ledgerUpTo, move, record, signOff, teams, teamsConfig, waiver } from "../../support/ledgerFixtures.js";

// The ledger gates called in-process; test/cli/analyzer/ledgerGates.test.ts witnesses the same rules through the pack over gRPC.

const stack = "prod";
const phaseGate: StackGate = stackGate("handoff-ledger-phase");
const entriesGate: StackGate = stackGate("handoff-ledger-entries");

function stackGate(id: "handoff-ledger-phase" | "handoff-ledger-entries"): StackGate {
    const gate = gateById(id);
    if (gate.kind !== "stack") throw new Error(`${id} is not a stack gate`);
    return gate;
}

function carrier(records: readonly LedgerRecord[], evidence: Record<string, string | null> = {}): FixtureResource {
    return {
        type: componentTypes.handoffLedger,
        name: "handoff-ledger",
        props: { stack, entryCount: records.length, ledger: carriedLedgerText({ records, evidence }) },
    };
}

function ctx(phase: number | undefined, waivers: readonly LedgerRecord[] = [], teamsSet = true) {
    return gateContextFromConfig(
        withConfig({
            "vauntico:phase": phase === undefined ? undefined : String(phase),
            "vauntico:teams": teamsSet ? JSON.stringify(teamsConfig) : undefined,
            "vauntico:waivers": JSON.stringify(waivers.map((w) => w.entry)),
        }),
        Date.parse(at(5000)),
    );
}

const parts = (found: readonly Finding[]) => found.map((f) => messageParts(f.message));
const onCarrier = (found: readonly Finding[]) => found.every((f) => f.urn?.endsWith("::handoff-ledger") === true);

describe("both ledger gates: whether there is a ledger to judge", () => {
    for (const gate of [phaseGate, entriesGate]) {
        it(`${gate.id}: a legitimate ledger at the declared phase passes`, async () => {
            expect(await runStackGate(gate, [...phase1Stack(), carrier(ledgerUpTo(1))], ctx(1))).toEqual([]);
            expect(await runStackGate(gate, [...phase1Stack(), carrier(ledgerUpTo(3))], ctx(3))).toEqual([]);
        });
        it(`${gate.id}: with vauntico:teams set, a stack without the carrier is a violation; without teams it is not`, async () => {
            expect(parts(await runStackGate(gate, phase1Stack(), ctx(1)))).toEqual([
                {
                    problem: "the stack carries no handoff ledger (vauntico:protocol:HandoffLedger) although vauntico:teams is set",
                    fix: "run the program, which reads handoff/<stack>/ and carries it into the stack",
                },
            ]);
            expect(await runStackGate(gate, phase1Stack(), ctx(1, [], false))).toEqual([]);
        });
        it(`${gate.id}: a carried ledger without vauntico:teams cannot be judged, on the carrier`, async () => {
            const found = await runStackGate(gate, [...phase1Stack(), carrier(ledgerUpTo(1))], ctx(1, [], false));
            expect(parts(found)).toEqual([
                { problem: "vauntico:teams is not set, so no ledger entry can be judged", fix: "set vauntico:teams (each team's slug, lead and members)" },
            ]);
            expect(onCarrier(found)).toBe(true);
        });
    }
});

describe("handoff-ledger-phase", () => {
    it("names both phases when vauntico:phase differs from the ledger's, and how to agree them", async () => {
        const found = await runStackGate(phaseGate, [...phase1Stack(), carrier(ledgerUpTo(1))], ctx(2));
        expect(parts(found)).toEqual([
            {
                problem: "vauntico:phase is 2 but the handoff ledger's phase is 1 (no phase-move entry); no phase-move entry takes the stack to 2",
                fix: "move the phase through the ledger (`npm run handoff -- advance --by LOGIN` or `rollback`, which also set vauntico:phase), or set vauntico:phase back to 1",
            },
        ]);
        expect(onCarrier(found)).toBe(true);
    });
    it("names the phase move that reached the ledger's phase, and checks a declared phase below it too", async () => {
        const records = ledgerUpTo(2);
        const last = records.at(-1)?.entry;
        expect(last?.kind).toBe("phase-move");
        const found = await runStackGate(phaseGate, [...phase1Stack(), carrier(records)], ctx(1));
        expect(parts(found).map((p) => p.problem)).toEqual([
            `vauntico:phase is 1 but the handoff ledger's phase is 2 (phase-move ${last?.id} (1 → 2)); no phase-move entry takes the stack to 1`,
        ]);
    });
    it("leaves an undeclared phase to handoff-phase-declared", async () => {
        expect(await runStackGate(phaseGate, [...phase1Stack(), carrier(ledgerUpTo(2))], ctx(undefined))).toEqual([]);
    });
    it("reports a phase reached without its acceptance, naming the move and the receiving team", async () => {
        const records = ledgerUpTo(2).filter((r) => r.entry.kind !== "acceptance");
        const advance = records.find((r) => r.entry.kind === "phase-move")?.entry;
        expect(parts(await runStackGate(phaseGate, [...phase1Stack(), carrier(records)], ctx(2)))).toEqual([
            {
                problem: `phase-move ${advance?.id} took the stack past phase 1 but phase 1 is not accepted by Cline`,
                fix: "sign the open items (`npm run handoff -- sign <item-id> --by LOGIN --evidence URL|PATH`) and accept the phase (`npm run handoff -- accept 1 --by LOGIN --score 1-5`), or roll back",
            },
        ]);
    });
    it("reports each unsigned manual item of a passed phase with its owner, and both gaps together", async () => {
        const p1Items = manualProtocolItems().filter((i) => i.phase === 1);
        const [first] = p1Items;
        if (first === undefined) throw new Error("phase 1 has manual items");
        const unsignedOne = ledgerUpTo(2).filter((r) => !(r.entry.kind === "sign-off" && r.entry.item === first.id));
        expect(parts(await runStackGate(phaseGate, [...phase1Stack(), carrier(unsignedOne)], ctx(2))).map((p) => p.problem)).toEqual([
            expect.stringMatching(new RegExp(`took the stack past phase 1 but ${first.id} is not signed off by ${first.owner}$`)),
        ]);
        const bare = [record(stack, move(1, 2, teams.Cline.lead, at(1)))];
        expect(parts(await runStackGate(phaseGate, [...phase1Stack(), carrier(bare)], ctx(2))).map((p) => p.problem)).toEqual([
            `phase-move ${bare[0]?.entry.id} took the stack past phase 1 but phase 1 is not accepted by Cline; ${p1Items
                .map((i) => `${i.id} is not signed off by ${i.owner}`)
                .join("; ")}`,
        ]);
    });
    it("names the latest move past a phase when the stack went past it twice", async () => {
        const first = move(1, 2, teams.Cline.lead, at(1));
        const back = move(2, 1, teams.Cline.lead, at(2), { second: teams.Kilo.lead, reason: "redo phase 1" });
        const again = move(1, 2, teams.Cline.lead, at(3));
        const records = [first, back, again].map((e) => record(stack, e));
        const problems = parts(await runStackGate(phaseGate, [...phase1Stack(), carrier(records)], ctx(2))).map((p) => p.problem);
        expect(problems).toEqual([expect.stringMatching(new RegExp(`^phase-move ${again.id} took the stack past phase 1 but`))]);
    });
    it("reads a carrier it cannot decode as an empty ledger (phase 1)", async () => {
        const garbled: FixtureResource = { ...carrier([]), props: { stack, entryCount: 0, ledger: "not gzip" } };
        expect(await runStackGate(phaseGate, [...phase1Stack(), garbled], ctx(1))).toEqual([]);
        expect(parts(await runStackGate(phaseGate, [...phase1Stack(), garbled], ctx(2))).map((p) => p.problem)).toEqual([
            expect.stringContaining("vauntico:phase is 2 but the handoff ledger's phase is 1 (no phase-move entry)"),
        ]);
    });
});

describe("handoff-ledger-entries", () => {
    it("reports an entry that breaks a rule, with its file, id, problem and who would be valid", async () => {
        const wrongSigner = record(stack, signOff("p1.secrets-documented", "cline-ops-lead", at(2000)));
        const found = await runStackGate(entriesGate, [...phase1Stack(), carrier([...ledgerUpTo(1), wrongSigner])], ctx(1));
        expect(parts(found)).toEqual([
            {
                problem: `${wrongSigner.file}: entry ${wrongSigner.entry.id}: sign-off of p1.secrets-documented by cline-ops-lead (Cline), but p1.secrets-documented is owned by Kilo`,
                fix: "valid would be a member of Kilo (kilo-dev-lead, kilo-dev-engineer); the ledger is append-only, so record a new entry that supersedes it",
            },
        ]);
        expect(onCarrier(found)).toBe(true);
    });
    it("names a carried record without a file as the carried ledger, and reads a missing evidence hash as a missing file", async () => {
        const entry = signOff("p1.secrets-documented", teams.Kilo.lead, at(2000), { evidence: { path: "handoff/evidence/r.md", sha256: "ab".repeat(32) } });
        const text = gzipSync(JSON.stringify({ records: [{ entry }], evidence: { "handoff/evidence/r.md": 42 } })).toString("base64");
        const raw: FixtureResource = { ...carrier([]), props: { stack, entryCount: 1, ledger: text } };
        expect(parts(await runStackGate(entriesGate, [...phase1Stack(), raw], ctx(1))).map((p) => p.problem)).toEqual([
            `(carried ledger): entry ${entry.id}: evidence file handoff/evidence/r.md of the sign-off of p1.secrets-documented is missing`,
        ]);
    });

    const written = at(1000);
    const expires = "2026-12-08T09:00:00Z";
    const dashboardWaiver = record(
        stack,
        waiver("p3-payments-dashboard", "stack", "cline-ops-engineer", written, expires, { reason: "dashboard ships Friday" }),
    );
    const ledger = [...ledgerUpTo(3), dashboardWaiver];
    const resources = [...phase1Stack(), carrier(ledger)];

    it("accepts a waiver mirrored in vauntico:waivers, whatever the order of its fields", async () => {
        expect(await runStackGate(entriesGate, resources, ctx(3, [dashboardWaiver]))).toEqual([]);
        const reordered = { ...dashboardWaiver, entry: Object.fromEntries(Object.entries(dashboardWaiver.entry).reverse()) as typeof dashboardWaiver.entry };
        expect(Object.keys(reordered.entry)).not.toEqual(Object.keys(dashboardWaiver.entry));
        expect(await runStackGate(entriesGate, resources, ctx(3, [reordered]))).toEqual([]);
    });
    it("reports a ledger waiver missing from vauntico:waivers", async () => {
        expect(parts(await runStackGate(entriesGate, resources, ctx(3)))).toEqual([
            {
                problem: `waiver ${dashboardWaiver.entry.id} of the ledger is missing from vauntico:waivers, so the pack cannot honour it as recorded`,
                fix: "copy the entry into vauntico:waivers unchanged (`npm run handoff -- waive` writes both)",
            },
        ]);
    });
    it("reports a ledger waiver changed in vauntico:waivers (one field, or one added)", async () => {
        const extended = { ...dashboardWaiver, entry: { ...dashboardWaiver.entry, expires: "2026-12-14T09:00:00Z" } };
        const withBlocker = { ...dashboardWaiver, entry: { ...dashboardWaiver.entry, blocker: "BLOCKER-P3-0A1B2C" } };
        for (const changed of [extended, withBlocker]) {
            expect(parts(await runStackGate(entriesGate, resources, ctx(3, [changed]))).map((p) => p.problem)).toEqual([
                `waiver ${dashboardWaiver.entry.id} of the ledger is different in vauntico:waivers, so the pack cannot honour it as recorded`,
            ]);
        }
    });
    it("reports a waiver of vauntico:waivers that the ledger does not record", async () => {
        const stray = record(stack, waiver("p3-payments-dashboard", "stack", "cline-ops-lead", at(1100), expires, { id: "stray" }));
        expect(parts(await runStackGate(entriesGate, resources, ctx(3, [dashboardWaiver, stray])))).toEqual([
            {
                problem: "vauntico:waivers holds waiver stray, which the ledger does not record",
                fix: "remove it from vauntico:waivers, or record it with `npm run handoff -- waive`",
            },
        ]);
    });
    it("judges each carried ledger on its own", async () => {
        const other = carrier([...ledgerUpTo(1), record(stack, acceptance(1, "kilo-dev-engineer", at(2001), { id: "handing" }))]);
        const found = await runStackGate(entriesGate, [...phase1Stack(), carrier(ledgerUpTo(1)), { ...other, name: "second-ledger" }], ctx(1));
        expect(parts(found).map((p) => p.problem)).toEqual([
            expect.stringContaining("entry handing: acceptance of phase 1 by kilo-dev-engineer (Kilo), the handing team"),
        ]);
    });
});
