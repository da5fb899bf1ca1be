import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { previewVerdicts } from "../../../cli/blockers/drift.js";
import { desiredBlockers } from "../../../cli/blockers/issueModel.js";
import { syncBlockers } from "../../../cli/blockers/sync.js";
import type { GitHubDouble } from "../../doubles/github.js";
import { TestClock, client, gateInput, repo, startDouble, teams, urn, violation } from "./harness.js";

const webhook = urn("github:index/repositoryWebhook:RepositoryWebhook", "stripe");
const branch = urn("github:index/branchProtection:BranchProtection", "main");
const stack = "urn:pulumi:prod::vauntico-deploy::pulumi:pulumi:Stack::vauntico-deploy-prod";
const gateFailure = violation("p1-default-branch-protection", branch, "main allows force pushes").message;

function digest(steps: { op: string; urn: string }[], diagnostics: { urn?: string; message: string; severity: string }[] = []): string {
    return JSON.stringify({ config: {}, steps, diagnostics, duration: 1, changeSummary: {} });
}

describe("drift from `pulumi preview --refresh --expect-no-changes --json`", () => {
    it("a resource the refreshed preview would change is drift; same, read and refresh steps and the stack itself are not", () => {
        const verdicts = previewVerdicts(
            digest([
                { op: "update", urn: webhook },
                { op: "same", urn: branch },
                { op: "refresh", urn: branch },
                { op: "read", urn: branch },
                { op: "same", urn: stack },
            ]),
            2,
        );
        expect(verdicts).toEqual([
            {
                policy: "drift",
                phase: 2,
                enforcement: "mandatory",
                urn: webhook,
                message: "drift: a refreshed preview wants to update this resource, so it was changed outside Pulumi since the last `up`",
            },
        ]);
    });

    it("a gate's error in the preview's diagnostics is a live gate violation; warnings and other errors are not", () => {
        const verdicts = previewVerdicts(
            digest(
                [],
                [
                    { urn: branch, message: `mandatory: ${gateFailure}`, severity: "error" },
                    { urn: branch, message: gateFailure, severity: "warning" },
                    { message: "[not-a-gate] phase 1 (x) broken", severity: "error" },
                ],
            ),
            1,
        );
        expect(verdicts).toEqual([{ policy: "p1-default-branch-protection", phase: 1, enforcement: "mandatory", urn: branch, message: gateFailure }]);
    });

    it("a file that is not a preview digest is a usage error naming --preview", () => {
        expect(() => previewVerdicts("not json", 1)).toThrow(/^--preview: expected the JSON/);
        expect(() => previewVerdicts(JSON.stringify({ steps: [{ op: 1 }] }), 1)).toThrow(/^--preview: not a pulumi preview digest: steps\.0\.op: /);
    });
});

describe("drift blockers on GitHub", () => {
    let double: GitHubDouble;
    const clock = new TestClock("2026-12-02T05:17:00Z");
    beforeEach(async () => {
        double = await startDouble(clock);
    });
    afterEach(async () => {
        expect(double.violations).toEqual([]);
        await double.close();
    });

    it('drift opens "drift in <resource>", the same drift tomorrow writes nothing, a clean preview closes it', async () => {
        const sync = (json: string) => syncBlockers(client(double), repo, desiredBlockers(gateInput(previewVerdicts(json, 1)), teams), clock.now);
        await sync(digest([{ op: "update", urn: webhook }]));
        expect(double.issues.map((i) => i.title)).toEqual([
            expect.stringMatching(/^\[BLOCKER-P1-[0-9A-F]{6}\] drift in github:index\/repositoryWebhook:RepositoryWebhook::stripe$/),
        ]);
        expect(double.issues[0]?.body).toContain("- **Reproduction Steps**: `pulumi preview --refresh --expect-no-changes --stack prod --policy-pack policy`");
        const before = double.requests.length;
        await sync(digest([{ op: "update", urn: webhook }]));
        expect(double.writesSince(before)).toEqual([]);
        await sync(digest([{ op: "same", urn: webhook }]));
        expect(double.issues[0]?.state).toBe("closed");
    });
});
