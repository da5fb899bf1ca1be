import { describe, expect, it } from "vitest";
import {
    messageParts,
    paymentFailureAlert,
    paymentsDashboard,
    webhookAlerts,
    webhookEndpoints,
    webhookSigningSecretsDelivered,
    webhooksDashboard,
} from "../../../policy/gates/index.js";
import { alertSignals, deliveredSecretNames, requiredDashboards } from "../../../policy/protocol/index.js";
import { completeStack, dashboard, environmentSecret, paystackWebhook, rule, ruleGroup, stripeEndpoint, withConfig } from "../../support/fixtures.js";
import { context, messages, runStackGate } from "../../support/gateHarness.js";

const withoutNamed = (...names: string[]) => completeStack().filter((r) => !names.includes(r.name));
const paymentsConfig = withConfig({
    "vauntico:payments": JSON.stringify({ mode: "test", stripe: { webhookUrl: "https://x.test/s" }, paystack: { webhookUrl: "https://x.test/p" } }),
});

describe("p2-webhook-endpoints", () => {
    it("passes HTTPS endpoints for every configured processor", async () => {
        expect(await runStackGate(webhookEndpoints, completeStack(), context(paymentsConfig))).toEqual([]);
    });
    it("rejects an http:// Stripe endpoint on its resource", async () => {
        const stack = [...withoutNamed("stripe-endpoint"), stripeEndpoint({ url: "http://api.vauntico.com/webhooks/stripe" })];
        const found = await runStackGate(webhookEndpoints, stack);
        expect(messages(found)).toEqual([expect.stringContaining("Stripe webhook endpoint URL http://api.vauntico.com/webhooks/stripe is not HTTPS")]);
        expect(found[0]?.urn).toContain("stripe-endpoint");
    });
    it("rejects a URL with credentials, showing it without them", async () => {
        const stack = [
            ...withoutNamed("stripe-endpoint", "paystack"),
            stripeEndpoint({ url: "https://hook:Canary-P4ss@api.vauntico.com/s" }),
            paystackWebhook({ webhookUrl: "https://:Canary-P4ss@api.vauntico.com/p" }),
        ];
        const found = messages(await runStackGate(webhookEndpoints, stack));
        expect(found).toEqual([
            expect.stringContaining("Stripe webhook endpoint URL https://api.vauntico.com/s carries a user name or password"),
            expect.stringContaining("Paystack webhook URL https://api.vauntico.com/p carries a user name or password"),
        ]);
        expect(found.join("\n")).not.toContain("Canary-P4ss");
    });

    it("never shows text that is not an http(s) URL", async () => {
        for (const webhookUrl of ["user:Canary-P4ss@ not a url", "no url Canary-P4ss"]) {
            const stack = [...withoutNamed("paystack"), paystackWebhook({ webhookUrl })];
            expect(messages(await runStackGate(webhookEndpoints, stack))).toEqual([
                expect.stringContaining("Paystack webhook URL (not an http(s) URL) is not HTTPS"),
            ]);
        }
    });

    it("rejects an http:// Paystack webhook URL", async () => {
        const stack = [...withoutNamed("paystack"), paystackWebhook({ webhookUrl: "http://x.test/p" })];
        expect(messages(await runStackGate(webhookEndpoints, stack))).toEqual([expect.stringContaining("Paystack webhook URL http://x.test/p is not HTTPS")]);
    });
    it("names a configured processor without its endpoint", async () => {
        expect(messages(await runStackGate(webhookEndpoints, withoutNamed("paystack"), context(paymentsConfig)))).toEqual([
            expect.stringContaining("vauntico:payments.paystack is configured but the stack has no Paystack webhook"),
        ]);
    });
    it("treats no endpoint at all as a violation", async () => {
        expect(messages(await runStackGate(webhookEndpoints, withoutNamed("paystack", "stripe-endpoint")))).toEqual([
            expect.stringContaining("no webhook endpoint (Stripe or Paystack) in the stack"),
        ]);
    });
});

describe("p2-webhook-signing-secrets-delivered", () => {
    it("passes when both signing secrets are delivered", async () => {
        expect(await runStackGate(webhookSigningSecretsDelivered, completeStack())).toEqual([]);
    });
    it("names STRIPE_WEBHOOK_SECRET when it is not delivered", async () => {
        const stack = withoutNamed(environmentSecret(deliveredSecretNames.stripeWebhookSecret).name);
        expect(messages(await runStackGate(webhookSigningSecretsDelivered, stack))).toEqual([
            expect.stringContaining('STRIPE_WEBHOOK_SECRET is not delivered to the "production" environment (it verifies Stripe webhook signatures)'),
        ]);
    });
    it("names PAYSTACK_SECRET_KEY, which signs Paystack webhooks", async () => {
        const stack = withoutNamed(environmentSecret(deliveredSecretNames.paystackSecretKey).name);
        expect(messages(await runStackGate(webhookSigningSecretsDelivered, stack))).toEqual([expect.stringContaining("PAYSTACK_SECRET_KEY is not delivered")]);
    });
    it("treats no endpoint as a violation", async () => {
        expect(messages(await runStackGate(webhookSigningSecretsDelivered, withoutNamed("paystack", "stripe-endpoint")))).toEqual([
            expect.stringContaining("no webhook endpoint whose signing secret could be delivered"),
        ]);
    });
});

describe("dashboards by uid (p2 webhooks, p3 payments)", () => {
    it("pass when present in a folder", async () => {
        expect(await runStackGate(webhooksDashboard, completeStack())).toEqual([]);
        expect(await runStackGate(paymentsDashboard, completeStack())).toEqual([]);
    });
    it("report a missing dashboard by title and uid", async () => {
        expect(messages(await runStackGate(paymentsDashboard, withoutNamed(`dashboard-${requiredDashboards.payments.uid}`)))).toEqual([
            expect.stringContaining("no Payments dashboard (Grafana uid vauntico-payments) in the stack"),
        ]);
    });
    it("report a dashboard outside a folder", async () => {
        const stack = [...withoutNamed(`dashboard-${requiredDashboards.webhooks.uid}`), dashboard(requiredDashboards.webhooks.uid, "Webhooks", null)];
        expect(messages(await runStackGate(webhooksDashboard, stack))).toEqual([expect.stringContaining("the Webhooks dashboard is not in a folder")]);
    });
});

describe("alert signals (p2 webhook alerts, p3 payment failure alert)", () => {
    it("pass when each signal has a rule with a pending period and a threshold", async () => {
        expect(await runStackGate(webhookAlerts, completeStack())).toEqual([]);
        expect(await runStackGate(paymentFailureAlert, completeStack())).toEqual([]);
    });
    it("report a missing signal", async () => {
        const stack = [...withoutNamed("vauntico-alerts"), ruleGroup([rule(alertSignals.webhookDeliveryFailures)])];
        expect(messages(await runStackGate(webhookAlerts, stack))).toEqual([
            expect.stringContaining("no alert rule for signal signature-verification-failure"),
        ]);
        expect(messages(await runStackGate(paymentFailureAlert, stack))).toEqual([expect.stringContaining("no alert rule for signal payment-failure-ratio")]);
    });
    it("report a rule without threshold or pending period", async () => {
        const weak = rule(alertSignals.paymentFailureRatio, { for: "0s", datas: [] });
        const stack = [...withoutNamed("vauntico-alerts"), ruleGroup([weak])];
        expect(messages(await runStackGate(paymentFailureAlert, stack))).toEqual([
            expect.stringContaining('alert rule "payment-failure-ratio alert" (payment-failure-ratio) has no pending period'),
            expect.stringContaining('alert rule "payment-failure-ratio alert" (payment-failure-ratio) has no threshold'),
        ]);
    });
});

const parts = (found: readonly { message: string }[]) => found.map((f) => messageParts(f.message));

describe("p2-webhook-endpoints: URLs, each processor alone, the fixes", () => {
    const withStripeUrl = (url: string | undefined) => [...withoutNamed("stripe-endpoint"), stripeEndpoint({ url })];
    it("refuses a URL with a user name, or a password, each alone, and shows it without them", async () => {
        for (const url of ["https://user@hooks.vauntico.com/s", "https://:pw@hooks.vauntico.com/s"]) {
            expect(parts(await runStackGate(webhookEndpoints, withStripeUrl(url)))).toEqual([
                {
                    problem: "Stripe webhook endpoint URL https://hooks.vauntico.com/s carries a user name or password",
                    fix: "set vauntico:payments.stripe.webhookUrl to an https:// URL without credentials",
                },
            ]);
        }
    });
    it("refuses a missing URL and text that is no URL, showing neither", async () => {
        expect(parts(await runStackGate(webhookEndpoints, withStripeUrl(undefined))).map((p) => p.problem)).toEqual([
            "Stripe webhook endpoint URL (none) is not HTTPS",
        ]);
        expect(parts(await runStackGate(webhookEndpoints, withStripeUrl("hooks.vauntico.com/s"))).map((p) => p.problem)).toEqual([
            "Stripe webhook endpoint URL (not an http(s) URL) is not HTTPS",
        ]);
    });
    it("names the Paystack fix", async () => {
        const stack = [...withoutNamed("paystack"), paystackWebhook({ webhookUrl: "http://api.vauntico.com/webhooks/paystack" })];
        expect(parts(await runStackGate(webhookEndpoints, stack))).toEqual([
            {
                problem: "Paystack webhook URL http://api.vauntico.com/webhooks/paystack is not HTTPS",
                fix: "set vauntico:payments.paystack.webhookUrl to an https:// URL without credentials",
            },
        ]);
    });
    it("reports a configured processor without its endpoint: Stripe alone, Paystack alone", async () => {
        const ctx = context(paymentsConfig);
        expect(parts(await runStackGate(webhookEndpoints, withoutNamed("stripe-endpoint"), ctx))).toEqual([
            {
                problem: "vauntico:payments.stripe is configured but the stack has no Stripe webhook endpoint",
                fix: "create the Stripe WebhookEndpoint component",
            },
        ]);
        expect(parts(await runStackGate(webhookEndpoints, withoutNamed("paystack"), ctx))).toEqual([
            { problem: "vauntico:payments.paystack is configured but the stack has no Paystack webhook", fix: "create the Paystack Webhook component" },
        ]);
    });
    it("names the fix for no endpoint at all", async () => {
        expect(parts(await runStackGate(webhookEndpoints, withoutNamed("stripe-endpoint", "paystack"))).map((p) => p.fix)).toEqual([
            "configure vauntico:payments.stripe and/or vauntico:payments.paystack so their webhook components are created",
        ]);
    });
});

describe("p2-webhook-signing-secrets-delivered: reasons and fixes", () => {
    it("names each undelivered signing secret with why it is needed and how to deliver it", async () => {
        const stack = withoutNamed(
            environmentSecret(deliveredSecretNames.stripeWebhookSecret).name,
            environmentSecret(deliveredSecretNames.paystackSecretKey).name,
        );
        expect(parts(await runStackGate(webhookSigningSecretsDelivered, stack))).toEqual([
            {
                problem: `${deliveredSecretNames.stripeWebhookSecret} is not delivered to the "production" environment (it verifies Stripe webhook signatures)`,
                fix: `deliver ${deliveredSecretNames.stripeWebhookSecret} as an environment secret of "production"`,
            },
            {
                problem: `${deliveredSecretNames.paystackSecretKey} is not delivered to the "production" environment (Paystack signs webhooks with the secret key)`,
                fix: `deliver ${deliveredSecretNames.paystackSecretKey} as an environment secret of "production"`,
            },
        ]);
    });
    it("names the fix when there is no webhook at all", async () => {
        expect(parts(await runStackGate(webhookSigningSecretsDelivered, withoutNamed("stripe-endpoint", "paystack")))).toEqual([
            {
                problem: "no webhook endpoint whose signing secret could be delivered",
                fix: "configure vauntico:payments so the webhook components are created",
            },
        ]);
    });
});
