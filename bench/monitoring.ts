import { dashboardSpecs } from "../components/grafana/index.js";
import { alertScenarios } from "../test/support/prometheus/alertScenarios.js";
import { checkPanels } from "../test/support/prometheus/panelChecks.js";
import { componentRuleGroups, liveAlertingArgs, signalKeyOf } from "../test/support/prometheus/planRules.js";
import { PrometheusServer } from "../test/support/prometheus/prometheusServer.js";
import { runAlertScenarios } from "../test/support/prometheus/promtool.js";
import { contractOpenMetrics } from "../test/support/prometheus/syntheticTraffic.js";
import { prometheusTools } from "../test/support/prometheus/tools.js";
import { formatSample, timeAsync } from "./measure.js";

/**
 * Every alert scenario (one `promtool test rules` run) and every dashboard panel check (backfill a TSDB with
 * healthy traffic of the whole contract, start a real Prometheus, query each panel, stop it), together.
 */
export async function benchMonitoring(): Promise<string[]> {
    const tools = prometheusTools();
    if (typeof tools === "string") return ["## Monitoring on a real Prometheus", `skipped: ${tools}`];
    const groups = await componentRuleGroups(liveAlertingArgs());
    const scenarios = alertScenarios();
    const dashboards = Object.values(dashboardSpecs);
    let checks = 0;
    let panels = 0;
    const sample = await timeAsync("alert scenarios + panel checks on Prometheus", 3, async () => {
        const run = await runAlertScenarios(tools.promtool, groups, scenarios, signalKeyOf);
        const failed = run.outcomes.filter((o) => !o.passed).map((o) => o.scenario.name);
        if (failed.length > 0) throw new Error(`alert scenarios failed: ${failed.join(", ")}`);
        checks = run.checks;
        const end = Math.floor(Date.now() / 60_000) * 60 - 300;
        const server = await PrometheusServer.start(tools, contractOpenMetrics(end, 180).text);
        try {
            const results = await checkPanels(server, dashboards, end);
            const empty = results.filter((r) => r.seriesWithValues === 0 || r.error !== undefined);
            if (empty.length > 0) throw new Error(`panels without data: ${empty.map((r) => r.panel).join(", ")}`);
            panels = results.length;
        } finally {
            await server.stop();
        }
    });
    return [
        "## Monitoring on a real Prometheus",
        `${tools.version}; ${scenarios.length} alert scenarios (${checks} evaluation-time checks), ${panels} panel queries`,
        formatSample(sample),
    ];
}
