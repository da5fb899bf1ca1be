import { describe, expect, it } from "vitest";
import { messageParts, paymentFailureAlert, paymentsDashboard } from "../../../policy/gates/index.js";
import { alertSignals, requiredDashboards } from "../../../policy/protocol/index.js";
import { completeStack, dashboard, rule, ruleGroup } from "../../support/fixtures.js";
import { runStackGate } from "../../support/gateHarness.js";

// dashboardGate and signalGate through gates built with them (p3-payments-dashboard, p3-payment-failure-alert).

const parts = (found: readonly { message: string; urn: string | undefined }[]) => found.map((f) => messageParts(f.message));
const withoutNamed = (...names: string[]) => completeStack().filter((r) => !names.includes(r.name));
const { uid, title } = requiredDashboards.payments;
const signal = alertSignals.paymentFailureRatio;

describe("dashboardGate", () => {
    it("names the missing dashboard and how to add it", async () => {
        expect(parts(await runStackGate(paymentsDashboard, withoutNamed(`dashboard-${uid}`)))).toEqual([
            {
                problem: `no ${title} dashboard (Grafana uid ${uid}) in the stack`,
                fix: `add a grafana.oss.Dashboard whose JSON has uid "${uid}" to the monitoring component`,
            },
        ]);
    });
    it("reports each copy outside a folder on its resource, and only those", async () => {
        const stack = [...withoutNamed(`dashboard-${uid}`), { ...dashboard(uid, title, null), name: "loose" }, dashboard(uid, title)];
        const found = await runStackGate(paymentsDashboard, stack);
        expect(parts(found)).toEqual([{ problem: `the ${title} dashboard is not in a folder`, fix: "set its folder to the deployment's grafana.oss.Folder" }]);
        expect(found[0]?.urn).toMatch(/::loose$/);
    });
});

describe("signalGate", () => {
    const withRules = (rules: Record<string, unknown>[]) => [...withoutNamed("vauntico-alerts"), ruleGroup(rules)];
    it("names the missing signal and how to add its rule", async () => {
        expect(parts(await runStackGate(paymentFailureAlert, withRules([rule(alertSignals.errorRate)])))).toEqual([
            {
                problem: `no alert rule for signal ${signal}`,
                fix: `add a grafana.alerting.RuleGroup rule labelled signal=${signal} with a threshold and a pending period`,
            },
        ]);
    });
    it("needs a pending period above zero: 0s fails, 1s passes; each fix named, on the rule group", async () => {
        const found = await runStackGate(paymentFailureAlert, withRules([rule(signal, { for: "0s", datas: [] })]));
        expect(parts(found)).toEqual([
            { problem: `alert rule "${signal} alert" (${signal}) has no pending period`, fix: 'set its "for" to a duration such as 5m' },
            { problem: `alert rule "${signal} alert" (${signal}) has no threshold`, fix: "add a threshold expression with a numeric bound" },
        ]);
        expect(found.every((f) => f.urn?.endsWith("::vauntico-alerts"))).toBe(true);
        expect(await runStackGate(paymentFailureAlert, withRules([rule(signal, { for: "1s" })]))).toEqual([]);
        expect(parts(await runStackGate(paymentFailureAlert, withRules([rule(signal, { for: undefined })]))).map((p) => p.problem)).toEqual([
            `alert rule "${signal} alert" (${signal}) has no pending period`,
        ]);
    });
    it("checks every rule of the signal", async () => {
        const found = await runStackGate(paymentFailureAlert, withRules([rule(signal), rule(signal, { name: "second", for: "0s" })]));
        expect(parts(found).map((p) => p.problem)).toEqual([`alert rule "second" (${signal}) has no pending period`]);
    });
});
