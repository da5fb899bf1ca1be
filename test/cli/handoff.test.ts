import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main } from "../../cli/handoff.js";
import { handoffClockVariable, manualProtocolItems } from "../../policy/protocol/index.js";
import { captureOutput } from "../support/capturedOutput.js";
import { ledgerUpTo, writeLedger } from "../support/ledgerFixtures.js";
import { projectDir } from "../support/stackFiles.js";

const output = captureOutput();
const now = "2026-12-02T07:00:00Z";
let savedClock: string | undefined;
beforeAll(() => {
    savedClock = process.env[handoffClockVariable];
    process.env[handoffClockVariable] = now;
});
afterAll(() => {
    if (savedClock === undefined) delete process.env[handoffClockVariable];
    else process.env[handoffClockVariable] = savedClock;
});

/** A copy of the project's stack files and prod ledger, optionally with a ledger of its own; the cwd moves there. */
function project(setup: (dir: string) => void = () => undefined): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "handoff-"));
    for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(projectDir, file), path.join(dir, file));
    fs.cpSync(path.join(projectDir, "handoff"), path.join(dir, "handoff"), { recursive: true });
    fs.writeFileSync(path.join(dir, "handoff/evidence/secrets-report.md"), "# Secrets report\n");
    setup(dir);
    process.chdir(dir);
    return dir;
}

/** Every file of the ledger and the stack file, byte for byte. */
function snapshot(dir: string): Map<string, string> {
    const files = new Map<string, string>();
    const walk = (folder: string): void => {
        for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
            const full = path.join(folder, entry.name);
            if (entry.isDirectory()) walk(full);
            else files.set(path.relative(dir, full), fs.readFileSync(full, "utf8"));
        }
    };
    walk(path.join(dir, "handoff"));
    files.set("Pulumi.prod.yaml", fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8"));
    return files;
}

function setPhase(dir: string, phase: number): void {
    const file = path.join(dir, "Pulumi.prod.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("vauntico:phase: 1", `vauntico:phase: ${phase}`));
}

const atPhase2 = (dir: string): void => {
    writeLedger(dir, ledgerUpTo(2));
    setPhase(dir, 2);
};

const fifteenDays = new Date(Date.parse(now) + 14 * 86_400_000 + 1000).toISOString();
const badInput: { title: string; argv: string[]; argument: string; setup?: (dir: string) => void; says?: string }[] = [
    { title: "no verb", argv: [], argument: "no verb given" },
    { title: "unknown verb", argv: ["approve"], argument: 'unknown verb "approve"' },
    { title: "unknown option", argv: ["sign", "p1.secrets-documented", "--byy", "kilo-dev-lead"], argument: "--byy" },
    { title: "unknown stack", argv: ["sign", "p1.secrets-documented", "--by", "kilo-dev-lead", "--stack", "nosuch"], argument: "--stack" },
    {
        title: "sign: unknown item (lists the valid ids)",
        argv: ["sign", "p9.nothing", "--by", "kilo-dev-lead"],
        argument: "<item-id>",
        says: "p2.alerting-tested",
    },
    { title: "sign: no item", argv: ["sign", "--by", "kilo-dev-lead"], argument: "<item-id>" },
    {
        title: "sign: signer from the other team",
        argv: ["sign", "p1.secrets-documented", "--by", "cline-ops-lead"],
        argument: "--by",
        says: "a member of Kilo (kilo-dev-lead, kilo-dev-engineer)",
    },
    { title: "sign: signer in neither team", argv: ["sign", "p1.secrets-documented", "--by", "stranger"], argument: "--by" },
    { title: "sign: no signer", argv: ["sign", "p1.secrets-documented"], argument: "--by" },
    {
        title: "sign: evidence outside the repository",
        argv: ["sign", "p1.secrets-documented", "--by", "kilo-dev-lead", "--evidence", "../etc/passwd"],
        argument: "--evidence",
    },
    {
        title: "sign: missing evidence file",
        argv: ["sign", "p1.secrets-documented", "--by", "kilo-dev-lead", "--evidence", "handoff/evidence/none.md"],
        argument: "--evidence",
    },
    {
        title: "sign: http evidence URL",
        argv: ["sign", "p1.secrets-documented", "--by", "kilo-dev-lead", "--evidence", "http://example.com/r"],
        argument: "--evidence",
    },
    {
        title: "sign: already confirmed",
        argv: ["sign", "p1.secrets-documented", "--by", "kilo-dev-lead"],
        argument: "<item-id>",
        setup: (dir) =>
            writeLedger(
                dir,
                ledgerUpTo(2).filter((r) => r.entry.kind === "sign-off"),
            ),
        says: "already confirmed",
    },
    { title: "accept: score 0", argv: ["accept", "2", "--by", "kilo-dev-lead", "--score", "0"], argument: "--score", setup: atPhase2 },
    { title: "accept: score 6", argv: ["accept", "2", "--by", "kilo-dev-lead", "--score", "6"], argument: "--score", setup: atPhase2 },
    { title: "accept: score 4.5", argv: ["accept", "2", "--by", "kilo-dev-lead", "--score", "4.5"], argument: "--score", setup: atPhase2 },
    { title: "accept: no score", argv: ["accept", "2", "--by", "kilo-dev-lead"], argument: "--score", setup: atPhase2 },
    { title: "accept: phase 6", argv: ["accept", "6", "--by", "kilo-dev-lead", "--score", "5"], argument: "<phase>" },
    {
        title: "accept: by the handing team",
        argv: ["accept", "1", "--by", "kilo-dev-lead", "--score", "5", "--meeting", "2026-12-01", "--attendees", "kilo-dev-lead,cline-ops-lead"],
        argument: "--by",
        says: "only the receiving team",
    },
    { title: "accept: critical phase without its meeting", argv: ["accept", "1", "--by", "cline-ops-lead", "--score", "5"], argument: "--meeting" },
    {
        title: "accept: meeting without attendees",
        argv: ["accept", "1", "--by", "cline-ops-lead", "--score", "5", "--meeting", "2026-12-01"],
        argument: "--attendees",
    },
    {
        title: "accept: attendees from one team",
        argv: ["accept", "1", "--by", "cline-ops-lead", "--score", "5", "--meeting", "2026-12-01", "--attendees", "cline-ops-lead,cline-ops-engineer"],
        argument: "--attendees",
    },
    {
        title: "accept: attendee in neither team",
        argv: ["accept", "1", "--by", "cline-ops-lead", "--score", "5", "--meeting", "2026-12-01", "--attendees", "kilo-dev-lead,stranger"],
        argument: "--attendees",
    },
    {
        title: "accept: bad meeting date",
        argv: ["accept", "1", "--by", "cline-ops-lead", "--score", "5", "--meeting", "Tuesday", "--attendees", "kilo-dev-lead,cline-ops-lead"],
        argument: "--meeting",
    },
    { title: "accept: a phase not reached", argv: ["accept", "2", "--by", "kilo-dev-lead", "--score", "5"], argument: "<phase>" },
    {
        title: "waive: unknown gate (lists the waivable ones)",
        argv: ["waive", "p9-none", "--resource", "stack", "--reason", "r", "--by", "cline-ops-lead", "--expires", "7d"],
        argument: "<gate-id>",
        says: "p3-payments-dashboard",
    },
    {
        title: "waive: a security gate",
        argv: ["waive", "p1-secret-strength", "--resource", "stack", "--reason", "r", "--by", "cline-ops-lead", "--expires", "7d"],
        argument: "<gate-id>",
        says: "can never be waived",
    },
    {
        title: "waive: the live-keys gate",
        argv: ["waive", "p5-live-payment-keys-only-at-phase-5", "--resource", "stack", "--reason", "r", "--by", "cline-ops-lead", "--expires", "7d"],
        argument: "<gate-id>",
        says: "can never be waived",
    },
    {
        title: "waive: approved by the owner team",
        argv: ["waive", "p3-payments-dashboard", "--resource", "stack", "--reason", "r", "--by", "kilo-dev-lead", "--expires", "7d"],
        argument: "--by",
        says: "a member of Cline",
    },
    {
        title: "waive: expiry in the past",
        argv: ["waive", "p3-payments-dashboard", "--resource", "stack", "--reason", "r", "--by", "cline-ops-lead", "--expires", "2026-12-01T07:00:00Z"],
        argument: "--expires",
        says: "not in the future",
    },
    {
        title: "waive: expiry now",
        argv: ["waive", "p3-payments-dashboard", "--resource", "stack", "--reason", "r", "--by", "cline-ops-lead", "--expires", now],
        argument: "--expires",
    },
    {
        title: "waive: 15 days",
        argv: ["waive", "p3-payments-dashboard", "--resource", "stack", "--reason", "r", "--by", "cline-ops-lead", "--expires", "15d"],
        argument: "--expires",
        says: "more than 14 days",
    },
    {
        title: "waive: 14 days and a second",
        argv: ["waive", "p3-payments-dashboard", "--resource", "stack", "--reason", "r", "--by", "cline-ops-lead", "--expires", fifteenDays],
        argument: "--expires",
    },
    {
        title: "waive: unreadable expiry",
        argv: ["waive", "p3-payments-dashboard", "--resource", "stack", "--reason", "r", "--by", "cline-ops-lead", "--expires", "next week"],
        argument: "--expires",
    },
    {
        title: "waive: no reason",
        argv: ["waive", "p3-payments-dashboard", "--resource", "stack", "--by", "cline-ops-lead", "--expires", "7d"],
        argument: "--reason",
    },
    {
        title: "waive: no resource",
        argv: ["waive", "p3-payments-dashboard", "--reason", "r", "--by", "cline-ops-lead", "--expires", "7d"],
        argument: "--resource",
    },
    {
        title: "waive: malformed blocker id",
        argv: ["waive", "p3-payments-dashboard", "--resource", "stack", "--reason", "r", "--by", "cline-ops-lead", "--expires", "7d", "--blocker", "B-1"],
        argument: "--blocker",
    },
    { title: "advance: open items (listed)", argv: ["advance", "--by", "cline-ops-lead"], argument: "advance", says: "p1.secrets-documented (Kilo)" },
    {
        title: "advance: phase accepted but an item unsigned",
        argv: ["advance", "--by", "kilo-dev-lead"],
        argument: "advance",
        says: "p2.alerting-tested",
        setup: (dir) => {
            writeLedger(dir, [...ledgerUpTo(2), ...ledgerUpTo(3).filter((r) => r.entry.kind === "acceptance" && r.entry.phase === 2)]);
            setPhase(dir, 2);
        },
    },
    { title: "advance: by the handing team", argv: ["advance", "--by", "kilo-dev-lead"], argument: "--by" },
    {
        title: "advance: config phase without a phase move",
        argv: ["advance", "--by", "cline-ops-lead"],
        argument: "--stack",
        setup: (dir) => setPhase(dir, 2),
        says: "vauntico:phase is 2",
    },
    {
        title: "rollback: not below the current phase",
        argv: ["rollback", "1", "--by", "kilo-dev-lead", "--second", "cline-ops-lead", "--reason", "r"],
        argument: "<phase>",
    },
    {
        title: "rollback: second from the same team",
        argv: ["rollback", "1", "--by", "kilo-dev-lead", "--second", "kilo-dev-engineer", "--reason", "r"],
        argument: "--second",
        setup: atPhase2,
    },
    { title: "rollback: no second", argv: ["rollback", "1", "--by", "kilo-dev-lead", "--reason", "r"], argument: "--second", setup: atPhase2 },
    { title: "rollback: no reason", argv: ["rollback", "1", "--by", "kilo-dev-lead", "--second", "cline-ops-lead"], argument: "--reason", setup: atPhase2 },
    {
        title: "rollback: by someone in neither team",
        argv: ["rollback", "1", "--by", "stranger", "--second", "cline-ops-lead", "--reason", "r"],
        argument: "--by",
        setup: atPhase2,
    },
];

describe("handoff: bad input exits 2 naming the argument and leaves the ledger byte-identical", () => {
    it.each(badInput)("$title", async ({ argv, argument, setup, says }) => {
        const dir = project(setup);
        const before = snapshot(dir);
        expect(await main(argv)).toBe(2);
        expect(output.stderr).toContain(argument);
        // The verb is named once ("handoff advance: cannot leave …"), never twice.
        expect(output.stderr).not.toMatch(/\b(\w+): \1:/);
        if (says !== undefined) expect(output.stderr).toContain(says);
        expect(output.stdout).toBe("");
        expect(snapshot(dir)).toEqual(before);
    });
});

function entriesOf(dir: string, file: string): Record<string, unknown>[] {
    const parsed: unknown = parse(fs.readFileSync(path.join(dir, "handoff/prod", file), "utf8"));
    return Array.isArray(parsed) ? parsed : [];
}

describe("handoff: entries written through the YAML document, comments kept", () => {
    let dir: string;
    beforeEach(() => {
        dir = project();
    });

    it("sign appends one entry to the owner team's file, with the evidence's SHA-256", async () => {
        const header = fs.readFileSync(path.join(dir, "handoff/prod/sign-offs/kilo.yaml"), "utf8");
        expect(
            await main([
                "sign",
                "p1.secrets-documented",
                "--by",
                "kilo-dev-engineer",
                "--evidence",
                "handoff/evidence/secrets-report.md",
                "--note",
                "published",
            ]),
        ).toBe(0);
        const text = fs.readFileSync(path.join(dir, "handoff/prod/sign-offs/kilo.yaml"), "utf8");
        expect(text.startsWith(header)).toBe(true);
        expect(entriesOf(dir, "sign-offs/kilo.yaml")).toEqual([
            {
                id: "sign-off-20261202T070000Z-p1.secrets-documented",
                kind: "sign-off",
                by: "kilo-dev-engineer",
                at: now,
                item: "p1.secrets-documented",
                evidence: { path: "handoff/evidence/secrets-report.md", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
                note: "published",
            },
        ]);
        expect(entriesOf(dir, "sign-offs/cline.yaml")).toEqual([]);
    });

    it("waive for exactly 14 days writes the waiver and its mirror in vauntico:waivers, the stack file's comments kept", async () => {
        const stackBefore = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
        expect(
            await main([
                "waive",
                "p3-payments-dashboard",
                "--resource",
                "stack",
                "--reason",
                "dashboard ships Friday",
                "--by",
                "cline-ops-lead",
                "--expires",
                "14d",
                "--blocker",
                "BLOCKER-P3-ABC123",
            ]),
        ).toBe(0);
        const [entry] = entriesOf(dir, "waivers.yaml");
        expect(entry).toMatchObject({
            kind: "waiver",
            gate: "p3-payments-dashboard",
            resource: "stack",
            by: "cline-ops-lead",
            at: now,
            expires: "2026-12-16T07:00:00Z",
            blocker: "BLOCKER-P3-ABC123",
        });
        const stackAfter = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
        expect(stackAfter.startsWith(stackBefore)).toBe(true);
        const config: unknown = parse(stackAfter);
        expect(config).toMatchObject({ config: { "vauntico:waivers": [entry] } });
    });

    it("advance after the phase's items are signed and it is accepted: a phase-move entry and vauntico:phase, nothing else of the stack file changed", async () => {
        for (const item of manualProtocolItems().filter((i) => i.phase === 1)) {
            expect(
                await main([
                    "sign",
                    item.id,
                    "--by",
                    item.owner === "Kilo" ? "kilo-dev-lead" : "cline-ops-lead",
                    "--evidence",
                    "https://github.com/vauntico/vauntico-mvp/pull/7",
                ]),
            ).toBe(0);
        }
        expect(
            await main(["accept", "1", "--by", "cline-ops-engineer", "--score", "4", "--meeting", "2026-12-01", "--attendees", "kilo-dev-lead,cline-ops-lead"]),
        ).toBe(0);
        const stackBefore = fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8");
        expect(await main(["advance", "--by", "cline-ops-lead"])).toBe(0);
        expect(entriesOf(dir, "phase-moves.yaml")).toEqual([
            { id: "phase-move-20261202T070000Z-1-to-2", kind: "phase-move", by: "cline-ops-lead", at: now, from: 1, to: 2 },
        ]);
        expect(fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8")).toBe(stackBefore.replace("  vauntico:phase: 1\n", "  vauntico:phase: 2\n"));
        expect(await main(["rollback", "1", "--by", "kilo-dev-lead", "--second", "cline-ops-engineer", "--reason", "secrets rotated"])).toBe(0);
        expect(fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8")).toBe(stackBefore);
        expect(entriesOf(dir, "phase-moves.yaml").map((e) => [e["from"], e["to"], e["second"]])).toEqual([
            [1, 2, undefined],
            [2, 1, "cline-ops-engineer"],
        ]);
    });
});

describe("handoff status --json", () => {
    it("lists every item of the stack's phases with its state, the handoffs and the waivers, in the issue's shape", async () => {
        project((dir) => {
            writeLedger(dir, ledgerUpTo(1));
        });
        expect(await main(["sign", "p1.secrets-documented", "--by", "kilo-dev-lead", "--evidence", "handoff/evidence/secrets-report.md"])).toBe(0);
        output.stdout = "";
        expect(await main(["status", "--json"])).toBe(0);
        const status: unknown = JSON.parse(output.stdout);
        expect(status).toMatchObject({ stack: "prod", phase: 1 });
        if (typeof status !== "object" || status === null || !("items" in status) || !Array.isArray(status.items)) throw new Error("no items");
        expect(status.items).toContainEqual({
            id: "p1.secrets-documented",
            phase: 1,
            text: "Document all generated secrets in `SECRETS_GENERATION_REPORT.md`",
            owner: "Kilo",
            kind: "manual",
            state: "confirmed",
            by: "kilo-dev-lead",
            at: now,
            evidence: expect.stringMatching(/^handoff\/evidence\/secrets-report\.md \(sha256 [0-9a-f]{64}\)$/),
        });
        expect(status.items).toContainEqual(expect.objectContaining({ id: "p1.secrets-config-documented", kind: "manual", state: "open" }));
        expect(status.items).toContainEqual(expect.objectContaining({ id: "p1-secret-strength", kind: "automated", state: "passed", owner: "Kilo" }));
        expect(status.items.every((i: { phase: number }) => i.phase === 1)).toBe(true);
        expect(status).toMatchObject({
            handoffs: [
                { phase: 1, accepted: false },
                { phase: 2, accepted: false },
                { phase: 3, accepted: false },
                { phase: 4, accepted: false },
                { phase: 5, accepted: false },
            ],
            waivers: [],
        });
    }, 120_000);
});
