import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultContext } from "../../../cli/blockers/command.js";
import { runReport } from "../../../cli/report.js";
import { parseDeliver, postStatusComment } from "../../../cli/reports/statusDelivery.js";
import type { GitHubDouble } from "../../doubles/github.js";
import { type SlackDouble, startSlackDouble } from "../../doubles/slack.js";
import { TestClock, client, fastGitHub, repo, startDouble, token } from "../blockers/harness.js";

const start = "2026-12-02T07:00:00Z";

describe("status delivered to the stack's pinned tracking issue", () => {
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

    const post = (text: string) => postStatusComment(client(double), repo, "prod", text, clock.now);

    it("first delivery: the tracking issue created and pinned, today's comment posted", async () => {
        expect(await post("status A")).toEqual({ issue: 1, comment: "created" });
        expect(double.issues.map((i) => [i.title, i.labels])).toEqual([["Deployment status — stack prod", ["deployment-status"]]]);
        expect(double.pinned).toEqual([1]);
        expect(double.comments.map((c) => c.body)).toEqual(["<!-- vauntico-status stack=prod date=2026-12-02 -->\nstatus A"]);
    });

    it("later the same day: today's comment edited; the same text again: no write; the next day: a new comment, yesterday's kept", async () => {
        await post("status A");
        clock.set(8 * 60, start);
        expect(await post("status B")).toEqual({ issue: 1, comment: "updated" });
        const before = double.requests.length;
        expect(await post("status B")).toEqual({ issue: 1, comment: "unchanged" });
        expect(double.writesSince(before)).toEqual([]);
        clock.set(24 * 60, start);
        expect(await post("status C")).toEqual({ issue: 1, comment: "created" });
        expect(double.comments.map((c) => c.body)).toEqual([
            "<!-- vauntico-status stack=prod date=2026-12-02 -->\nstatus B",
            "<!-- vauntico-status stack=prod date=2026-12-03 -->\nstatus C",
        ]);
        expect(double.issues).toHaveLength(1);
        expect(double.pinned).toEqual([1]);
    });

    it("23:59 and 00:00 UTC fall on different days", async () => {
        clock.set(16 * 60 + 59, start);
        await post("late");
        clock.set(17 * 60, start);
        expect((await post("early")).comment).toBe("created");
    });

    it("--deliver takes slack, github or both; anything else is a usage error naming the flag", () => {
        expect(parseDeliver("slack,github")).toEqual(["slack", "github"]);
        expect(parseDeliver("github")).toEqual(["github"]);
        expect(() => parseDeliver("email")).toThrow(/^--deliver: unknown target "email"; expected a comma-separated list of: slack, github$/);
        expect(() => parseDeliver("")).toThrow(/^--deliver: empty/);
    });
});

describe("npm run report -- status --deliver slack,github", () => {
    let double: GitHubDouble;
    let slack: SlackDouble;
    const clock = new TestClock(start);

    beforeEach(async () => {
        double = await startDouble(clock);
        slack = await startSlackDouble();
    });
    afterEach(async () => {
        expect(double.violations).toEqual([]);
        await double.close();
        await slack.close();
    });

    it("prints the status, posts it to Slack and as today's comment; neither the token nor the webhook URL is printed", async () => {
        const out: string[] = [];
        const err: string[] = [];
        const context = {
            ...defaultContext,
            env: { GITHUB_TOKEN: token, GITHUB_API_URL: double.url, GITHUB_REPOSITORY: "vauntico/vauntico-deploy", SLACK_WEBHOOK_URL: slack.url },
            clock: clock.now,
            out: (t: string) => out.push(t),
            err: (t: string) => err.push(t),
            github: fastGitHub,
            slack: { retries: 0 },
        };
        expect(await runReport(["status", "--deliver", "slack,github"], context)).toBe(0);
        const status = out.join("");
        expect(status).toMatch(/^# Vauntico Deployment Status Update — stack prod\n/);
        expect(slack.messages).toEqual([{ text: status }]);
        expect(double.comments.map((c) => c.body)).toEqual([`<!-- vauntico-status stack=prod date=2026-12-02 -->\n${status}`]);
        const printed = [...out, ...err].join("");
        expect(printed).not.toContain(token);
        expect(printed).not.toContain(slack.url);
    });

    it.each([
        [["handoff", "--deliver", "slack"], /report handoff: --deliver does not apply/],
        [["status", "--json"], /report status: --json does not apply/],
        [["status", "--deliver", "fax"], /--deliver: unknown target "fax"/],
    ])("%j → exit 2 before anything is delivered", async (argv, message) => {
        const err: string[] = [];
        const context = {
            ...defaultContext,
            env: { GITHUB_TOKEN: token, GITHUB_API_URL: double.url, GITHUB_REPOSITORY: "vauntico/vauntico-deploy", SLACK_WEBHOOK_URL: slack.url },
            out: () => undefined,
            err: (t: string) => err.push(t),
        };
        expect(
            await runReport(argv, context, async () => {
                throw new Error("the plan must not run");
            }),
        ).toBe(2);
        expect(err.join("")).toMatch(message);
        expect(double.requests).toEqual([]);
        expect(slack.messages).toEqual([]);
    });
});
