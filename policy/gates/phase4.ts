import * as grafana from "@pulumiverse/grafana";
import * as sentry from "@pulumiverse/sentry";
import { alertLabelKeys, alertSignals, escalationPath, sentryDsnSecretName } from "../protocol/index.js";
import { type StackGate, violationMessage } from "./gate.js";
import { escalationProblems, escalationStepsByChain } from "./escalationChain.js";
import { contactPointIntegrations, notificationPolicies, routeContactPoints } from "./routing.js";
import { stringOf } from "./read.js";
import { alertRules, dashboards, deliveredSecrets, durationSeconds, hasThreshold } from "./stackResources.js";

export const dashboardsInFolders: StackGate = {
    kind: "stack",
    id: "p4-dashboards-in-folders",
    description: "The stack has Grafana dashboards, each with a uid and title, all inside folders.",
    phase: 4,
    criterion: "Grafana dashboards configured and accessible",
    owner: "Cline",
    artifact: "Grafana dashboard configurations",
    severity: "medium",
    blockerCategory: "Production outages",
    validateStack: () => (args, reportViolation) => {
        const found = dashboards(args.resources);
        if (!args.resources.some((r) => r.isType(grafana.oss.Folder))) {
            reportViolation(
                violationMessage(
                    dashboardsInFolders,
                    "no Grafana folder in the stack",
                    "create the deployment's grafana.oss.Folder (vauntico:monitoring.grafana.folder)",
                ),
            );
        }
        if (found.length === 0) {
            reportViolation(
                violationMessage(dashboardsInFolders, "no Grafana dashboards in the stack", "configure vauntico:monitoring so the dashboards are created"),
            );
        }
        for (const d of found) {
            if (d.uid === undefined || d.title === undefined) {
                reportViolation(
                    violationMessage(
                        dashboardsInFolders,
                        `dashboard ${d.resource.name} has no uid or title in its JSON`,
                        "give the dashboard JSON a stable uid and a title",
                    ),
                    d.resource.urn,
                );
            }
            if (d.folder === undefined) {
                reportViolation(
                    violationMessage(dashboardsInFolders, `dashboard ${d.title ?? d.resource.name} is not in a folder`, "set its folder"),
                    d.resource.urn,
                );
            }
        }
    },
};

const requiredLabels = [alertLabelKeys.signal, alertLabelKeys.severity, alertLabelKeys.team];

export const alertRulesComplete: StackGate = {
    kind: "stack",
    id: "p4-alert-rules-complete",
    description: "Every alert rule carries signal, severity and team labels, a pending period and a threshold; the error-rate signal is watched.",
    phase: 4,
    criterion: "Alert rules properly configured",
    owner: "Cline",
    artifact: "Alert rule definitions",
    severity: "high",
    blockerCategory: "Production outages",
    validateStack: () => (args, reportViolation) => {
        const rules = alertRules(args.resources);
        if (rules.length === 0) {
            reportViolation(
                violationMessage(alertRulesComplete, "no alert rules in the stack", "configure vauntico:monitoring so the alert rule groups are created"),
            );
        }
        if (!rules.some((r) => r.labels[alertLabelKeys.signal] === alertSignals.errorRate)) {
            reportViolation(
                violationMessage(
                    alertRulesComplete,
                    `no alert rule for signal ${alertSignals.errorRate}`,
                    `add a rule labelled ${alertLabelKeys.signal}=${alertSignals.errorRate}`,
                ),
            );
        }
        for (const rule of rules) {
            const missing = requiredLabels.filter((key) => (rule.labels[key] ?? "") === "");
            if (missing.length > 0) {
                reportViolation(
                    violationMessage(
                        alertRulesComplete,
                        `alert rule "${rule.name}" lacks the labels ${missing.join(", ")}`,
                        "label every rule with signal, severity and team",
                    ),
                    rule.group.urn,
                );
            }
            if (!((durationSeconds(rule.pendingFor) ?? 0) > 0)) {
                reportViolation(
                    violationMessage(alertRulesComplete, `alert rule "${rule.name}" has no pending period`, `set its "for" to a duration such as 5m`),
                    rule.group.urn,
                );
            }
            if (!hasThreshold(rule)) {
                reportViolation(
                    violationMessage(alertRulesComplete, `alert rule "${rule.name}" has no threshold`, "add a threshold expression with a numeric bound"),
                    rule.group.urn,
                );
            }
        }
    },
};

export const alertsRoutedToSlackAndEmail: StackGate = {
    kind: "stack",
    id: "p4-alerts-routed-to-slack-and-email",
    description: "Every alert rule reaches contact points that notify both Slack and email.",
    phase: 4,
    criterion: "Notification channels verified",
    owner: "Cline",
    artifact: "Notification channel setup",
    severity: "critical",
    blockerCategory: "Production outages",
    validateStack: () => (args, reportViolation) => {
        const rules = alertRules(args.resources);
        const integrations = contactPointIntegrations(args.resources);
        const policies = notificationPolicies(args.resources);
        if (rules.length === 0) {
            reportViolation(
                violationMessage(
                    alertsRoutedToSlackAndEmail,
                    "no alert rules to route",
                    "configure vauntico:monitoring so alert rules and their routing are created",
                ),
            );
            return;
        }
        for (const rule of rules) {
            const labels = { alertname: rule.name, ...rule.labels };
            const reached = rule.contactPoint !== undefined ? [rule.contactPoint] : policies.flatMap((p) => routeContactPoints(p.tree, labels));
            const slack = reached.some((name) => integrations.get(name)?.slack === true);
            const email = reached.some((name) => integrations.get(name)?.email === true);
            if (!slack || !email) {
                const lacking = [slack ? "" : "Slack", email ? "" : "email"].filter((s) => s !== "").join(" and ");
                const where =
                    reached.length === 0
                        ? policies.length === 0
                            ? "there is no notification policy"
                            : "no policy routes it"
                        : `it reaches ${reached.join(", ")}`;
                reportViolation(
                    violationMessage(
                        alertsRoutedToSlackAndEmail,
                        `alert rule "${rule.name}" does not reach ${lacking} (${where})`,
                        "route it through the notification policy to a contact point with both a Slack and an email integration",
                    ),
                    rule.group.urn,
                );
            }
        }
    },
};

export const escalationTimings: StackGate = {
    kind: "stack",
    id: "p4-escalation-timings",
    description:
        "Escalation chains follow the protocol: L1 team lead immediately, L2 cross-team within 1 h, L3 executive within 2 h, then L4 incident response.",
    phase: 4,
    criterion: "Alert rules properly configured",
    owner: "Cline",
    artifact: "Notification channel setup",
    severity: "high",
    blockerCategory: "Production outages",
    validateStack: () => (args, reportViolation) => {
        const chains = args.resources.filter((r) => r.isType(grafana.oncall.EscalationChain));
        const steps = escalationStepsByChain(args.resources);
        if (chains.length === 0) {
            reportViolation(
                violationMessage(
                    escalationTimings,
                    "no escalation chain in the stack",
                    `create a Grafana OnCall escalation chain: ${escalationPath.map((l) => `L${l.level} ${l.audience} (${l.deadline})`).join(", ")}`,
                ),
            );
        }
        if (chains.length > steps.size) {
            reportViolation(
                violationMessage(
                    escalationTimings,
                    `${chains.length - steps.size} escalation chain(s) have no steps`,
                    "give every chain the protocol's escalation steps",
                ),
            );
        }
        for (const [chain, chainSteps] of steps) {
            for (const problem of escalationProblems(chainSteps)) {
                reportViolation(
                    violationMessage(
                        escalationTimings,
                        `escalation chain ${chain}: ${problem}`,
                        "set the wait steps so the levels are reached at 0 s, 3600 s and 7200 s, then a wait and an incident step",
                    ),
                );
            }
        }
    },
};

export const sentryProjectsAlerted: StackGate = {
    kind: "stack",
    id: "p4-sentry-projects-alerted",
    description: "Every Sentry project has a client key, an issue alert and a metric alert, and its DSN is delivered to the production environment.",
    phase: 4,
    criterion: "Sentry integration active and tested",
    owner: "Cline",
    artifact: "Sentry integration documentation",
    severity: "high",
    blockerCategory: "Production outages",
    validateStack: (context) => (args, reportViolation) => {
        const projectsOf = <T extends { project: string }>(items: (T | undefined)[]): Set<string> =>
            new Set(items.filter((i): i is T => i !== undefined).map((i) => i.project));
        const keys = projectsOf(args.resources.map((r) => r.asType(sentry.SentryKey)));
        const issueAlerts = projectsOf(args.resources.map((r) => r.asType(sentry.SentryIssueAlert)));
        const metricAlerts = projectsOf(args.resources.map((r) => r.asType(sentry.SentryMetricAlert)));
        const delivered = deliveredSecrets(args.resources, context.environmentName);
        const projects = args.resources.flatMap((resource) => {
            const project = resource.asType(sentry.SentryProject);
            const slug = project ? (stringOf(project.slug) ?? stringOf(project.name)) : undefined;
            return slug === undefined ? [] : [{ slug, resource }];
        });
        if (projects.length === 0) {
            reportViolation(violationMessage(sentryProjectsAlerted, "no Sentry projects in the stack", "configure vauntico:sentry.projects"));
        }
        const slugs = new Set(projects.map((p) => p.slug));
        for (const declared of context.sentryProjects) {
            if (!slugs.has(declared)) {
                reportViolation(
                    violationMessage(
                        sentryProjectsAlerted,
                        `Sentry project ${declared} is declared in vauntico:sentry but not in the stack`,
                        "create every declared project",
                    ),
                );
            }
        }
        for (const { slug, resource } of projects) {
            const lacking = [
                keys.has(slug) ? "" : "a client key (SentryKey)",
                issueAlerts.has(slug) ? "" : "an issue alert",
                metricAlerts.has(slug) ? "" : "a metric alert",
                (delivered.get(sentryDsnSecretName(slug))?.length ?? 0) > 0 ? "" : `its DSN delivered as ${sentryDsnSecretName(slug)}`,
            ].filter((s) => s !== "");
            if (lacking.length > 0) {
                reportViolation(
                    violationMessage(
                        sentryProjectsAlerted,
                        `Sentry project ${slug} lacks ${lacking.join(", ")}`,
                        "create the project through the Sentry component, which adds its key, alerts and DSN delivery",
                    ),
                    resource.urn,
                );
            }
        }
    },
};

export const phase4Gates = [dashboardsInFolders, alertRulesComplete, alertsRoutedToSlackAndEmail, escalationTimings, sentryProjectsAlerted] as const;
