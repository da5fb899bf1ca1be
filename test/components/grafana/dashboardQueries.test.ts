import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertRuleSpecs, allSignals, dashboardSpecs, resolveSettings } from "../../../components/grafana/index.js";
import { checkPanels, legendLabels, type PanelCheck } from "../../support/prometheus/panelChecks.js";
import { PrometheusServer } from "../../support/prometheus/prometheusServer.js";
import { contractOpenMetrics, labelCombinations } from "../../support/prometheus/syntheticTraffic.js";
import { prometheusTools } from "../../support/prometheus/tools.js";
import { metrics } from "../../../components/grafana/index.js";

const tools = prometheusTools();
/** Panels that show 0 under healthy traffic: no delivery fails and no signature fails (syntheticTraffic.ts). */
const zeroWhenHealthy = new Set(["Delivery failure ratio", "Signature verification failures (1h)", "Signature verification failures by provider"]);
const absent = typeof tools === "string" ? tools : undefined;
const dashboards = Object.values(dashboardSpecs);
const panelQueries = dashboards.flatMap((d) => d.panels.flatMap((p) => p.queries.map((_query, i) => [d.uid, p.title, "ABCDEFGHIJKLMNOPQRSTUVWXYZ".charAt(i)] as const)));

describe("synthetic traffic", () => {
    it("covers every label combination of every contract metric", () => {
        const end = 1_700_000_000;
        const { text, series } = contractOpenMetrics(end, 10);
        expect(series).toBe(Object.values(metrics).reduce((sum, m) => sum + labelCombinations(m).length, 0));
        expect(text).toContain(`vauntico_payments_total{mode="live",outcome="failed",provider="stripe"} 0 ${end - 600}`);
        expect(text.endsWith("# EOF\n")).toBe(true);
    });

    it("reads legend labels from Grafana's {{label}} format", () => {
        expect(legendLabels("{{provider}} {{ outcome }} ({{mode}})")).toEqual(["provider", "outcome", "mode"]);
        expect(legendLabels("5xx ratio")).toEqual([]);
    });
});

describe.skipIf(absent !== undefined)(`dashboards on a real Prometheus with healthy traffic of the whole contract${absent ? ` — skipped: ${absent}` : ""}`, () => {
    let server: PrometheusServer | undefined;
    let checks: PanelCheck[] = [];
    const end = Math.floor(Date.now() / 1000 / 60) * 60 - 300;

    beforeAll(async () => {
        if (typeof tools === "string") return;
        server = await PrometheusServer.start(tools, contractOpenMetrics(end, 180).text);
        checks = await checkPanels(server, dashboards, end);
    });
    afterAll(async () => {
        await server?.stop();
    });

    it.each(panelQueries)("%s, panel \"%s\", query %s returns data with its legend labels", (uid, title, refId) => {
        const check = checks.find((c) => c.dashboard === uid && c.panel === title && c.refId === refId);
        expect(check?.error, check?.expr).toBeUndefined();
        expect(check?.seriesWithValues ?? 0, check?.expr).toBeGreaterThanOrEqual(1);
        expect(check?.missingLegendLabels, check?.expr).toEqual([]);
        if (zeroWhenHealthy.has(title)) expect(check?.seriesWithNonZero, check?.expr).toBe(0);
        else expect(check?.seriesWithNonZero ?? 0, `${check?.expr ?? ""}: only zeros under healthy traffic`).toBeGreaterThanOrEqual(1);
    });

    it("runs every alert rule's query A without an error (Grafana's Error state never comes from the query)", async () => {
        for (const spec of alertRuleSpecs(allSignals, resolveSettings())) {
            const result = await server?.query(spec.expr, end);
            expect(result?.status, spec.expr).toBe("success");
            expect(result?.series.length ?? 0, spec.expr).toBeGreaterThanOrEqual(1);
        }
    });
});
