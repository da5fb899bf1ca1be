import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CommandContext, defaultContext } from "../../../cli/blockers/command.js";
import { escalateCommand } from "../../../cli/blockers/escalateCommand.js";
import { syncCommand } from "../../../cli/blockers/syncCommand.js";
import { main as blockersMain } from "../../../cli/blockers.js";
import type { GitHubDouble } from "../../doubles/github.js";
import { type SlackDouble, startSlackDouble } from "../../doubles/slack.js";
import { TestClock, fastGitHub, gateInput, startDouble, token, urn, violation } from "./harness.js";

const start = "2026-12-02T07:00:00Z";
const verdicts = [violation("p1-default-branch-protection", urn("github:index/branchProtection:BranchProtection", "main"), "main allows force pushes")];

describe("npm run blockers -- sync | escalate (the commands, with the environment Actions gives them)", () => {
    let double: GitHubDouble;
    let slack: SlackDouble;
    let clock: TestClock;
    let out: string[];
    let err: string[];
    let context: Partial<CommandContext>;

    beforeEach(async () => {
        clock = new TestClock(start);
        double = await startDouble(clock);
        slack = await startSlackDouble();
        out = [];
        err = [];
        const config = defaultContext.stackConfig("prod");
        context = {
            env: { GITHUB_TOKEN: token, GITHUB_API_URL: double.url, GITHUB_REPOSITORY: "vauntico/vauntico-deploy", SLACK_WEBHOOK_URL: slack.url },
            clock: clock.now,
            out: (t) => out.push(t),
            err: (t) => err.push(t),
            gateInput: async () => ({ input: gateInput(verdicts), config }),
            pulumiConfigGet: async () => undefined,
            github: fastGitHub,
            slack: { retries: 0 },
        };
    });
    afterEach(async () => {
        expect(double.violations).toEqual([]);
        const printed = [...out, ...err, ...slack.messages.map((m) => m.text), ...double.issues.map((i) => i.body), ...double.comments.map((c) => c.body)].join(
            "\n",
        );
        expect(printed).not.toContain(token);
        expect(printed).not.toContain(slack.url);
        expect(printed).not.toContain("s3cr3tSlackPathToken");
        await double.close();
        await slack.close();
    });

    it("sync: exit 1 while a blocker is open, the issue assigned to the lead of vauntico:teams in Pulumi.prod.yaml; --slack announces it once", async () => {
        expect(await syncCommand(["--stack", "prod", "--slack"], context)).toBe(1);
        expect(double.issues[0]?.assignees).toEqual(["kilo-dev-lead"]);
        expect(out.join("")).toMatch(/^blockers sync: stack prod, vauntico\/vauntico-deploy\ncreated: BLOCKER-P1-[0-9A-F]{6} #1\n$/);
        expect(slack.messages).toHaveLength(1);
        expect(await syncCommand(["--slack"], context)).toBe(1);
        expect(slack.messages).toHaveLength(1);
    });

    it("sync: exit 0 once nothing blocks", async () => {
        expect(await syncCommand([], { ...context, gateInput: async () => ({ input: gateInput([]), config: defaultContext.stackConfig("prod") }) })).toBe(0);
    });

    it("escalate: people from Pulumi.prod.yaml (team lead, both team slugs in github:owner, executives); exit 0", async () => {
        await syncCommand([], context);
        expect(await escalateCommand(["--stack", "prod"], context)).toBe(0);
        clock.set(61, start);
        expect(await escalateCommand([], context)).toBe(0);
        clock.set(121, start);
        expect(await escalateCommand([], context)).toBe(0);
        expect(double.comments.map((c) => c.body.split("\n")[3]?.split(":")[0])).toEqual([
            "@kilo-dev-lead",
            "@vauntico/kilo-dev @vauntico/cline-ops",
            "@vauntico-cto",
        ]);
        expect(slack.messages).toHaveLength(3);
    });

    it.each([
        [["sync"], { GITHUB_TOKEN: "" }, /GITHUB_TOKEN: missing/],
        [["sync"], { GITHUB_REPOSITORY: undefined }, /--repo: missing; expected OWNER\/NAME/],
        [["sync", "--repo", "not a repo"], {}, /--repo: expected OWNER\/NAME .*got "not a repo"/],
        [["sync", "--bogus"], {}, /Unknown option '--bogus'/],
        [["escalate"], { SLACK_WEBHOOK_URL: undefined }, /no Slack webhook: set SLACK_WEBHOOK_URL, or vauntico:slackWebhookUrl on stack prod/],
        [["escalate"], { GITHUB_API_URL: "ftp://x" }, /GITHUB_API_URL: expected an http\(s\) URL/],
    ])("usage: %j with %j → exit 2, before any request", async (argv, env, message) => {
        const [verb, ...rest] = argv;
        const merged = { ...context, env: { ...context.env, ...env } };
        const code = verb === "sync" ? await syncCommand(rest, merged) : await escalateCommand(rest, merged);
        expect(code).toBe(2);
        expect(err.join("")).toMatch(message);
        expect(double.requests).toEqual([]);
    });

    it("an unknown verb → exit 2 naming the verbs", async () => {
        expect(await blockersMain(["sink"])).toBe(2);
    });

    it("a GitHub that keeps failing → exit 2 with the status, never the token", async () => {
        for (let i = 0; i < 6; i++) double.fault("get", "/repos/{owner}/{repo}/issues", "bad-gateway");
        expect(await syncCommand([], context)).toBe(2);
        expect(err.at(-1)).toMatch(/^blockers sync: could not run: .*\n$/);
        expect(double.requests.filter((r) => r.status === 502).length).toBeGreaterThan(1);
    });
});
