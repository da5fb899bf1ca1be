import { describe, expect, it } from "vitest";
import {
    alertRulesComplete,
    alertsRoutedToSlackAndEmail,
    dashboardsInFolders,
    escalationProblems,
    escalationTimings,
    messageParts,
    routeContactPoints,
    sentryProjectsAlerted,
} from "../../../policy/gates/index.js";
import { alertSignals } from "../../../policy/protocol/index.js";
import {
    completeStack,
    contactPoint,
    dashboard,
    escalationSteps,
    notificationPolicy,
    rule,
    ruleGroup,
    sentryProject,
    types,
    withConfig,
} from "../../support/fixtures.js";
import { context, messages, runStackGate } from "../../support/gateHarness.js";

const without = (predicate: (name: string, type: string) => boolean) => completeStack().filter((r) => !predicate(r.name, r.type));

describe("p4-dashboards-in-folders", () => {
    it("passes dashboards with uid and title in a folder", async () => {
        expect(await runStackGate(dashboardsInFolders, completeStack())).toEqual([]);
    });
    it("reports no folder and no dashboards", async () => {
        expect(
            messages(
                await runStackGate(
                    dashboardsInFolders,
                    without((_n, t) => t === types.folder || t === types.dashboard),
                ),
            ),
        ).toEqual([expect.stringContaining("no Grafana folder in the stack"), expect.stringContaining("no Grafana dashboards in the stack")]);
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
        const found = messages(
            await runStackGate(
                alertRulesComplete,
                without((n) => n === "vauntico-alerts"),
            ),
        );
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
            contactPoint("slack", true, false),
            contactPoint("email", false, true),
            notificationPolicy({
                contactPoint: "email",
                policies: [
                    { matchers: [{ label: "severity", match: "=~", value: "critical|warning" }], contactPoint: "slack", continue: true },
                    { contactPoint: "email" },
                ],
            }),
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
        const found = messages(
            await runStackGate(
                alertsRoutedToSlackAndEmail,
                without((_n, t) => t === types.notificationPolicy),
            ),
        );
        expect(found[0]).toContain("does not reach Slack and email (there is no notification policy)");
    });
    it("routes like Grafana: first matching child wins, nested children inherit", () => {
        const tree = {
            contactPoint: "root",
            policies: [
                {
                    matchers: [{ label: "team", match: "=", value: "kilo" }],
                    contactPoint: "kilo",
                    policies: [{ matchers: [{ label: "severity", match: "=", value: "critical" }] }],
                },
                { matchers: [{ label: "team", match: "!=", value: "kilo" }], contactPoint: "other" },
            ],
        };
        expect(routeContactPoints(tree, { team: "kilo", severity: "critical" })).toEqual(["kilo"]);
        expect(routeContactPoints(tree, { team: "cline" })).toEqual(["other"]);
        expect(routeContactPoints({ contactPoint: "root", policies: [{ matchers: [{ label: "x", match: "=", value: "y" }], contactPoint: "x" }] }, {})).toEqual(
            ["root"],
        );
        const regexTree = (value: string, match: string) => ({
            contactPoint: "root",
            policies: [{ matchers: [{ label: "severity", match, value }], contactPoint: "matched" }],
        });
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
            position,
            type: String(r.props["type"]),
            duration: typeof r.props["duration"] === "number" ? r.props["duration"] : 0,
        }));
        expect(escalationProblems(steps)).toEqual([
            "L2 (Cross-team coordination meeting) is reached after 1800 s; the protocol says within 1 hour (3600 s)",
            "L3 (Executive notification) is reached after 9000 s; the protocol says within 2 hours (7200 s)",
        ]);
    });
    it("counts steps with no wait between them as one level, and allows steps after L4", () => {
        const step = (position: number, type: string, duration = 0) => ({ position, type, duration });
        expect(
            escalationProblems([
                step(0, "notify_persons"),
                step(1, "notify_user_group"),
                step(2, "wait", 3600),
                step(3, "notify_user_group"),
                step(4, "wait", 3600),
                step(5, "notify_persons"),
                step(6, "wait", 1800),
                step(7, "notify_persons"),
                step(8, "declare_incident"),
                step(9, "wait", 600),
                step(10, "repeat_escalation"),
            ]),
        ).toEqual([]);
    });
    it("reports an L4 that opens no incident, through the gate", async () => {
        const stack = [...without((_n, t) => t === types.escalation), ...escalationSteps("chain-1", [3600, 3600, 3600], "notify_persons")];
        expect(messages(await runStackGate(escalationTimings, stack))).toEqual([
            expect.stringContaining("escalation chain chain-1: L4 is a notify_persons step; expected one of declare_incident"),
        ]);
    });
    it("reports missing levels and a missing chain", async () => {
        const short = escalationSteps().slice(0, 3);
        expect(messages(await runStackGate(escalationTimings, [...without((_n, t) => t === types.escalation), ...short]))).toEqual([
            expect.stringContaining("it has 2 notification levels; the protocol has 4"),
        ]);
        expect(
            messages(
                await runStackGate(
                    escalationTimings,
                    without((_n, t) => t === types.escalation || t === types.escalationChain),
                ),
            ),
        ).toEqual([expect.stringContaining("no escalation chain in the stack")]);
    });
});

describe("p4-sentry-projects-alerted", () => {
    it("passes a project with key, issue alert, metric alert and delivered DSN", async () => {
        expect(await runStackGate(sentryProjectsAlerted, completeStack())).toEqual([]);
    });
    it("names what a project lacks", async () => {
        const stack = [...completeStack(), ...sentryProject("frontend", { metric: false, dsn: false })];
        expect(messages(await runStackGate(sentryProjectsAlerted, stack))).toEqual([
            expect.stringContaining("Sentry project frontend lacks a metric alert, its DSN delivered as SENTRY_DSN_FRONTEND"),
        ]);
    });
    it("reports a declared project missing from the stack, and no projects at all", async () => {
        const ctx = context(
            withConfig({
                "vauntico:sentry": JSON.stringify({
                    organization: "v",
                    team: "ops",
                    projects: [
                        { slug: "backend", platform: "node" },
                        { slug: "web", platform: "js" },
                    ],
                }),
            }),
        );
        expect(messages(await runStackGate(sentryProjectsAlerted, completeStack(), ctx))).toEqual([
            expect.stringContaining("Sentry project web is declared in vauntico:sentry but not in the stack"),
        ]);
        expect(
            messages(
                await runStackGate(
                    sentryProjectsAlerted,
                    without((_n, t) => t === types.sentryProject),
                ),
            ),
        ).toEqual([expect.stringContaining("no Sentry projects in the stack")]);
    });
});

/** The fix each finding names (the part after "To fix:"). */
const fixes = (found: readonly { message: string }[]) => found.map((f) => messageParts(f.message).fix);
const problems = (found: readonly { message: string }[]) => found.map((f) => messageParts(f.message).problem);
const withRules = (rules: Record<string, unknown>[]) => [...without((n) => n === "vauntico-alerts"), ruleGroup(rules)];
const errorRate = (overrides: Record<string, unknown>) => rule(alertSignals.errorRate, overrides);

describe("p4-dashboards-in-folders: each problem alone, with its fix", () => {
    const dashboardJson = (model: Record<string, unknown>) => ({
        type: types.dashboard,
        name: "dashboard-x",
        props: { configJson: JSON.stringify(model), folder: "f" },
    });
    it("a dashboard lacking only its title, or only its uid, is reported", async () => {
        for (const model of [{ uid: "u" }, { title: "T" }]) {
            const found = await runStackGate(dashboardsInFolders, [...completeStack(), dashboardJson(model)]);
            expect(problems(found)).toEqual(["dashboard dashboard-x has no uid or title in its JSON"]);
            expect(fixes(found)).toEqual(["give the dashboard JSON a stable uid and a title"]);
        }
    });
    it("names the fix for no folder, no dashboards and a dashboard outside a folder", async () => {
        expect(
            fixes(
                await runStackGate(
                    dashboardsInFolders,
                    without((_n, t) => t === types.folder),
                ),
            ),
        ).toEqual(["create the deployment's grafana.oss.Folder (vauntico:monitoring.grafana.folder)"]);
        expect(
            fixes(
                await runStackGate(
                    dashboardsInFolders,
                    without((_n, t) => t === types.dashboard),
                ),
            ),
        ).toEqual(["configure vauntico:monitoring so the dashboards are created"]);
        expect(fixes(await runStackGate(dashboardsInFolders, [...completeStack(), dashboard("x", "X", null)]))).toEqual(["set its folder"]);
    });
});

describe("p4-alert-rules-complete: pending period and threshold", () => {
    it("needs a pending period above zero: 0s fails, 1s passes; a missing or unreadable one fails", async () => {
        const found = await runStackGate(alertRulesComplete, withRules([errorRate({ for: "0s" })]));
        expect(found.map((f) => messageParts(f.message))).toEqual([
            { problem: `alert rule "${alertSignals.errorRate} alert" has no pending period`, fix: 'set its "for" to a duration such as 5m' },
        ]);
        expect(await runStackGate(alertRulesComplete, withRules([errorRate({ for: "1s" })]))).toEqual([]);
        expect(await runStackGate(alertRulesComplete, withRules([errorRate({ for: "0.5s" })]))).toEqual([]);
        for (const pending of [undefined, "soon"]) {
            expect(problems(await runStackGate(alertRulesComplete, withRules([errorRate({ for: pending })])))).toEqual([
                `alert rule "${alertSignals.errorRate} alert" has no pending period`,
            ]);
        }
    });
    it("needs a threshold or classic condition with a numeric bound", async () => {
        const model = (m: Record<string, unknown>) => errorRate({ datas: [{ refId: "B", datasourceUid: "__expr__", model: JSON.stringify(m) }] });
        const noThreshold = [`alert rule "${alertSignals.errorRate} alert" has no threshold`];
        const found = await runStackGate(alertRulesComplete, withRules([model({ type: "math", expression: "$A > 1" })]));
        expect(problems(found)).toEqual(noThreshold);
        expect(fixes(found)).toEqual(["add a threshold expression with a numeric bound"]);
        expect(
            problems(await runStackGate(alertRulesComplete, withRules([model({ type: "threshold", conditions: [{ evaluator: { params: ["high"] } }] })]))),
        ).toEqual(noThreshold);
        expect(
            await runStackGate(alertRulesComplete, withRules([model({ type: "classic_conditions", conditions: [{ evaluator: { params: [3] } }] })])),
        ).toEqual([]);
        expect(await runStackGate(alertRulesComplete, withRules([model({ type: "threshold", conditions: [{ evaluator: { params: ["0.5"] } }] })]))).toEqual([]);
    });
    it("names the fix for missing labels, no rules and no error-rate rule", async () => {
        expect(fixes(await runStackGate(alertRulesComplete, withRules([errorRate({ labels: { signal: alertSignals.errorRate } })])))).toEqual([
            "label every rule with signal, severity and team",
        ]);
        expect(
            fixes(
                await runStackGate(
                    alertRulesComplete,
                    without((n) => n === "vauntico-alerts"),
                ),
            ),
        ).toEqual(["configure vauntico:monitoring so the alert rule groups are created", `add a rule labelled signal=${alertSignals.errorRate}`]);
    });
});

describe("p4-alerts-routed-to-slack-and-email: where a rule goes", () => {
    const routed = (rules: Record<string, unknown>[], extra: ReturnType<typeof contactPoint>[] = [], policy = true) => [
        ...without((n, t) => n === "vauntico-alerts" || t === types.contactPoint || (!policy && t === types.notificationPolicy)),
        ruleGroup(rules),
        contactPoint("both", true, true),
        ...extra,
    ];
    it("a rule's own contact point is where it goes, whatever the policy says", async () => {
        const own = errorRate({ notificationSettings: { contactPoint: "slack-only" } });
        const found = await runStackGate(alertsRoutedToSlackAndEmail, routed([own], [contactPoint("slack-only", true, false)]));
        expect(problems(found)).toEqual([`alert rule "${alertSignals.errorRate} alert" does not reach email (it reaches slack-only)`]);
        expect(fixes(found)).toEqual(["route it through the notification policy to a contact point with both a Slack and an email integration"]);
        const good = errorRate({ notificationSettings: { contactPoint: "both" } });
        expect(await runStackGate(alertsRoutedToSlackAndEmail, routed([good], [], false))).toEqual([]);
    });
    it("a contact point the stack does not define reaches neither", async () => {
        const own = errorRate({ notificationSettings: { contactPoint: "ghost" } });
        expect(problems(await runStackGate(alertsRoutedToSlackAndEmail, routed([own])))).toEqual([
            `alert rule "${alertSignals.errorRate} alert" does not reach Slack and email (it reaches ghost)`,
        ]);
    });
    it("says when policies exist but none routes the rule", async () => {
        const stack = [
            ...without((_n, t) => t === types.notificationPolicy),
            notificationPolicy({ policies: [{ matchers: [{ label: "team", match: "=", value: "nobody" }], contactPoint: "x" }] }),
        ];
        const found = problems(await runStackGate(alertsRoutedToSlackAndEmail, stack));
        expect(found[0]).toMatch(/does not reach Slack and email \(no policy routes it\)$/);
    });
    it("names the fix for no rules at all", async () => {
        const found = await runStackGate(
            alertsRoutedToSlackAndEmail,
            without((n) => n === "vauntico-alerts"),
        );
        expect(found.map((f) => messageParts(f.message))).toEqual([
            { problem: "no alert rules to route", fix: "configure vauntico:monitoring so alert rules and their routing are created" },
        ]);
    });
});

describe("p4-escalation-timings: chains and fixes", () => {
    it("names the protocol's levels in the fix for a missing chain", async () => {
        expect(
            fixes(
                await runStackGate(
                    escalationTimings,
                    without((_n, t) => t === types.escalation || t === types.escalationChain),
                ),
            ),
        ).toEqual([
            "create a Grafana OnCall escalation chain: L1 Team lead notification (immediate), L2 Cross-team coordination meeting (within 1 hour), L3 Executive notification (within 2 hours), L4 Full incident response activation (if unresolved)",
        ]);
    });
    it("counts chains without steps: one of two, then both", async () => {
        const extraChain = { type: types.escalationChain, name: "chain-2", props: { name: "other" } };
        const found = await runStackGate(escalationTimings, [...completeStack(), extraChain]);
        expect(found.map((f) => messageParts(f.message))).toEqual([
            { problem: "1 escalation chain(s) have no steps", fix: "give every chain the protocol's escalation steps" },
        ]);
        expect(problems(await runStackGate(escalationTimings, [...without((_n, t) => t === types.escalation), extraChain]))).toEqual([
            "2 escalation chain(s) have no steps",
        ]);
    });
    it("names the fix for a late level", async () => {
        const stack = [...without((_n, t) => t === types.escalation), ...escalationSteps("chain-1", [3600, 7200, 3600])];
        expect(fixes(await runStackGate(escalationTimings, stack))).toEqual([
            "set the wait steps so the levels are reached at 0 s, 3600 s and 7200 s, then a wait and an incident step",
        ]);
    });
});

describe("p4-sentry-projects-alerted: each part alone, the slug, the fixes", () => {
    it("names each missing part alone", async () => {
        const lacks = async (parts: Parameters<typeof sentryProject>[1]) =>
            problems(await runStackGate(sentryProjectsAlerted, [...completeStack(), ...sentryProject("frontend", parts)]));
        expect(await lacks({ key: false })).toEqual(["Sentry project frontend lacks a client key (SentryKey)"]);
        expect(await lacks({ issue: false })).toEqual(["Sentry project frontend lacks an issue alert"]);
        expect(await lacks({ metric: false })).toEqual(["Sentry project frontend lacks a metric alert"]);
        const found = await runStackGate(sentryProjectsAlerted, [...completeStack(), ...sentryProject("frontend", { dsn: false })]);
        expect(fixes(found)).toEqual(["create the project through the Sentry component, which adds its key, alerts and DSN delivery"]);
    });
    it("knows a project by its name when it has no slug", async () => {
        const [project, ...rest] = sentryProject("frontend");
        if (project === undefined) throw new Error("fixture");
        const unslugged = { ...project, props: { organization: "vauntico", name: "frontend", teams: ["ops"] } };
        expect(await runStackGate(sentryProjectsAlerted, [...completeStack(), unslugged, ...rest])).toEqual([]);
    });
    it("names the fix for no projects and for a declared project missing", async () => {
        expect(
            fixes(
                await runStackGate(
                    sentryProjectsAlerted,
                    without((_n, t) => t === types.sentryProject),
                ),
            ),
        ).toEqual(["configure vauntico:sentry.projects"]);
        const ctx = context(withConfig({ "vauntico:sentry": JSON.stringify({ projects: [{ slug: "web" }] }) }));
        expect(fixes(await runStackGate(sentryProjectsAlerted, completeStack(), ctx))).toEqual(["create every declared project"]);
    });
});
