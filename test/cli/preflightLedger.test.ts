import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main as handoff } from "../../cli/handoff.js";
import { main as preflight } from "../../cli/preflight.js";
import { handoffClockVariable } from "../../policy/protocol/index.js";
import { captureOutput } from "../support/capturedOutput.js";
import { acceptance, ledgerUpTo, record, signOff, writeLedger } from "../support/ledgerFixtures.js";
import { evaluateInProcess } from "../support/inProcessPack.js";
import { projectDir } from "../support/stackFiles.js";

const output = captureOutput();
let savedClock: string | undefined;
beforeAll(() => {
    savedClock = process.env[handoffClockVariable];
    process.env[handoffClockVariable] = "2026-12-02T07:00:00Z";
});
afterAll(() => {
    if (savedClock === undefined) delete process.env[handoffClockVariable];
    else process.env[handoffClockVariable] = savedClock;
});

function project(setup: (dir: string) => void = () => undefined): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-ledger-"));
    for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(projectDir, file), path.join(dir, file));
    fs.cpSync(path.join(projectDir, "handoff"), path.join(dir, "handoff"), { recursive: true });
    fs.writeFileSync(path.join(dir, "handoff/evidence/secrets-report.md"), "# Secrets report\n");
    setup(dir);
    process.chdir(dir);
    return dir;
}

function setPhase(dir: string, phase: number): void {
    const file = path.join(dir, "Pulumi.prod.yaml");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("vauntico:phase: 1", `vauntico:phase: ${phase}`));
}

interface Report {
    verdicts: { policy: string; enforcement: string; message: string }[];
    manual: { id?: string }[];
}
function isReport(value: unknown): value is Report {
    return (
        typeof value === "object" && value !== null && "verdicts" in value && Array.isArray(value.verdicts) && "manual" in value && Array.isArray(value.manual)
    );
}

/**
 * Preflight's JSON; `realPack`: judged by the policy pack as a process (as the command does), else by the same
 * gates in-process (test/support/inProcessPack.ts): the ledger gates' own pack witness is ledgerGates.test.ts.
 */
async function preflightJson(realPack = false): Promise<{ code: number; report: Report }> {
    output.stdout = "";
    const code = await (realPack ? preflight(["--json"]) : preflight(["--json"], (plan) => evaluateInProcess(plan)));
    const report: unknown = JSON.parse(output.stdout);
    if (!isReport(report)) throw new Error(`unexpected preflight JSON: ${output.stdout.slice(0, 300)}`);
    return { code, report };
}

const mandatoryMessages = (report: Report) => report.verdicts.filter((v) => v.enforcement === "mandatory").map((v) => `${v.policy}: ${v.message}`);

describe("preflight judges the ledger", () => {
    it("a sign-off turns its item from open to confirmed", async () => {
        project();
        const before = await preflightJson(true);
        expect(before.code).toBe(0);
        expect(before.report.manual.map((m) => m.id)).toContain("p1.secrets-documented");
        expect(await handoff(["sign", "p1.secrets-documented", "--by", "kilo-dev-lead", "--evidence", "handoff/evidence/secrets-report.md"])).toBe(0);
        const after = await preflightJson();
        expect(after.code).toBe(0);
        expect(after.report.manual.map((m) => m.id)).not.toContain("p1.secrets-documented");
        expect(after.report.manual.map((m) => m.id)).toContain("p1.secrets-config-documented");
    }, 120_000);

    const failing: { title: string; setup: (dir: string) => Promise<void> | void; names: string }[] = [
        {
            title: "a signer from the wrong team",
            setup: (dir) =>
                writeLedger(dir, [record("prod", signOff("p1.secrets-documented", "cline-ops-engineer", "2026-12-01T10:00:00Z", { id: "sign-wrong-team" }))]),
            names: "entry sign-wrong-team: sign-off of p1.secrets-documented by cline-ops-engineer (Cline)",
        },
        {
            title: "an acceptance by the handing team",
            setup: (dir) => writeLedger(dir, [record("prod", acceptance(1, "kilo-dev-lead", "2026-12-01T10:00:00Z", { id: "accept-by-kilo" }))]),
            names: "entry accept-by-kilo: acceptance of phase 1 by kilo-dev-lead (Kilo), the handing team",
        },
        {
            title: "a tampered evidence file",
            setup: async (dir) => {
                expect(await handoff(["sign", "p1.secrets-documented", "--by", "kilo-dev-lead", "--evidence", "handoff/evidence/secrets-report.md"])).toBe(0);
                fs.appendFileSync(path.join(dir, "handoff/evidence/secrets-report.md"), "edited after signing\n");
            },
            names: "entry sign-off-20261202T070000Z-p1.secrets-documented: evidence file handoff/evidence/secrets-report.md of the sign-off of p1.secrets-documented has SHA-256",
        },
        {
            title: "a config phase without a phase-move entry",
            setup: (dir) => setPhase(dir, 2),
            names: "vauntico:phase is 2 but the handoff ledger's phase is 1 (no phase-move entry)",
        },
        {
            title: "an advance with an unsigned item",
            setup: (dir) => {
                writeLedger(
                    dir,
                    ledgerUpTo(2).filter((r) => !(r.entry.kind === "sign-off" && r.entry.item === "p1.pr-merge-approval")),
                );
                setPhase(dir, 2);
            },
            names: "phase-move move-1-2-2026-12-01T09:04:00Z took the stack past phase 1 but p1.pr-merge-approval is not signed off by Cline",
        },
    ];
    it.each(failing)(
        "exits 1 naming the entry: $title",
        async ({ setup, names }) => {
            const dir = project();
            await setup(dir);
            const { code, report } = await preflightJson();
            expect(code).toBe(1);
            expect(mandatoryMessages(report).join("\n")).toContain(names);
            // Only the ledger gates fail: the machines' gates are as green as on the prod stack.
            const failed = report.verdicts.filter((v) => v.enforcement === "mandatory").map((v) => v.policy);
            expect(failed.length).toBeGreaterThan(0);
            expect(failed.every((policy) => policy.startsWith("handoff-ledger-"))).toBe(true);
        },
        120_000,
    );

    it("a malformed ledger entry is a usage error (exit 2) naming file, entry and field, before anything runs", async () => {
        const dir = project();
        fs.appendFileSync(
            path.join(dir, "handoff/prod/acceptances.yaml"),
            "- id: accept-x\n  kind: acceptance\n  by: cline-ops-lead\n  at: 2026-12-02T07:00:00Z\n  phase: 1\n  score: 9\n",
        );
        output.stdout = "";
        expect(await preflight([], (plan) => evaluateInProcess(plan))).toBe(2);
        expect(output.stdout).toBe("");
        expect(output.stderr).toContain("handoff/prod/acceptances.yaml[accept-x].score: got 9; expected a whole number from 1 to 5");
    }, 120_000);
});
