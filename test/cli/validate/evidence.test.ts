import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evidenceFileName, evidenceFolder, evidenceLines, recordEvidence, signerProblem, signLine } from "../../../cli/validate/evidence.js";

const evidence = { path: "handoff/evidence/validate-webhooks-2026-12-02T07-30-00Z.md", sha256: "ab".repeat(32) };

describe("evidenceFileName", () => {
    it("carries the kind and the UTC time to the second, portable (no colons)", () => {
        expect(evidenceFileName("monitoring", new Date("2026-12-02T07:30:00.999Z"))).toBe("validate-monitoring-2026-12-02T07-30-00Z.md");
        expect(evidenceFileName("webhooks", new Date("2026-01-09T23:05:59.000Z"))).toBe("validate-webhooks-2026-01-09T23-05-59Z.md");
    });
});

describe("recordEvidence", () => {
    it("writes the report under the evidence folder (made when missing), returns its path and SHA-256, never overwrites", () => {
        const dir = mkdtempSync(join(tmpdir(), "vauntico-evidence-"));
        try {
            const at = new Date("2026-12-02T07:30:00Z");
            const recorded = recordEvidence(dir, "webhooks", "# Report é\n", at);
            expect(recorded).toEqual({
                path: `${evidenceFolder}/validate-webhooks-2026-12-02T07-30-00Z.md`,
                sha256: createHash("sha256").update(Buffer.from("# Report é\n", "utf8")).digest("hex"),
            });
            expect(readFileSync(join(dir, recorded.path), "utf8")).toBe("# Report é\n");
            expect(() => recordEvidence(dir, "webhooks", "other", at)).toThrow(/EEXIST/);
            expect(readFileSync(join(dir, recorded.path), "utf8")).toBe("# Report é\n");
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("signerProblem", () => {
    it("no --by is fine; --by needs --record and a GitHub login", () => {
        expect(signerProblem(undefined, false)).toBeUndefined();
        expect(signerProblem(undefined, true)).toBeUndefined();
        expect(signerProblem("kilo-dev-lead", true)).toBeUndefined();
        expect(signerProblem("kilo-dev-lead", false)).toBe("--by names who signs the recorded evidence; it applies with --record only");
        expect(signerProblem("not a login", true)).toBe('--by "not a login": expected a GitHub username (letters, digits, single hyphens, ≤ 39 characters)');
    });
});

describe("signLine and evidenceLines", () => {
    it("a sign line names --stack only when it is not handoff sign's default, and a placeholder login when none was given", () => {
        expect(signLine("p2.dashboards-verified", evidence, { by: undefined, stack: "prod" })).toBe(
            `npm run handoff -- sign p2.dashboards-verified --by <LOGIN> --evidence ${evidence.path}`,
        );
        expect(signLine("p2.dashboards-verified", evidence, { by: "cline-ops-lead", stack: "staging" })).toBe(
            `npm run handoff -- sign p2.dashboards-verified --stack staging --by cline-ops-lead --evidence ${evidence.path}`,
        );
    });

    it("the file and its hash, a sign line per answered item (its note above it), then why the others are not", () => {
        expect(
            evidenceLines(
                evidence,
                [{ id: "p2.validation-results-documented" }, { id: "p2.payment-flows-tested", note: "webhook leg only" }],
                ["p2.validation-tests-passing: frontend"],
                {
                    by: undefined,
                    stack: "prod",
                },
            ),
        ).toBe(
            [
                `evidence: ${evidence.path} (sha256 ${evidence.sha256})`,
                `npm run handoff -- sign p2.validation-results-documented --by <LOGIN> --evidence ${evidence.path}`,
                "# webhook leg only",
                `npm run handoff -- sign p2.payment-flows-tested --by <LOGIN> --evidence ${evidence.path}`,
                "# p2.validation-tests-passing: frontend",
                "",
            ].join("\n"),
        );
    });
});
