import { describe, expect, it } from "vitest";
import {
    alertRulesComplete, alertsRoutedToSlackAndEmail, dashboardsInFolders, escalationProblems, escalationTimings,
    routeContactPoints, sentryProjectsAlerted,
} from "../../../policy/gates/index.js";
import { alertSignals } from "../../../policy/protocol/index.js";
import {
    completeStack, contactPoint, escalationSteps, notificationPolicy, rule, ruleGroup, sentryProject, types, withConfig,
} from "../../support/fixtures.js";
import { context, messages, runStackGate } from "../../support/gateHarness.js";

const without = (predicate: (name: string, type: string) => boolean) => completeStack().filter((r) => !predicate(r.name, r.type));

describe("p4-dashboards-in-folders", () => {
    it("passes dashboards with uid and title in a folder", async () => {
        expect(await runStackGate(dashboardsInFolders, completeStack())).toEqual([]);
    });
    it("reports no folder and no dashboards", async () => {
        expect(messages(await runStackGate(dashboardsInFolders, without((_n, t) => t === types.folder || t === types.dashboard)))).toEqual([
            expect.stringContaining("no Grafana folder in the stack"),
            expect.stringContaining("no Grafana dashboards in the stack"),
        ]);
    });
    it("reports a dashboard without uid or folder", async () => {
        const stack = [...completeStack(), { type: types.dashboard, name: "loose", props: { configJson: "{}" } }];
        expect(messages(await runStackGate(dashboardsInFolders, stack))).toEqual([
            expect.stringContaining("dashboard loose has no uid or title in its JSON"),
            expect.stringContaining("dashboard loose is not in a folder"),
        ]);
    });
});

describe("p4-alert-rules-complete", () => {
    it("passes labelled rules with thresholds and the error-rate signal", async () => {
        expect(await runStackGate(alertRulesComplete, completeStack())).toEqual([]);
    });
    it("reports a rule lacking labels, and no error-rate rule", async () => {
        const rules = [rule(alertSignals.paymentFailureRatio, { labels: { signal: alertSignals.paymentFailureRatio } })];
        const stack = [...without((n) => n === "vauntico-alerts"), ruleGroup(rules)];
        expect(messages(await runStackGate(alertRulesComplete, stack))).toEqual([
            expect.stringContaining("no alert rule for signal error-rate"),
            expect.stringContaining('alert rule "payment-failure-ratio alert" lacks the labels severity, team'),
        ]);
    });
    it("treats no rules as a violation", async () => {
        const found = messages(await runStackGate(alertRulesComplete, without((n) => n === "vauntico-alerts")));
        expect(found[0]).toContain("no alert rules in the stack");
    });
});

describe("p4-alerts-routed-to-slack-and-email", () => {
    it("passes when the policy tree reaches a Slack+email contact point", async () => {
        expect(await runStackGate(alertsRoutedToSlackAndEmail, completeStack())).toEqual([]);
    });
    it("passes when continue routes reach Slack and email separately", async () => {
        const stack = [
            ...without((_n, t) => t === types.contactPoint || t === types.notificationPolicy),
            contactPoint("slack", true, false), contactPoint("email", false, true),
            notificationPolicy({ contactPoint: "email", policies: [{ matchers: [{ label: "severity", match: "=~", value: "critical|warning" }], contactPoint: "slack", continue: true }, { contactPoint: "email" }] }),
        ];
        expect(await runStackGate(alertsRoutedToSlackAndEmail, stack)).toEqual([]);
    });
    it("names each rule that reaches only Slack", async () => {
        const stack = [
            ...without((_n, t) => t === types.contactPoint || t === types.notificationPolicy),
            contactPoint("slack", true, false),
            notificationPolicy({ contactPoint: "slack" }),
        ];
        const found = messages(await runStackGate(alertsRoutedToSlackAndEmail, stack));
        expect(found).toHaveLength(Object.values(alertSignals).length);
        expect(found[0]).toContain('alert rule "payment-failure-ratio alert" does not reach email (it reaches slack)');
    });
    it("reports rules when there is no notification policy", async () => {
        const found = messages(await runStackGate(alertsRoutedToSlackAndEmail, without((_n, t) => t === types.notificationPolicy)));
        expect(found[0]).toContain("does not reach Slack and email (there is no notification policy)");
    });
    it("routes like Grafana: first matching child wins, nested children inherit", () => {
        const tree = { contactPoint: "root", policies: [
            { matchers: [{ label: "team", match: "=", value: "kilo" }], contactPoint: "kilo", policies: [{ matchers: [{ label: "severity", match: "=", value: "critical" }] }] },
            { matchers: [{ label: "team", match: "!=", value: "kilo" }], contactPoint: "other" },
        ] };
        expect(routeContactPoints(tree, { team: "kilo", severity: "critical" })).toEqual(["kilo"]);
        expect(routeContactPoints(tree, { team: "cline" })).toEqual(["other"]);
        expect(routeContactPoints({ contactPoint: "root", policies: [{ matchers: [{ label: "x", match: "=", value: "y" }], contactPoint: "x" }] }, {})).toEqual(["root"]);
        const regexTree = (value: string, match: string) => ({ contactPoint: "root", policies: [{ matchers: [{ label: "severity", match, value }], contactPoint: "matched" }] });
        expect(routeContactPoints(regexTree("crit.*", "=~"), { severity: "critical" })).toEqual(["matched"]);
        expect(routeContactPoints(regexTree("crit", "=~"), { severity: "critical" })).toEqual(["root"]);
        expect(routeContactPoints(regexTree("crit", "!~"), { severity: "critical" })).toEqual(["matched"]);
        expect(routeContactPoints(regexTree("([", "=~"), { severity: "critical" })).toEqual(["root"]);
        expect(routeContactPoints(regexTree("([", "!~"), { severity: "critical" })).toEqual(["root"]);
    });
});

describe("p4-escalation-timings", () => {
    it("passes L1 at 0 s, L2 at 1 h, L3 at 2 h, then an incident", async () => {
        expect(await runStackGate(escalationTimings, completeStack())).toEqual([]);
    });
    it("reports late levels by the protocol's deadline", () => {
        const steps = escalationSteps("c", [1800, 7200, 60]).map((r, position) => ({
            position, type: String(r.props["type"]), duration: typeof r.props["duration"] === "number" ? r.props["duration"] : 0,
        }));
        expect(escalationProblems(steps)).toEqual([
            "L2 (Cross-team coordination meeting) is reached after 1800 s; the protocol says within 1 hour (3600 s)",
            "L3 (Executive notification) is reached after 9000 s; the protocol says within 2 hours (7200 s)",
        ]);
    });
    it("counts steps with no wait between them as one level, and allows steps after L4", () => {
        const step = (position: number, type: string, duration = 0) => ({ position, type, duration });
        expect(escalationProblems([
            step(0, "notify_persons"), step(1, "notify_user_group"), step(2, "wait", 3600), step(3, "notify_user_group"),
            step(4, "wait", 3600), step(5, "notify_persons"), step(6, "wait", 1800), step(7, "notify_persons"), step(8, "declare_incident"),
            step(9, "wait", 600), step(10, "repeat_escalation"),
        ])).toEqual([]);
    });
    it("reports an L4 that opens no incident, through the gate", async () => {
        const stack = [...without((_n, t) => t === types.escalation), ...escalationSteps("chain-1", [3600, 3600, 3600], "notify_persons")];
        expect(messages(await runStackGate(escalationTimings, stack))).toEqual([
            expect.stringContaining("escalation chain chain-1: L4 is a notify_persons step; expected one of declare_incident"),
        ]);
    });
    it("reports missing levels and a missing chain", async () => {
        const short = escalationSteps().slice(0, 3);
        expect(messages(await runStackGate(escalationTimings, [...without((_n, t) => t === types.escalation), ...short])))
            .toEqual([expect.stringContaining("it has 2 notification levels; the protocol has 4")]);
        expect(messages(await runStackGate(escalationTimings, without((_n, t) => t === types.escalation || t === types.escalationChain))))
            .toEqual([expect.stringContaining("no escalation chain in the stack")]);
    });
});

describe("p4-sentry-projects-alerted", () => {
    it("passes a project with key, issue alert, metric alert and delivered DSN", async () => {
        expect(await runStackGate(sentryProjectsAlerted, completeStack())).toEqual([]);
    });
    it("names what a project lacks", async () => {
        const stack = [...completeStack(), ...sentryProject("frontend", { metric: false, dsn: false })];
        expect(messages(await runStackGate(sentryProjectsAlerted, stack)))
            .toEqual([expect.stringContaining("Sentry project frontend lacks a metric alert, its DSN delivered as SENTRY_DSN_FRONTEND")]);
    });
    it("reports a declared project missing from the stack, and no projects at all", async () => {
        const ctx = context(withConfig({ "vauntico:sentry": JSON.stringify({ organization: "v", team: "ops", projects: [{ slug: "backend", platform: "node" }, { slug: "web", platform: "js" }] }) }));
        expect(messages(await runStackGate(sentryProjectsAlerted, completeStack(), ctx))).toEqual([expect.stringContaining("Sentry project web is declared in vauntico:sentry but not in the stack")]);
        expect(messages(await runStackGate(sentryProjectsAlerted, without((_n, t) => t === types.sentryProject)))).toEqual([expect.stringContaining("no Sentry projects in the stack")]);
    });
});
