import type * as pulumi from "@pulumi/pulumi";
import { PaystackWebhook } from "../components/paystack/index.js";
import { StripeWebhookEndpoint, type SecretDeliveryTarget } from "../components/stripe/index.js";
import type { PaymentsConfig, StackConfig } from "./config.js";

/** A webhook receiver the stack configures, as `validate webhooks` reads it from the stack outputs. */
export interface WebhookEndpointOutput {
    provider: "stripe" | "paystack";
    url: string;
}

/** Stack output names of the payments section (read by `validate webhooks`). */
export const paymentsOutputNames = {
    webhookEndpoints: "webhookEndpoints",
    stripeWebhookEndpointId: "stripeWebhookEndpointId",
    stripeWebhookSigningSecret: "stripeWebhookSigningSecret",
    paystackWebhookUrl: "paystackWebhookUrl",
} as const;

function credential(config: StackConfig, key: "vauntico:stripeSecretKey" | "vauntico:paystackSecretKey"): pulumi.Output<string> {
    const value = config.credentials[key];
    if (value === undefined) throw new Error(`${key}: missing; set it with \`pulumi config set --secret ${key} sk_test_…\``);
    return value;
}

/**
 * The payment integrations of `vauntico:payments`: the Stripe webhook endpoint (its signing secret and the API
 * key delivered as STRIPE_WEBHOOK_SECRET / STRIPE_SECRET_KEY) and the Paystack webhook (PAYSTACK_SECRET_KEY).
 * Returns the stack outputs they add; the signing secret output is a Pulumi secret.
 */
export function createPayments(config: StackConfig, payments: PaymentsConfig, deliveryTarget: SecretDeliveryTarget): Record<string, unknown> {
    const outputs: Record<string, unknown> = {};
    const endpoints: WebhookEndpointOutput[] = [];
    if (payments.stripe) {
        const stripe = new StripeWebhookEndpoint("stripe-webhook", {
            url: payments.stripe.webhookUrl,
            apiKey: credential(config, "vauntico:stripeSecretKey"),
            mode: payments.mode,
            delivery: deliveryTarget,
            ...(payments.stripe.events ? { enabledEvents: payments.stripe.events } : {}),
            ...(payments.stripe.apiVersion ? { apiVersion: payments.stripe.apiVersion } : {}),
            ...(payments.stripe.description ? { description: payments.stripe.description } : {}),
        });
        endpoints.push({ provider: "stripe", url: payments.stripe.webhookUrl });
        outputs[paymentsOutputNames.stripeWebhookEndpointId] = stripe.endpointId;
        outputs[paymentsOutputNames.stripeWebhookSigningSecret] = stripe.signingSecret;
    }
    if (payments.paystack) {
        const paystack = new PaystackWebhook("paystack-webhook", {
            webhookUrl: payments.paystack.webhookUrl,
            secretKey: credential(config, "vauntico:paystackSecretKey"),
            mode: payments.mode,
            delivery: deliveryTarget,
        });
        endpoints.push({ provider: "paystack", url: payments.paystack.webhookUrl });
        outputs[paymentsOutputNames.paystackWebhookUrl] = paystack.webhookUrl;
    }
    outputs[paymentsOutputNames.webhookEndpoints] = endpoints;
    return outputs;
}
