import { beforeAll, describe, expect, it } from "vitest";
import { runPlan, type Plan } from "../../../cli/plan/index.js";
import { monitoringReport } from "../../../cli/reports/monitoring.js";
import { reportKinds } from "../../../cli/report.js";
import { alertSignals, requiredDashboards, sentryDsnSecretName } from "../../../policy/protocol/contract.js";
import { alertRuleSpecs, allSignals, dashboardSpecs, resolveSettings } from "../../../components/grafana/index.js";
import { monitoringMocks } from "../../support/monitoringMocks.js";
import { projectDir } from "../../support/stackFiles.js";

let plan: Plan;

beforeAll(async () => {
    plan = await runPlan({ stack: "prod", projectDir, mocks: monitoringMocks(), serializeDynamicProviders: false });
});

function tableRows(report: string, heading: string): string[] {
    const section = report.split(`## ${heading}`)[1]?.split("\n## ")[0] ?? "";
    return section
        .split("\n")
        .filter((line) => line.startsWith("| ") && !line.startsWith("| ---"))
        .slice(1);
}

describe("monitoring report", () => {
    it("is registered as `npm run report -- monitoring`", () => {
        expect(Object.keys(reportKinds)).toContain("monitoring");
    });

    it("has a row per alert rule with signal, threshold, pending period, severity and who is notified at each level", () => {
        const rows = tableRows(monitoringReport(plan), "Alert rules");
        expect(rows.map((row) => row.split(" | ")[0]?.replace("| ", "")).sort()).toEqual(Object.values(alertSignals).sort());
        const errorRate = rows.find((row) => row.startsWith(`| ${alertSignals.errorRate} |`));
        expect(errorRate).toBe(
            '| error-rate | Request error rate high | `(sum (rate(vauntico_http_requests_total{status_class="5xx"}[5m]))) / clamp_min(sum (rate(vauntico_http_requests_total[5m])), 1e-9)` | > 0.02 | 5m | critical | Cline | vauntico-cline (60 s) | vauntico-cline-critical: Slack + email ops@vauntico.com, dev@vauntico.com | users UCLINELEAD1 (at once) | user group GCROSSTEAM1 (at 1 h) | users UEXECCEO1, UEXECCTO1 (at 2 h) | declare critical incident (at 3 h) |',
        );
        const webhook = rows.find((row) => row.startsWith(`| ${alertSignals.webhookDeliveryFailures} |`));
        expect(webhook).toContain("| warning | Cline |");
        expect(webhook).toMatch(/\| — \| — \| — \| — \|$/);
    });

    it("lists every dashboard with its title, UID and panels, and every Sentry project with its DSN secret and alerts", () => {
        const report = monitoringReport(plan);
        const dashboards = tableRows(report, "Dashboards");
        for (const dashboard of Object.values(requiredDashboards)) {
            expect(dashboards.some((row) => row.startsWith(`| ${dashboard.title} | ${dashboard.uid} | Vauntico production |`))).toBe(true);
        }
        const sentry = tableRows(report, "Sentry");
        for (const slug of ["frontend", "backend"]) {
            const row = sentry.find((r) => r.startsWith(`| ${slug} |`));
            expect(row).toContain(sentryDsnSecretName(slug));
            expect(row).not.toContain("**missing**");
        }
    });

    it("says the policy replaces the organisation's tree, and never prints the Slack webhook", () => {
        const report = monitoringReport(plan);
        expect(report).toContain("replaces the Grafana organisation's whole notification policy tree");
        expect(report).not.toMatch(/hooks\.slack\.com|placeholder/);
    });

    it("shows each rule's full PromQL in a code span beside its condition and pending period", () => {
        const rows = tableRows(monitoringReport(plan), "Alert rules");
        const specs = alertRuleSpecs(allSignals, resolveSettings());
        for (const spec of specs) {
            const row = rows.find((r) => r.startsWith(`| ${spec.signal} |`));
            expect(row, spec.signal).toContain(`| \`${spec.expr}\` | ${spec.condition} | ${spec.pendingPeriod} |`);
        }
    });

    it("lists every panel's queries with their legend, per dashboard", () => {
        const report = monitoringReport(plan);
        for (const spec of Object.values(dashboardSpecs)) {
            const rows = report.split(`### ${spec.title} — panel queries`)[1]?.split("\n\n")[1]?.split("\n").slice(2) ?? [];
            const expected = spec.panels.flatMap((panel) =>
                panel.queries.map((q, i) => `| ${panel.title} | ${"ABCD".charAt(i)} | \`${q.expr}\` | ${q.legend} |`),
            );
            expect(rows).toEqual(expected);
        }
    });

    it("is pure: the same plan gives the same bytes", () => {
        expect(monitoringReport(plan)).toBe(monitoringReport(plan));
    });
});
