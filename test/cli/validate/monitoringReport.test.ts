import { describe, expect, it } from "vitest";
import { type MonitoringValidation, monitoringValidationReport, validationPassed } from "../../../cli/validate/monitoringReport.js";

const dashboard = { uid: "vauntico-payments", title: "Payments", expectedVersion: 7, liveVersion: 7, passed: true, detail: "as the stack last wrote it" };
const panel = { dashboard: "vauntico-payments", panel: "Deliveries", refId: "A", expr: "sum(rate(x[5m]))", passed: true, detail: "3 points in the last hour" };
const rule = { group: "payments", name: "Failure ratio", state: "inactive, health ok", passed: true, detail: "evaluating" };
const slack = { contactPoint: "vauntico-all", integration: "slack", tested: true, passed: true, detail: "Grafana delivered it to the integration" };
const oncall = { contactPoint: "vauntico-all", integration: "oncall", tested: false, passed: true, detail: "not sent" };

function validation(overrides: Partial<MonitoringValidation> = {}): MonitoringValidation {
    return {
        grafanaUrl: "https://vauntico.grafana.net/",
        stack: "prod",
        dashboards: [dashboard],
        panels: [panel],
        rules: [rule],
        notifications: undefined,
        ...overrides,
    };
}

describe("validationPassed", () => {
    it("every check of every section must pass, the notifications' included", () => {
        expect(validationPassed(validation())).toBe(true);
        expect(validationPassed(validation({ dashboards: [{ ...dashboard, passed: false }] }))).toBe(false);
        expect(validationPassed(validation({ panels: [{ ...panel, passed: false }] }))).toBe(false);
        expect(validationPassed(validation({ rules: [{ ...rule, passed: false }] }))).toBe(false);
        expect(validationPassed(validation({ notifications: [slack] }))).toBe(true);
        expect(validationPassed(validation({ notifications: [slack, { ...slack, passed: false }] }))).toBe(false);
    });
});

describe("monitoringValidationReport", () => {
    it("a read-only run: the heading, the result count and a table per section, no notification section", () => {
        const report = monitoringValidationReport(validation());
        const lines = report.split("\n");
        expect(lines.slice(0, 5)).toEqual([
            "# Monitoring validation",
            "",
            "Grafana https://vauntico.grafana.net/, against what stack `prod` last wrote (its state). Read-only run: no test notification sent.",
            "",
            "**Result: PASS** — 3 of 3 checks passed.",
        ]);
        expect(report).toContain("\n## Dashboards\n\n| Dashboard | UID | Version (stack) | Version (Grafana) | Result | Detail |\n");
        expect(report).toContain("| Payments | vauntico-payments | 7 | 7 | pass | as the stack last wrote it |");
        expect(report).toContain("\n## Panel queries (last hour, through /api/ds/query)\n\n");
        expect(report).toContain("| vauntico-payments | Deliveries | A | `sum(rate(x[5m]))` | pass | 3 points in the last hour |");
        expect(report).toContain("\n## Alert rules (Grafana's Prometheus-compatible rule statuses)\n\n");
        expect(report).toContain("| payments | Failure ratio | inactive, health ok | pass | evaluating |");
        expect(report).not.toContain("## Test notifications");
        expect(report.endsWith("evaluating |\n\n")).toBe(true);
    });

    it("a read-only run, whole: each section's heading, blank line, table header and rows, blank line", () => {
        expect(monitoringValidationReport(validation()).split("\n")).toEqual([
            "# Monitoring validation",
            "",
            "Grafana https://vauntico.grafana.net/, against what stack `prod` last wrote (its state). Read-only run: no test notification sent.",
            "",
            "**Result: PASS** — 3 of 3 checks passed.",
            "",
            "## Dashboards",
            "",
            "| Dashboard | UID | Version (stack) | Version (Grafana) | Result | Detail |",
            "| --- | --- | --- | --- | --- | --- |",
            "| Payments | vauntico-payments | 7 | 7 | pass | as the stack last wrote it |",
            "",
            "## Panel queries (last hour, through /api/ds/query)",
            "",
            "| Dashboard | Panel | Ref | Query | Result | Detail |",
            "| --- | --- | --- | --- | --- | --- |",
            "| vauntico-payments | Deliveries | A | `sum(rate(x[5m]))` | pass | 3 points in the last hour |",
            "",
            "## Alert rules (Grafana's Prometheus-compatible rule statuses)",
            "",
            "| Group | Rule | State | Result | Detail |",
            "| --- | --- | --- | --- | --- |",
            "| payments | Failure ratio | inactive, health ok | pass | evaluating |",
            "",
            "",
        ]);
    });

    it("counts the failed checks; unknown versions show as a dash", () => {
        const report = monitoringValidationReport(
            validation({ dashboards: [{ ...dashboard, expectedVersion: undefined, liveVersion: undefined, passed: false, detail: "not found" }] }),
        );
        expect(report).toContain("**Result: FAIL** — 2 of 3 checks passed.");
        expect(report).toContain("| Payments | vauntico-payments | — | — | **FAIL** | not found |");
    });

    it("with notifications: the run says so, and each integration is pass, not sent or FAIL", () => {
        const report = monitoringValidationReport(
            validation({
                notifications: [slack, oncall, { ...slack, integration: "email", passed: false, detail: "failed: smtp" }, { ...oncall, passed: false }],
            }),
        );
        expect(report).toContain("(its state). Test notifications sent through each Slack and email integration.\n");
        expect(report).toContain("**Result: FAIL** — 5 of 7 checks passed.");
        expect(report).toContain("\n## Test notifications (receiver-test API)\n\n| Contact point | Integration | Result | Detail |\n");
        expect(report).toContain("| vauntico-all | slack | pass | Grafana delivered it to the integration |");
        expect(report).toContain("| vauntico-all | oncall | not sent | not sent |");
        expect(report).toContain("| vauntico-all | email | **FAIL** | failed: smtp |");
        expect(report).toContain("| vauntico-all | oncall | **FAIL** | not sent |");
        expect(
            report.endsWith("\n\nGrafana reports delivery to Slack's webhook and to its SMTP server; confirm the messages arrived before signing.\n\n"),
        ).toBe(true);
    });
});
