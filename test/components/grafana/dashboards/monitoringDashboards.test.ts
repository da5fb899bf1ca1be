import { describe, expect, it } from "vitest";
import { requiredDashboards } from "../../../../policy/protocol/contract.js";
import { contractMetricNames, metricNamesOf } from "../../../../components/grafana/index.js";
import { dashboardJson, dashboardQueryProblems, dashboardsForPhase, dashboardSpecs } from "../../../../components/grafana/dashboards/index.js";
import { dashboardTypeProblems } from "../../../support/dashboardTypeCheck.js";
import { isRecord } from "../../../support/values.js";

/** Every PromQL expression of every panel in dashboard JSON. */
function panelExpressions(json: unknown): string[] {
    const panels = isRecord(json) && Array.isArray(json.panels) ? json.panels : [];
    return panels.flatMap((panel: unknown) => {
        const targets = isRecord(panel) && Array.isArray(panel.targets) ? panel.targets : [];
        return targets.map((target: unknown) => (isRecord(target) && typeof target.expr === "string" ? target.expr : ""));
    });
}

const keys = ["webhooks", "payments", "revenue"] as const;

describe("dashboard JSON", () => {
    it.each(keys)("%s parses and carries its stable UID and title from the protocol contract", (key) => {
        const json: unknown = JSON.parse(dashboardJson(dashboardSpecs[key], "prometheus-main"));
        expect(isRecord(json) && json.uid).toBe(requiredDashboards[key].uid);
        expect(isRecord(json) && json.title).toBe(requiredDashboards[key].title);
    });

    it.each(keys)("%s queries only metrics of the contract, through the given data source", (key) => {
        const json: unknown = JSON.parse(dashboardJson(dashboardSpecs[key], "prometheus-main"));
        const expressions = panelExpressions(json);
        expect(expressions.length).toBeGreaterThan(0);
        for (const expr of expressions) {
            const names = metricNamesOf(expr);
            expect(names.length, expr).toBeGreaterThan(0);
            for (const name of names) expect(contractMetricNames.has(name), `${name} in ${expr}`).toBe(true);
        }
        const panels = isRecord(json) && Array.isArray(json.panels) ? json.panels : [];
        for (const panel of panels) {
            expect(isRecord(panel) && panel.datasource).toEqual({ type: "prometheus", uid: "prometheus-main" });
        }
    });
});

describe("dashboard JSON against Grafana's dashboard types at run time", () => {
    it.each(keys)("%s conforms", (key) => {
        expect(dashboardTypeProblems(JSON.parse(dashboardJson(dashboardSpecs[key], "prom")))).toEqual([]);
    });

    it("names an unknown field, a missing required field, a value outside an enum and a wrong type", () => {
        const json: unknown = JSON.parse(dashboardJson(dashboardSpecs.webhooks, "prom"));
        if (!isRecord(json) || !Array.isArray(json.panels)) throw new Error("no panels");
        json.bogus = 1;
        delete json.schemaVersion;
        const [first, second] = json.panels;
        if (!isRecord(first) || !isRecord(first.options) || !isRecord(first.options.legend)) throw new Error("no legend");
        first.options.legend.displayMode = "fancy";
        if (!isRecord(second) || !Array.isArray(second.targets) || !isRecord(second.targets[0])) throw new Error("no target");
        second.targets[0].expr = 5;
        expect(dashboardTypeProblems(json)).toEqual([
            "dashboard.schemaVersion: required by Grafana's type, missing",
            "dashboard.bogus: not a field of Dashboard",
            'dashboard.panels[0].options.legend.displayMode: "fancy" is not one of LegendDisplayMode',
            "dashboard.panels[1].targets[0].expr: expected a string, got 5",
        ]);
    });
});

describe("byte-stability", () => {
    it.each(keys)("%s: the same input gives the same bytes, with keys sorted at every depth", (key) => {
        const first = dashboardJson(dashboardSpecs[key], "prom");
        expect(dashboardJson(dashboardSpecs[key], "prom")).toBe(first);
        const sorted = (value: unknown): boolean =>
            Array.isArray(value)
                ? value.every(sorted)
                : isRecord(value)
                  ? Object.keys(value).join() === Object.keys(value).sort().join() && Object.values(value).every(sorted)
                  : true;
        expect(sorted(JSON.parse(first))).toBe(true);
    });

    it("a different data source changes only the data source references", () => {
        const a = dashboardJson(dashboardSpecs.payments, "prom-a").split("\n");
        const b = dashboardJson(dashboardSpecs.payments, "prom-b").split("\n");
        expect(a.length).toBe(b.length);
        const changed = a.filter((line, index) => line !== b[index]);
        expect(changed.length).toBeGreaterThan(0);
        expect(changed.every((line) => line.includes('"uid": "prom-a"'))).toBe(true);
    });
});

describe("dashboards by phase", () => {
    it("follow the phase each dashboard is required from", () => {
        expect(dashboardsForPhase(1)).toEqual([]);
        expect(dashboardsForPhase(2)).toEqual(["webhooks"]);
        expect(dashboardsForPhase(4)).toEqual(["webhooks", "payments"]);
        expect(dashboardsForPhase(5)).toEqual(["webhooks", "payments", "revenue"]);
    });
});

describe("MonitoringDashboards component", () => {
    it("puts each requested dashboard, with its UID, in one folder, as children of the component", async () => {
        const { runUnderMocks } = await import("../../../../cli/plan/index.js");
        const { MonitoringDashboards } = await import("../../../../components/grafana/index.js");
        const { monitoringMocks } = await import("../../../support/monitoringMocks.js");
        const { resources } = await runUnderMocks({ project: "p", stack: "s", mocks: monitoringMocks() }, () =>
            new MonitoringDashboards("monitoring", { datasourceUid: "prometheus", dashboards: ["webhooks", "payments"] }),
        );
        const component = resources.find((r) => r.type === "vauntico:grafana:MonitoringDashboards");
        const folders = resources.filter((r) => r.type === "grafana:oss/folder:Folder");
        expect(folders.map((f) => f.inputs["uid"])).toEqual(["vauntico"]);
        const dashboards = resources.filter((r) => r.type === "grafana:oss/dashboard:Dashboard");
        const uids = dashboards.map((d) => {
            const json: unknown = JSON.parse(String(d.inputs["configJson"]));
            return isRecord(json) ? json.uid : undefined;
        });
        expect(uids).toEqual([requiredDashboards.webhooks.uid, requiredDashboards.payments.uid]);
        for (const d of [...folders, ...dashboards]) expect(d.parent).toBe(component?.urn);
        for (const d of dashboards) expect(d.inputs["folder"]).toBe("vauntico");
    });

    it("rejects an unknown or repeated dashboard, naming the field and the valid keys", async () => {
        const { dashboardKeyProblems } = await import("../../../../components/grafana/index.js");
        expect(dashboardKeyProblems(["webhooks", "sales", "webhooks"])).toEqual([
            "dashboards: unknown sales; valid: webhooks, payments, revenue",
            "dashboards: listed twice in [webhooks, sales, webhooks]",
        ]);
        expect(dashboardKeyProblems(["payments"])).toEqual([]);
    });
});

describe("a dashboard whose query is broken", () => {
    it("fails the build naming the dashboard, panel and query", () => {
        const spec = dashboardSpecs.webhooks;
        const [first, ...rest] = spec.panels;
        if (first === undefined) throw new Error("no panel");
        const broken = { ...spec, panels: [{ ...first, queries: [{ expr: "sum(rate(vauntico_webhook_deliveries_total[5m])", legend: "x" }] }, ...rest] };
        expect(() => dashboardJson(broken, "prom")).toThrow(/dashboard vauntico-webhooks, panel "Deliveries by provider and outcome", query A: PromQL syntax error/);
        expect(dashboardQueryProblems(spec)).toEqual([]);
    });
});
