import { beforeAll, describe, expect, it } from "vitest";
import { runPlan } from "../../../cli/plan/index.js";
import { alertScenarios } from "../../support/prometheus/alertScenarios.js";
import { translateGroup, translateRule, type GrafanaRuleGroup } from "../../support/prometheus/grafanaToPrometheus.js";
import { componentRuleGroups, liveAlertingArgs, ruleGroupsOf, signalKeyOf } from "../../support/prometheus/planRules.js";
import { runAlertScenarios, type PromtoolRun } from "../../support/prometheus/promtool.js";
import { prometheusTools } from "../../support/prometheus/tools.js";
import { prodValue, prodWith } from "../../support/stackFiles.js";

const tools = prometheusTools();

function recordOf(value: unknown): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`expected an object, got ${typeof value}`);
    return Object.fromEntries(Object.entries(value));
}
const absent = typeof tools === "string" ? tools : undefined;
const scenarios = alertScenarios();

describe("Grafana rules translated for Prometheus", () => {
    it("keeps query, threshold, pending period, labels and interval; leaves paused rules out", async () => {
        const groups = await componentRuleGroups(liveAlertingArgs({ evaluationIntervalSeconds: 30 }));
        const translated = groups.map(translateGroup);
        expect(translated.map((g) => g.interval)).toEqual(["30s", "30s"]);
        const errorRate = translated.flatMap((g) => g.rules).find((r) => r.labels["signal"] === "error-rate");
        expect(errorRate).toMatchObject({
            alert: "Request error rate high",
            expr: '((sum (rate(vauntico_http_requests_total{status_class="5xx"}[5m]))) / clamp_min(sum (rate(vauntico_http_requests_total[5m])), 1e-9)) > 0.02',
            for: "5m",
            labels: { signal: "error-rate", severity: "critical", team: "Cline" },
        });
        const paused = await componentRuleGroups(liveAlertingArgs({ paymentsLive: false }));
        expect(
            paused
                .flatMap((g) => g.rules)
                .filter((r) => r.isPaused)
                .map((r) => translateRule(r)),
        ).toEqual([undefined]);
    });

    it("refuses what it cannot translate faithfully instead of guessing", async () => {
        const [group] = await componentRuleGroups(liveAlertingArgs());
        const rule = group?.rules[0];
        if (rule === undefined) throw new Error("no rule");
        const shifted = { ...rule, datas: rule.datas.map((d) => (d.refId === "A" ? { ...d, relativeTimeRange: { from: 600, to: 60 } } : d)) };
        expect(() => translateRule(shifted)).toThrow(/query A ends 60s before now/);
        const math = { ...rule, datas: rule.datas.map((d) => (d.refId === "B" ? { ...d, model: JSON.stringify({ type: "math", expression: "A" }) } : d)) };
        expect(() => translateRule(math)).toThrow(/expression type math of B is not translated/);
        expect(() => translateRule({ ...rule, noDataState: "KeepLast" })).toThrow(/no-data state KeepLast/);
        expect(translateRule({ ...rule, noDataState: "Alerting" })?.expr).toMatch(/ or on\(\) \(vector\(1\) unless on\(\) \(.+\)\)$/);
    });
});

describe.skipIf(absent !== undefined)(`alert scenarios on Prometheus's rule engine (promtool test rules)${absent ? ` — skipped: ${absent}` : ""}`, () => {
    let run: PromtoolRun;
    beforeAll(async () => {
        if (typeof tools === "string") return;
        run = await runAlertScenarios(tools.promtool, await componentRuleGroups(liveAlertingArgs()), scenarios, signalKeyOf);
    });

    it("covers every signal with a firing, a quiet and a no-traffic scenario", () => {
        for (const signal of ["paymentFailureRatio", "webhookDeliveryFailures", "signatureVerificationFailure", "errorRate", "noSuccessfulPayment"]) {
            const names = scenarios.filter((s) => s.signal === signal).map((s) => s.name);
            expect(
                names.some((n) => n.endsWith("firing")),
                signal,
            ).toBe(true);
            expect(
                names.some((n) => n.endsWith("quiet")),
                signal,
            ).toBe(true);
            expect(
                names.some((n) => n.includes("nothing exported")),
                signal,
            ).toBe(true);
        }
        expect(run.checks).toBeGreaterThan(scenarios.length);
    });

    it.each(scenarios.map((s) => [s.name, s.story] as const))("%s: %s", (name) => {
        const outcome = run.outcomes.find((o) => o.scenario.name === name);
        expect(outcome?.passed, outcome?.failure).toBe(true);
    });
});

describe.skipIf(absent !== undefined)(`a threshold in the stack config${absent ? ` — skipped: ${absent}` : ""}`, () => {
    it("turns the quiet payment scenario (9% failing) into a firing one when lowered to 0.08", async () => {
        if (typeof tools === "string") return;
        const quiet = scenarios.find((s) => s.name === "payment-failure-ratio quiet");
        if (quiet === undefined) throw new Error("no quiet payment scenario");
        const monitoring = recordOf(prodValue("vauntico:monitoring"));
        const withThreshold = async (threshold: number): Promise<GrafanaRuleGroup[]> => {
            const configured = recordOf(monitoring["alerting"]);
            const alerting = { ...configured, thresholds: { ...recordOf(configured["thresholds"]), paymentFailureRatio: threshold } };
            const plan = await runPlan({
                stack: "prod",
                stackFile: prodWith({ "vauntico:monitoring": { ...monitoring, alerting } }),
                serializeDynamicProviders: false,
            });
            return ruleGroupsOf(plan.resources);
        };
        const asConfigured = await runAlertScenarios(tools.promtool, await withThreshold(0.1), [quiet], signalKeyOf);
        expect(asConfigured.outcomes[0]?.passed, asConfigured.outcomes[0]?.failure).toBe(true);
        const lowered = await runAlertScenarios(tools.promtool, await withThreshold(0.08), [quiet], signalKeyOf);
        expect(lowered.outcomes[0]?.passed).toBe(false);
        expect(lowered.outcomes[0]?.failure).toMatch(/exp:\[\][\s\S]*got:\[[\s\S]*signal="payment-failure-ratio"/);
    });
});
