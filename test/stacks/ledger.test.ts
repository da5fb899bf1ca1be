import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { StackConfigError, readLedger } from "../../stacks/index.js";
import { ledgerUpTo, signOff, record, writeLedger } from "../support/ledgerFixtures.js";
import { projectDir } from "../support/stackFiles.js";

function folder(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "ledger-read-"));
}

describe("readLedger", () => {
    it("reads the prod stack's starter ledger: no entry, so phase 1 (as Pulumi.prod.yaml declares)", () => {
        expect(readLedger(projectDir, "prod")).toEqual({ stack: "prod", records: [], evidence: {} });
    });

    it("reads every file of handoff/<stack>/ and hashes the evidence sign-offs point at (null when missing)", () => {
        const dir = folder();
        fs.mkdirSync(path.join(dir, "handoff/evidence"), { recursive: true });
        fs.writeFileSync(path.join(dir, "handoff/evidence/report.md"), "report\n");
        const withEvidence = record("prod", signOff("p2.alerting-tested", "cline-ops-lead", "2026-12-01T12:00:00Z", { evidence: { path: "handoff/evidence/report.md", sha256: "0".repeat(64) } }));
        const missing = record("prod", signOff("p2.dashboards-verified", "cline-ops-lead", "2026-12-01T12:01:00Z", { evidence: { path: "handoff/evidence/none.md", sha256: "0".repeat(64) } }));
        writeLedger(dir, [...ledgerUpTo(2), withEvidence, missing]);
        const ledger = readLedger(dir, "prod");
        expect(ledger.records).toHaveLength(ledgerUpTo(2).length + 2);
        expect(ledger.evidence).toEqual({ "handoff/evidence/report.md": createHash("sha256").update("report\n").digest("hex"), "handoff/evidence/none.md": null });
    });

    it("names every malformed entry by file, entry and field, and duplicate ids across files", () => {
        const dir = folder();
        const entry = signOff("p1.secrets-documented", "kilo-dev-lead", "2026-12-01T10:00:00Z", { id: "same-id" });
        writeLedger(dir, [record("prod", entry)]);
        fs.writeFileSync(path.join(dir, "handoff/prod/acceptances.yaml"), "- id: same-id\n  kind: acceptance\n  by: cline-ops-lead\n  at: 2026-12-01T11:00:00Z\n  phase: 1\n  score: 7\n- id: moved\n  kind: phase-move\n  by: cline-ops-lead\n  at: 2026-12-01T11:00:00Z\n  from: 1\n  to: 2\n");
        fs.writeFileSync(path.join(dir, "handoff/prod/waivers.yaml"), "id: not-a-list\n");
        fs.writeFileSync(path.join(dir, "handoff/prod/phase-moves.yaml"), "- [unclosed\n");
        let error: unknown;
        try {
            readLedger(dir, "prod");
        } catch (caught) {
            error = caught;
        }
        if (!(error instanceof StackConfigError)) throw new Error("expected a StackConfigError");
        expect(error.problems.map((p) => p.key)).toEqual([
            "handoff/prod/acceptances.yaml[same-id].score",
            "handoff/prod/acceptances.yaml[moved].kind",
            "handoff/prod/waivers.yaml[(document)].(top level)",
            "handoff/prod/phase-moves.yaml",
        ]);
        expect(error.message).toContain("handoff/prod/acceptances.yaml[same-id].score: got 7; expected a whole number from 1 to 5");
    });

    it("refuses an id used in two files", () => {
        const dir = folder();
        const a = signOff("p1.secrets-documented", "kilo-dev-lead", "2026-12-01T10:00:00Z", { id: "dup" });
        const b = signOff("p1.pr-merge-approval", "cline-ops-lead", "2026-12-01T10:00:00Z", { id: "dup" });
        writeLedger(dir, [record("prod", a), record("prod", b)]);
        expect(() => readLedger(dir, "prod")).toThrow(/handoff\/prod\/sign-offs\/cline\.yaml\[dup\]\.id: ids are unique across the stack's ledger; also used in handoff\/prod\/sign-offs\/kilo\.yaml/);
    });
});
