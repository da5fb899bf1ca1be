import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { escalateBlockers, levelReached } from "../../../cli/blockers/escalate.js";
import { desiredBlockers } from "../../../cli/blockers/issueModel.js";
import { slackSender } from "../../../cli/blockers/slack.js";
import { syncBlockers } from "../../../cli/blockers/sync.js";
import { escalationPath } from "../../../policy/protocol/escalation.js";
import type { Verdict } from "../../../cli/analyzer/index.js";
import type { GitHubDouble } from "../../doubles/github.js";
import { type SlackDouble, startSlackDouble } from "../../doubles/slack.js";
import { TestClock, client, executives, gateInput, repo, startDouble, teams, token, urn, violation, waived } from "./harness.js";

const start = "2026-12-02T07:00:00Z";
const branch = urn("github:index/branchProtection:BranchProtection", "main");
const blocker = violation("p1-default-branch-protection", branch, "main allows force pushes");
const people = { organization: "vauntico", teams, executives, incidentAfterSeconds: 3600 };

describe("levelReached: the protocol's timings, read from policy/protocol/escalation.ts", () => {
    const l2 = escalationPath[1]?.withinSeconds ?? NaN;
    const l3 = escalationPath[2]?.withinSeconds ?? NaN;
    it.each([
        [0, 1],
        [l2 - 1, 1],
        [l2, 2],
        [l2 + 1, 2],
        [l3 - 1, 2],
        [l3, 3],
        [l3 + 3599, 3],
        [l3 + 3600, 4],
        [l3 + 3601, 4],
    ])("%i s open → level %i", (seconds, level) => {
        expect(levelReached(seconds, 3600)).toBe(level);
    });
    it("L4 follows the stack's incident wait after L3", () => {
        expect(levelReached(l3 + 600, 600)).toBe(4);
        expect(levelReached(l3 + 599, 600)).toBe(3);
    });
});

describe("blockers escalate with a moved clock", () => {
    let double: GitHubDouble;
    let slack: SlackDouble;
    let clock: TestClock;
    let id: string;
    let issueUrl: string;

    const sync = (verdicts: readonly Verdict[]) => syncBlockers(client(double), repo, desiredBlockers(gateInput(verdicts), teams), clock.now);
    const escalate = () => escalateBlockers(client(double), repo, "prod", people, slackSender(slack.url, { retries: 0 }), clock.now);
    const at = async (minutes: number) => {
        clock.set(minutes, start);
        return escalate();
    };
    const title = () => double.issues[0]?.title ?? "?";

    beforeEach(async () => {
        clock = new TestClock(start);
        double = await startDouble(clock);
        slack = await startSlackDouble();
        await sync([blocker]);
        id = desiredBlockers(gateInput([blocker]), teams).blockers[0]?.id ?? "?";
        issueUrl = `https://github.com/vauntico/vauntico-deploy/issues/${double.issues[0]?.number}`;
    });
    afterEach(async () => {
        expect(double.violations).toEqual([]);
        const everything = [...double.requests.map((r) => `${r.requestBody}${r.responseBody}`), ...slack.messages.map((m) => m.text)].join("\n");
        expect(everything).not.toContain(token);
        expect(everything).not.toContain(slack.url);
        expect(everything).not.toContain("s3cr3tSlackPathToken");
        await double.close();
        await slack.close();
    });

    it("0 min → L1 only: the team lead mentioned, one Slack message, the label stays L1", async () => {
        const notices = await at(0);
        expect(notices.map((n) => n.level)).toEqual([1]);
        expect(slack.messages).toEqual([
            {
                text: `:rotating_light: Blocker ${id} (severity critical, phase 1, team kilo) reached escalation level 1: Team lead notification (immediate); open 0 min. <${issueUrl}|#1 ${title()}>`,
            },
        ]);
        expect(double.comments.map((c) => c.body)).toEqual([
            `<!-- vauntico-escalation level=1 -->\n**Escalation level 1: Team lead notification** (immediate)\n\n@kilo-dev-lead: blocker ${id} (severity critical, phase 1, team kilo) has been open since 2026-12-02 07:00 UTC (0 min).`,
        ]);
        expect(double.issues[0]?.labels).toContain("escalation:L1");
    });

    it("59 min → nothing new after L1; 60 min → L2", async () => {
        await at(0);
        expect(await at(59)).toEqual([]);
        expect((await at(60)).map((n) => n.level)).toEqual([2]);
    });

    it("61 min → L2 once: both teams mentioned, label moved; 62 min sends nothing and writes nothing", async () => {
        await at(0);
        const notices = await at(61);
        expect(notices.map((n) => n.level)).toEqual([2]);
        expect(slack.messages.at(-1)).toEqual({
            text: `:rotating_light: Blocker ${id} (severity critical, phase 1, team kilo) reached escalation level 2: Cross-team coordination meeting (within 1 hour); open 61 min. <${issueUrl}|#1 ${title()}>`,
        });
        expect(double.comments.at(-1)?.body).toBe(
            `<!-- vauntico-escalation level=2 -->\n**Escalation level 2: Cross-team coordination meeting** (within 1 hour)\n\n@vauntico/kilo-dev @vauntico/cline-ops: blocker ${id} (severity critical, phase 1, team kilo) has been open since 2026-12-02 07:00 UTC (61 min).`,
        );
        expect(double.issues[0]?.labels.filter((l) => l.startsWith("escalation:"))).toEqual(["escalation:L2"]);
        const before = double.requests.length;
        const messages = slack.messages.length;
        expect(await at(62)).toEqual([]);
        expect(double.writesSince(before)).toEqual([]);
        expect(slack.messages).toHaveLength(messages);
    });

    it("121 min → L3: the executives mentioned", async () => {
        await at(0);
        await at(61);
        expect((await at(121)).map((n) => n.level)).toEqual([3]);
        expect(double.comments.at(-1)?.body).toBe(
            `<!-- vauntico-escalation level=3 -->\n**Escalation level 3: Executive notification** (within 2 hours)\n\n@vauntico-cto: blocker ${id} (severity critical, phase 1, team kilo) has been open since 2026-12-02 07:00 UTC (121 min).`,
        );
        expect(slack.messages).toHaveLength(3);
        expect(double.issues[0]?.labels).toContain("escalation:L3");
    });

    it("a missed run: first seen at 121 min → L1, L2 and L3 each announced once, in order", async () => {
        expect((await at(121)).map((n) => n.level)).toEqual([1, 2, 3]);
        expect(await at(122)).toEqual([]);
        expect(slack.messages).toHaveLength(3);
    });

    it("L4 when L3 has passed unresolved for the incident wait: everyone mentioned", async () => {
        await at(121);
        expect(await at(179)).toEqual([]);
        expect((await at(180)).map((n) => n.level)).toEqual([4]);
        expect(double.comments.at(-1)?.body).toContain("@vauntico/kilo-dev @vauntico/cline-ops @vauntico-cto:");
    });

    it("resolved at 90 min → no L3, ever", async () => {
        await at(0);
        await at(61);
        clock.set(90, start);
        await sync([]);
        expect(await at(121)).toEqual([]);
        expect(await at(600)).toEqual([]);
        expect(slack.messages).toHaveLength(2);
        expect(double.comments.some((c) => c.body.includes("level=3"))).toBe(false);
    });

    it("a waived blocker does not escalate", async () => {
        await at(0);
        clock.set(30, start);
        await sync([waived("p1-default-branch-protection", branch, "waived by cline-ops-lead until 2026-12-09T00:00:00Z (vendor fix pending)")]);
        expect(await at(61)).toEqual([]);
        expect(await at(121)).toEqual([]);
        expect(slack.messages).toHaveLength(1);
    });

    it("an open issue carrying the waived label (reopened by hand) does not escalate either", async () => {
        const issue = double.issues[0];
        double.labels.push({ id: 9999, name: "blocker:waived", color: "ededed", description: null });
        if (issue) issue.labels.push("blocker:waived");
        expect(await at(121)).toEqual([]);
        expect(slack.messages).toEqual([]);
    });

    it("a reopened blocker starts its clock again at L1", async () => {
        await at(61);
        clock.set(70, start);
        await sync([]);
        clock.set(100, start);
        await sync([blocker]);
        expect((await at(100)).map((n) => n.level)).toEqual([1]);
        expect(await at(159)).toEqual([]);
        expect((await at(160)).map((n) => n.level)).toEqual([2]);
    });

    it("Slack down → the level is not recorded, so the next run announces it", async () => {
        slack.failNext(500);
        await expect(at(0)).rejects.toThrow(/^Slack webhook: the message was not delivered \(HTTP 500\)$/);
        expect(double.comments).toEqual([]);
        expect((await at(1)).map((n) => n.level)).toEqual([1]);
    });
});
