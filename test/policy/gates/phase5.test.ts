import { describe, expect, it } from "vitest";
import { livePaymentKeysOnlyAtPhase5, revenueAlert, revenueDashboard } from "../../../policy/gates/index.js";
import { alertSignals, requiredDashboards } from "../../../policy/protocol/index.js";
import { completeStack, dashboard, paystackWebhook, rule, ruleGroup, stripeEndpoint, withConfig } from "../../support/fixtures.js";
import { context, messages, runStackGate } from "../../support/gateHarness.js";

const without = (predicate: (name: string, type: string) => boolean) => completeStack().filter((r) => !predicate(r.name, r.type));

describe("phase 5 revenue gates", () => {
    it("pass with the revenue dashboard and the no-successful-payment alert", async () => {
        expect(await runStackGate(revenueDashboard, completeStack())).toEqual([]);
        expect(await runStackGate(revenueAlert, completeStack())).toEqual([]);
    });
    it("report them missing", async () => {
        expect(
            messages(
                await runStackGate(
                    revenueDashboard,
                    without((n) => n === `dashboard-${requiredDashboards.revenue.uid}`),
                ),
            ),
        ).toEqual([expect.stringContaining("no Revenue & conversion dashboard (Grafana uid vauntico-revenue) in the stack")]);
        const stack = [...without((n) => n === "vauntico-alerts"), ruleGroup([rule(alertSignals.errorRate)]), dashboard("x", "x")];
        expect(messages(await runStackGate(revenueAlert, stack))).toEqual([expect.stringContaining("no alert rule for signal no-successful-payment")]);
    });
});

describe("p5-live-payment-keys-only-at-phase-5", () => {
    const live = (phase: string) => context(withConfig({ "vauntico:phase": phase, "vauntico:payments": JSON.stringify({ mode: "live" }) }));
    it("allows test keys at any phase and live keys at phase 5", async () => {
        expect(await runStackGate(livePaymentKeysOnlyAtPhase5, completeStack())).toEqual([]);
        const liveStack = [...without((n) => n === "stripe-endpoint" || n === "paystack"), stripeEndpoint({ mode: "live" }), paystackWebhook({ mode: "live" })];
        expect(await runStackGate(livePaymentKeysOnlyAtPhase5, liveStack, live("5"))).toEqual([]);
    });
    it("forbids live mode before phase 5: config and each live endpoint", async () => {
        const liveStack = [...without((n) => n === "stripe-endpoint"), stripeEndpoint({ mode: "live" })];
        const found = await runStackGate(livePaymentKeysOnlyAtPhase5, liveStack, live("3"));
        expect(messages(found)).toEqual([
            expect.stringContaining('vauntico:payments.mode is "live" at phase 3'),
            expect.stringContaining("Stripe webhook endpoint stripe-endpoint uses a live key at phase 3"),
        ]);
        expect(found[1]?.urn).toContain("stripe-endpoint");
    });
    it("draws the line at phase 5: live at 4 fails, at 5 passes; each live thing alone is reported", async () => {
        expect(messages(await runStackGate(livePaymentKeysOnlyAtPhase5, completeStack(), live("4")))).toEqual([
            expect.stringContaining('vauntico:payments.mode is "live" at phase 4'),
        ]);
        expect(await runStackGate(livePaymentKeysOnlyAtPhase5, completeStack(), live("5"))).toEqual([]);
        const test = (phase: string) => context(withConfig({ "vauntico:phase": phase, "vauntico:payments": JSON.stringify({ mode: "test" }) }));
        const livePaystack = [...without((n) => n === "paystack"), paystackWebhook({ mode: "live" })];
        expect(messages(await runStackGate(livePaymentKeysOnlyAtPhase5, livePaystack, test("4")))).toEqual([
            expect.stringContaining("Paystack webhook paystack uses a live key at phase 4"),
        ]);
        expect(await runStackGate(livePaymentKeysOnlyAtPhase5, livePaystack, test("5"))).toEqual([]);
        const liveStripe = [...without((n) => n === "stripe-endpoint"), stripeEndpoint({ mode: "live" })];
        expect(messages(await runStackGate(livePaymentKeysOnlyAtPhase5, liveStripe, test("1")))).toEqual([
            expect.stringContaining("Stripe webhook endpoint stripe-endpoint uses a live key at phase 1"),
        ]);
    });
    it("words the violation in full: phase, criterion, owner, artifact and how to get back to test keys", async () => {
        expect(messages(await runStackGate(livePaymentKeysOnlyAtPhase5, completeStack(), live("2")))).toEqual([
            '[p5-live-payment-keys-only-at-phase-5] phase 5 (Revenue Activation), criterion "Revenue metrics active", owner Kilo: ' +
                'vauntico:payments.mode is "live" at phase 2. Blocks artifact "Revenue activation summary". ' +
                'To fix: use test-mode keys (sk_test_…) and vauntico:payments.mode "test" until the stack is at phase 5 with phases 1–4 green.',
        ]);
    });
    it("forbids live mode when no phase is declared", async () => {
        const ctx = context(withConfig({ "vauntico:phase": undefined, "vauntico:payments": JSON.stringify({ mode: "live" }) }));
        expect(messages(await runStackGate(livePaymentKeysOnlyAtPhase5, completeStack(), ctx))).toEqual([
            expect.stringContaining('vauntico:payments.mode is "live" at no declared phase'),
        ]);
    });
});
