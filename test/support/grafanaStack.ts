import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "../../cli/plan/index.js";
import type { DoubleContactPoint, DoubleRuleGroup, GrafanaDouble } from "../doubles/grafana.js";
import { isRecord } from "./values.js";

const records = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isRecord) : []);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** A `pulumi stack export` document for a plan, as if `pulumi up` had run: dashboards carry uid and `version`. */
export function stackExportOf(plan: Plan, dashboardVersion: number): string {
    const resources = plan.resources.map((r) => {
        const outputs: Record<string, unknown> = { ...r.inputs };
        if (r.type === "grafana:oss/dashboard:Dashboard") {
            const model: unknown = JSON.parse(text(r.inputs["configJson"]));
            outputs["uid"] = isRecord(model) ? model["uid"] : undefined;
            outputs["version"] = dashboardVersion;
        }
        return { urn: r.urn, type: r.type, inputs: r.inputs, outputs };
    });
    return JSON.stringify({ version: 3, deployment: { manifest: {}, resources } });
}

/** Seeds the Grafana double with what the plan registers: dashboards, rule groups (healthy), contact points. */
export function seedGrafana(double: GrafanaDouble, plan: Plan, dashboardVersion: number): void {
    for (const r of plan.resources.filter((x) => x.type === "grafana:oss/dashboard:Dashboard")) {
        const model: unknown = JSON.parse(text(r.inputs["configJson"]));
        if (isRecord(model)) double.dashboards.set(text(model["uid"]), { model, version: dashboardVersion });
    }
    double.ruleGroups = plan.resources.filter((x) => x.type === "grafana:alerting/ruleGroup:RuleGroup").map((g): DoubleRuleGroup => ({
        name: text(g.inputs["name"]),
        file: "Vauntico production",
        interval: Number(g.inputs["intervalSeconds"]),
        rules: records(g.inputs["rules"]).map((rule) => ({ uid: text(rule["uid"]), name: text(rule["name"]), health: "ok", state: "inactive" })),
    }));
    double.contactPoints = plan.resources.filter((x) => x.type === "grafana:alerting/contactPoint:ContactPoint").flatMap((cp): DoubleContactPoint[] => {
        const name = text(cp.inputs["name"]);
        return [
            ...(records(cp.inputs["slacks"]).length > 0 || cp.secretPaths.some((p) => p.startsWith("inputs.slacks")) ? [{ uid: `${name}-slack`, name, type: "slack", settings: { url: "[REDACTED]", title: "{{ .CommonLabels.signal }}" } }] : []),
            ...records(cp.inputs["emails"]).map((e, i) => ({ uid: `${name}-email-${i}`, name, type: "email", settings: { addresses: (Array.isArray(e["addresses"]) ? e["addresses"].map(text) : []).join(";"), singleEmail: true } })),
            ...records(cp.inputs["oncalls"]).map((_o, i) => ({ uid: `${name}-oncall-${i}`, name, type: "oncall", settings: { url: "https://oncall.example.test/integrations/v1/grafana_alerting/x/" } })),
        ];
    });
}

/** A project folder with `Pulumi.yaml` and `Pulumi.<stack>.yaml` holding only `grafana:url`. */
export function grafanaProject(stack: string, grafanaUrl: string): string {
    const dir = mkdtempSync(join(tmpdir(), "vauntico-validate-monitoring-"));
    writeFileSync(join(dir, "Pulumi.yaml"), "name: vauntico-deploy\nruntime: nodejs\n");
    writeFileSync(join(dir, `Pulumi.${stack}.yaml`), `config:\n  grafana:url: ${JSON.stringify(grafanaUrl)}\n`);
    return dir;
}
