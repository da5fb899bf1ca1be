import { describe, expect, it } from "vitest";
import { gateReportInput } from "../../../cli/analyzer/index.js";
import { runPlan } from "../../../cli/plan/index.js";
import { revenueFacts, revenueReport } from "../../../cli/reports/revenue.js";
import { evaluateInProcess } from "../../support/inProcessPack.js";
import { prodValue, prodWith } from "../../support/stackFiles.js";

function payments(mode: "test" | "live") {
    const value = prodValue("vauntico:payments");
    return { ...(typeof value === "object" ? value : {}), mode };
}

/**
 * The report on the prod plan with `changes`. The gates judge it in this process (the pack's Analyzer served
 * by the policy SDK's own handlers; test/stacks/payments.modeMatrix.test.ts witnesses that the pack started as
 * the CLI starts it gives the same verdicts on such plans), and the plan skips serializing providers' code as
 * the commands do: the report reads neither.
 */
async function reportFor(changes: Record<string, unknown>): Promise<{ text: string; again: string }> {
    const plan = await runPlan({ stack: "prod", stackFile: prodWith(changes), serializeDynamicProviders: false });
    const input = await gateReportInput(plan, evaluateInProcess);
    return { text: revenueReport(input, revenueFacts(plan)), again: revenueReport(input, revenueFacts(plan)) };
}

describe("report revenue (the revenue activation summary)", () => {
    it("prod at phase 1 in test mode: not activated, what exists, phase 5 gates advisory, manual items open with their owner", async () => {
        const { text, again } = await reportFor({});
        expect(text).toBe(again);
        expect(text).toContain("**Revenue**: not activated: payments are in test mode.");
        expect(text).toContain("| Stripe webhook endpoint | https://api.vauntico.com/webhooks/stripe (test mode); receives payment_intent.succeeded: yes |");
        expect(text).toContain("| Paystack webhook | https://api.vauntico.com/webhooks/paystack (test mode);");
        expect(text).toContain("| Revenue & conversion dashboard | present (uid `vauntico-revenue`) |");
        expect(text).toMatch(/\| No-successful-payment alert \| "No successful live payment", pending \w+, paused until payments are live \|/);
        expect(text).toContain("| Activation time | not recorded (revenue is not activated) |");
        expect(text).toContain("| p5-live-payment-keys-only-at-phase-5 | mandatory | passes |");
        expect(text).toContain("| p5-revenue-dashboard | advisory | passes |");
        expect(text).toContain("open — manual, to be confirmed by");
    }, 120_000);

    it("live at phase 5: activated, the activation time recorded by up, first-payment validation next", async () => {
        const { text } = await reportFor({
            "vauntico:phase": 5,
            "vauntico:payments": payments("live"),
            "vauntico:stripeSecretKey": "sk_live_reportKey1",
            "vauntico:paystackSecretKey": "sk_live_reportKey2",
        });
        expect(text).toContain("**Revenue**: activated: payments are live at phase 5.");
        expect(text).toContain("`pulumi stack output revenueActivatedAt`");
        expect(text).toContain("`npm run validate -- first-payment`");
        expect(text).toContain("| p5-revenue-dashboard | mandatory | passes |");
        expect(text).not.toContain("sk_live_reportKey");
    }, 120_000);

    it("live at phase 3: blocked, the live-key gate's finding names the phase", async () => {
        const { text } = await reportFor({
            "vauntico:phase": 3,
            "vauntico:payments": payments("live"),
            "vauntico:stripeSecretKey": "sk_live_reportKey1",
            "vauntico:paystackSecretKey": "sk_live_reportKey2",
        });
        expect(text).toContain("**Revenue**: blocked: payments are live at phase 3, before phase 5.");
        expect(text).toMatch(/\| p5-live-payment-keys-only-at-phase-5 \| mandatory \| vauntico:payments.mode is "live" at phase 3 \|/);
    }, 120_000);

    it("without monitoring: the dashboard and the alert are missing", async () => {
        const { text } = await reportFor({ "vauntico:monitoring": undefined, "grafana:url": undefined, "vauntico:slackWebhookUrl": undefined });
        expect(text).toContain("| Revenue & conversion dashboard | **missing** |");
        expect(text).toContain("| No-successful-payment alert | **missing** |");
    }, 120_000);
});
