import type { DashboardSpec } from "../../../components/grafana/index.js";
import type { PrometheusServer } from "./prometheusServer.js";

export interface PanelCheck {
    dashboard: string;
    panel: string;
    refId: string;
    expr: string;
    series: number;
    /** Series with at least one finite value (Grafana draws NaN as nothing). */
    seriesWithValues: number;
    /** Series with a value other than 0 somewhere in the hour. */
    seriesWithNonZero: number;
    /** Labels the legend names (`{{label}}`) that some result series does not carry. */
    missingLegendLabels: string[];
    error: string | undefined;
}

/** The labels a Grafana legend format refers to: `{{provider}} {{ outcome }}` → provider, outcome. */
export function legendLabels(legend: string): string[] {
    return [...legend.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((m) => m[1] ?? "");
}

const refIds = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Every query of every panel as Grafana sends it (a range query over the last hour, 1 min step) at `at`. */
export async function checkPanels(server: PrometheusServer, dashboards: readonly DashboardSpec[], at: number): Promise<PanelCheck[]> {
    const checks: PanelCheck[] = [];
    for (const dashboard of dashboards) {
        for (const panel of dashboard.panels) {
            for (const [index, query] of panel.queries.entries()) {
                const result = await server.query(query.expr, at, { seconds: 3600, step: 60 });
                const labels = legendLabels(query.legend);
                checks.push({
                    dashboard: dashboard.uid,
                    panel: panel.title,
                    refId: refIds.charAt(index),
                    expr: query.expr,
                    series: result.series.length,
                    seriesWithValues: result.series.filter((s) => s.values.some(Number.isFinite)).length,
                    seriesWithNonZero: result.series.filter((s) => s.values.some((v) => Number.isFinite(v) && v !== 0)).length,
                    missingLegendLabels: [...new Set(labels.filter((label) => result.series.some((s) => !Object.hasOwn(s.metric, label))))],
                    error: result.status === "success" ? undefined : result.error ?? result.status,
                });
            }
        }
    }
    return checks;
}
