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

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function code(text: string): string {
    return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
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
        "| Dashboard | UID | Version (stack) | Version (Grafana) | Result | Detail |",
        "| --- | --- | --- | --- | --- | --- |",
        ...v.dashboards.map((d) => `| ${cell(d.title)} | ${cell(d.uid)} | ${d.expectedVersion ?? "—"} | ${d.liveVersion ?? "—"} | ${mark(d.passed)} | ${cell(d.detail)} |`),
        "",
        "## Panel queries (last hour, through /api/ds/query)",
        "",
        "| Dashboard | Panel | Ref | Query | Result | Detail |",
        "| --- | --- | --- | --- | --- | --- |",
        ...v.panels.map((p) => `| ${cell(p.dashboard)} | ${cell(p.panel)} | ${p.refId} | ${cell(code(p.expr))} | ${mark(p.passed)} | ${cell(p.detail)} |`),
        "",
        "## Alert rules (Grafana's Prometheus-compatible rule statuses)",
        "",
        "| Group | Rule | State | Result | Detail |",
        "| --- | --- | --- | --- | --- |",
        ...v.rules.map((r) => `| ${cell(r.group)} | ${cell(r.name)} | ${cell(r.state)} | ${mark(r.passed)} | ${cell(r.detail)} |`),
        "",
    ];
    if (v.notifications !== undefined) {
        lines.push(
            "## Test notifications (receiver-test API)",
            "",
            "| Contact point | Integration | Result | Detail |",
            "| --- | --- | --- | --- |",
            ...v.notifications.map((n) => `| ${cell(n.contactPoint)} | ${cell(n.integration)} | ${n.tested ? mark(n.passed) : n.passed ? "not sent" : "**FAIL**"} | ${cell(n.detail)} |`),
            "",
            "Grafana reports delivery to Slack's webhook and to its SMTP server; confirm the messages arrived before signing.",
            "",
        );
    }
    return `${lines.join("\n")}\n`;
}
