import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { desiredBlockers } from "../../../cli/blockers/issueModel.js";
import { syncBlockers } from "../../../cli/blockers/sync.js";
import type { Verdict } from "../../../cli/analyzer/index.js";
import type { GitHubDouble } from "../../doubles/github.js";
import { TestClock, client, gateInput, repo, startDouble, teams, token, urn, violation, waived } from "./harness.js";

const start = "2026-12-02T07:00:00Z";
const branch = urn("github:index/branchProtection:BranchProtection", "main");
const environment = urn("github:index/repositoryEnvironment:RepositoryEnvironment", "production");
const three: Verdict[] = [
    violation("p1-default-branch-protection", branch, "main allows force pushes"),
    violation("p1-production-environment", environment, "the environment has no required reviewer"),
    violation("p1-secrets-generated", null, "no generated secret is declared"),
];

describe("blockers sync against the GitHub double", () => {
    let double: GitHubDouble;
    let clock: TestClock;

    beforeEach(async () => {
        clock = new TestClock(start);
        double = await startDouble(clock);
    });
    afterEach(async () => {
        expect(double.violations).toEqual([]);
        await double.close();
    });

    const sync = (verdicts: readonly Verdict[]) => syncBlockers(client(double), repo, desiredBlockers(gateInput(verdicts), teams), clock.now);

    it("N verdicts → N issues, in the template, labelled, assigned to the owning team's lead, with the hidden marker", async () => {
        const result = await sync(three);
        expect(result.created).toHaveLength(3);
        expect(double.issues).toHaveLength(3);
        const ids = desiredBlockers(gateInput(three), teams).blockers.map((b) => b.id);
        for (const [index, issue] of double.issues.entries()) {
            expect(issue.body).toContain(`<!-- vauntico-blocker id=${ids[index]} stack=prod -->`);
            expect(issue.body).toContain("# BLOCKER REPORT");
            for (const section of ["Issue Summary", "Issue Details", "Current Status", "Resolution Plan", "Communication"])
                expect(issue.body).toContain(`## ${section}`);
            expect(issue.body).toContain("- **Date Reported**: 2026-12-02 07:00 UTC");
            expect(issue.labels).toEqual(expect.arrayContaining(["blocker", "phase:1", "team:kilo", "escalation:L1"]));
            expect(issue.labels.filter((l) => l.startsWith("severity:"))).toHaveLength(1);
            expect(issue.assignees).toEqual(["kilo-dev-lead"]);
        }
    });

    it("the same verdicts again → zero write calls; an hour later too (the body keeps its report date)", async () => {
        await sync(three);
        const before = double.requests.length;
        clock.set(60, start);
        const again = await sync(three);
        expect(double.writesSince(before)).toEqual([]);
        expect(again.unchanged).toHaveLength(3);
    });

    it("one blocker fixed → exactly that issue closed with a comment; the others untouched", async () => {
        await sync(three);
        const before = double.requests.length;
        const result = await sync(three.slice(1));
        expect(result.closed).toHaveLength(1);
        expect(double.issues.map((i) => i.state)).toEqual(["closed", "open", "open"]);
        expect(double.issues[0]?.stateReason).toBe("completed");
        expect(double.writesSince(before).map((r) => `${r.method} ${r.path}`)).toEqual([
            `POST /repos/vauntico/vauntico-deploy/issues/${double.issues[0]?.number}/comments`,
            `PATCH /repos/vauntico/vauntico-deploy/issues/${double.issues[0]?.number}`,
        ]);
        expect(double.comments.at(-1)?.body).toMatch(/^Resolved: the gate behind BLOCKER-P1-[0-9A-F]{6} passes at 2026-12-02 07:00 UTC\. Closing\.$/);
    });

    it("a waived blocker → closed, not planned, the waiver named in the comment; it keeps its ID", async () => {
        await sync(three);
        const waiver = "waived by cline-ops-lead until 2026-12-09T00:00:00Z (reviewers being onboarded)";
        const result = await sync([three[0], waived("p1-production-environment", environment, waiver), three[2]].filter((v) => v !== undefined));
        expect(result.waived).toHaveLength(1);
        const issue = double.issues[1];
        expect(issue?.state).toBe("closed");
        expect(issue?.stateReason).toBe("not_planned");
        expect(issue?.labels).toContain("blocker:waived");
        expect(double.comments.at(-1)?.body).toContain(waiver);
        expect(double.comments.at(-1)?.body).toContain(result.waived[0]?.split(" ")[0] ?? "?");
    });

    it("a blocker that comes back → the same issue reopened (escalation back to L1), never a second one", async () => {
        await sync(three);
        await sync([]);
        expect(double.issues.every((i) => i.state === "closed")).toBe(true);
        clock.set(30, start);
        const result = await sync(three.slice(0, 1));
        expect(result.reopened).toHaveLength(1);
        expect(double.issues).toHaveLength(3);
        expect(double.issues[0]?.state).toBe("open");
        expect(double.comments.at(-1)?.body).toMatch(/^<!-- vauntico-blocker-reopened -->\nReopened:/);
    });

    it("a changed message updates the issue in place (found by its marker, not its title)", async () => {
        await sync(three);
        const issue = double.issues[0];
        if (issue) issue.title = "renamed by a person";
        const before = double.requests.length;
        const changed = [violation("p1-default-branch-protection", branch, "main allows deletions"), ...three.slice(1)];
        const result = await sync(changed);
        expect(result.updated).toHaveLength(1);
        expect(double.issues).toHaveLength(3);
        expect(double.issues[0]?.body).toContain("main allows deletions");
        expect(double.writesSince(before)).toHaveLength(1);
    });

    it("a flaky 502 on create → retried by the plugin, no duplicate", async () => {
        double.fault("post", "/repos/{owner}/{repo}/issues", "bad-gateway");
        await sync(three);
        expect(double.issues).toHaveLength(3);
        expect(double.requests.filter((r) => r.status === 502)).toHaveLength(1);
    });

    it("a connection dropped after GitHub created the issue → found by its marker, not created twice", async () => {
        double.fault("post", "/repos/{owner}/{repo}/issues", "drop-after");
        const result = await sync(three);
        expect(result.created).toHaveLength(3);
        expect(double.issues).toHaveLength(3);
        expect(double.requests.filter((r) => r.status === "dropped")).toHaveLength(1);
    });

    it("a 502 mid-sync on a list and a dropped connection on a comment → retried, the state right once", async () => {
        await sync(three);
        double.fault("get", "/repos/{owner}/{repo}/issues", "bad-gateway");
        double.fault("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments", "drop-before");
        await sync(three.slice(1));
        expect(double.issues.map((i) => i.state)).toEqual(["closed", "open", "open"]);
        expect(double.comments.filter((c) => c.body.startsWith("Resolved:"))).toHaveLength(1);
    });

    it("a 403 secondary rate limit with retry-after → waited out by the throttling plugin, then done", async () => {
        double.fault("post", "/repos/{owner}/{repo}/labels", "secondary-rate-limit");
        const warnings: string[] = [];
        const began = Date.now();
        await syncBlockers(client(double, warnings), repo, desiredBlockers(gateInput(three), teams), clock.now);
        expect(double.issues).toHaveLength(3);
        expect(double.requests.filter((r) => r.status === 403)).toHaveLength(1);
        expect(warnings.join("\n")).toMatch(/secondary rate limit .* retrying after 1 s/);
        expect(Date.now() - began).toBeLessThan(10_000);
    });

    it("the token never reaches an issue, a comment or a response body", async () => {
        await sync(three);
        await sync([]);
        const texts = [
            ...double.issues.map((i) => `${i.title}\n${i.body}`),
            ...double.comments.map((c) => c.body),
            ...double.requests.map((r) => `${r.requestBody}\n${r.responseBody}`),
        ];
        expect(texts.join("\n")).not.toContain(token);
    });
});
