import { codeSpan, markdownTable } from "../../policy/markdown/index.js";
import type { DashboardResult, NotificationResult, PanelResult, RuleResult } from "./monitoringChecks.js";

export interface MonitoringValidation {
    grafanaUrl: string;
    stack: string;
    dashboards: DashboardResult[];
    panels: PanelResult[];
    rules: RuleResult[];
    /** undefined: test notifications were not requested (read-only run). */
    notifications: NotificationResult[] | undefined;
}

const mark = (passed: boolean): string => (passed ? "pass" : "**FAIL**");

/** Whether every check of a section passed (an empty section passes only when nothing was expected). */
export function validationPassed(v: MonitoringValidation): boolean {
    return [...v.dashboards, ...v.panels, ...v.rules, ...(v.notifications ?? [])].every((r) => r.passed);
}

/** The live check of phases 2 and 4 as Markdown: dashboards, panel data, rule health, test notifications. */
export function monitoringValidationReport(v: MonitoringValidation): string {
    const all = [...v.dashboards, ...v.panels, ...v.rules, ...(v.notifications ?? [])];
    const failed = all.filter((r) => !r.passed).length;
    const lines = [
        "# Monitoring validation",
        "",
        `Grafana ${v.grafanaUrl}, against what stack \`${v.stack}\` last wrote (its state). ${v.notifications === undefined ? "Read-only run: no test notification sent." : "Test notifications sent through each Slack and email integration."}`,
        "",
        `**Result: ${failed === 0 ? "PASS" : "FAIL"}** — ${all.length - failed} of ${all.length} checks passed.`,
        "",
        "## Dashboards",
        "",
        ...markdownTable(
            ["Dashboard", "UID", "Version (stack)", "Version (Grafana)", "Result", "Detail"],
            v.dashboards.map((d) => [d.title, d.uid, String(d.expectedVersion ?? "—"), String(d.liveVersion ?? "—"), mark(d.passed), d.detail]),
        ),
        "",
        "## Panel queries (last hour, through /api/ds/query)",
        "",
        ...markdownTable(
            ["Dashboard", "Panel", "Ref", "Query", "Result", "Detail"],
            v.panels.map((p) => [p.dashboard, p.panel, p.refId, codeSpan(p.expr), mark(p.passed), p.detail]),
        ),
        "",
        "## Alert rules (Grafana's Prometheus-compatible rule statuses)",
        "",
        ...markdownTable(
            ["Group", "Rule", "State", "Result", "Detail"],
            v.rules.map((r) => [r.group, r.name, r.state, mark(r.passed), r.detail]),
        ),
        "",
    ];
    if (v.notifications !== undefined) {
        lines.push(
            "## Test notifications (receiver-test API)",
            "",
            ...markdownTable(
                ["Contact point", "Integration", "Result", "Detail"],
                v.notifications.map((n) => [n.contactPoint, n.integration, n.tested ? mark(n.passed) : n.passed ? "not sent" : "**FAIL**", n.detail]),
            ),
            "",
            "Grafana reports delivery to Slack's webhook and to its SMTP server; confirm the messages arrived before signing.",
            "",
        );
    }
    return `${lines.join("\n")}\n`;
}
