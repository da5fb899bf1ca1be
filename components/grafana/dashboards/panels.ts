import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { contractProblems } from "../promql.js";

/** One PromQL query of a panel; the expression comes from `promql.ts`, so it reads contract metrics only. */
export interface PanelQuery {
    expr: string;
    legend: string;
}

/** A panel as data: what it shows, not how Grafana lays it out. */
export interface PanelSpec {
    kind: "timeseries" | "stat";
    title: string;
    description: string;
    /** Grafana unit id, e.g. `percentunit`, `reqps`, `short`. */
    unit: string;
    queries: readonly PanelQuery[];
    /** Stat panels: the value from which the panel turns red. */
    redFrom?: number;
    /** Grid width (of 24); height is fixed per kind. */
    width: number;
}

export interface DashboardSpec {
    uid: string;
    title: string;
    description: string;
    tags: readonly string[];
    panels: readonly PanelSpec[];
}

const refIds = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Every query of a dashboard that Prometheus's grammar or the metrics contract rejects, naming its panel. */
export function dashboardQueryProblems(spec: DashboardSpec): string[] {
    return spec.panels.flatMap((panel) =>
        panel.queries.flatMap((query, index) =>
            contractProblems(query.expr).map((problem) => `dashboard ${spec.uid}, panel "${panel.title}", query ${refIds.charAt(index)}: ${problem}`),
        ),
    );
}

function target(query: PanelQuery, index: number, datasource: common.DataSourceRef): prometheus.DataqueryBuilder {
    return new prometheus.DataqueryBuilder().refId(refIds.charAt(index)).datasource(datasource).expr(query.expr).legendFormat(query.legend).range();
}

function thresholds(redFrom: number | undefined): dashboard.ThresholdsConfigBuilder {
    const steps: dashboard.Threshold[] = [{ value: null, color: "green" }];
    if (redFrom !== undefined) steps.push({ value: redFrom, color: "red" });
    return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

function timeseriesPanel(spec: PanelSpec, id: number, datasource: common.DataSourceRef): timeseries.PanelBuilder {
    const panel = new timeseries.PanelBuilder()
        .id(id)
        .title(spec.title)
        .description(spec.description)
        .datasource(datasource)
        .unit(spec.unit)
        .span(spec.width)
        .height(8)
        .thresholds(thresholds(spec.redFrom))
        .legend(new common.VizLegendOptionsBuilder().displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom).showLegend(true));
    spec.queries.forEach((query, index) => {
        panel.withTarget(target(query, index, datasource));
    });
    return panel;
}

function statPanel(spec: PanelSpec, id: number, datasource: common.DataSourceRef): stat.PanelBuilder {
    const panel = new stat.PanelBuilder()
        .id(id)
        .title(spec.title)
        .description(spec.description)
        .datasource(datasource)
        .unit(spec.unit)
        .span(spec.width)
        .height(5)
        .thresholds(thresholds(spec.redFrom))
        .colorMode(common.BigValueColorMode.Value)
        .graphMode(common.BigValueGraphMode.Area)
        .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false));
    spec.queries.forEach((query, index) => {
        panel.withTarget(target(query, index, datasource));
    });
    return panel;
}

/**
 * The Grafana dashboard model for a spec, built with the Foundation SDK so it type-checks against
 * Grafana's own dashboard schema. Panel ids are assigned in order, so the output depends on the spec only.
 */
export function buildDashboard(spec: DashboardSpec, datasourceUid: string): dashboard.Dashboard {
    const problems = dashboardQueryProblems(spec);
    if (problems.length > 0) throw new Error(problems.join("; "));
    const datasource: common.DataSourceRef = { type: "prometheus", uid: datasourceUid };
    const builder = new dashboard.DashboardBuilder(spec.title)
        .uid(spec.uid)
        .description(spec.description)
        .tags([...spec.tags])
        .readonly()
        .timezone("utc")
        .refresh("1m")
        .time({ from: "now-24h", to: "now" })
        .tooltip(dashboard.DashboardCursorSync.Crosshair);
    spec.panels.forEach((panel, index) => {
        const id = index + 1;
        builder.withPanel(panel.kind === "stat" ? statPanel(panel, id, datasource) : timeseriesPanel(panel, id, datasource));
    });
    return builder.build();
}
