import { randomBytes } from "node:crypto";
import { pinnedClientApiVersion } from "../../components/stripe/index.js";
import { forgedSecretLike, paystackSignature, stripeSignatureHeader, stripeToleranceSeconds } from "./webhookSigning.js";

export type WebhookProvider = "stripe" | "paystack";

/** One request `validate webhooks` sends, and what a correct receiver answers. */
export interface WebhookCase {
    name: string;
    expected: "2xx" | "4xx";
    body: string;
    headers: Record<string, string>;
}

function id(prefix: string): string {
    return `${prefix}${randomBytes(12).toString("hex")}`;
}

/** A `payment_intent.succeeded` event as Stripe sends it (test mode). */
export function stripeTestEvent(nowSeconds: number): string {
    const paymentIntent = id("pi_");
    return JSON.stringify({
        id: id("evt_"),
        object: "event",
        api_version: pinnedClientApiVersion,
        created: nowSeconds,
        data: {
            object: {
                id: paymentIntent,
                object: "payment_intent",
                amount: 2000,
                amount_received: 2000,
                currency: "usd",
                status: "succeeded",
                livemode: false,
                created: nowSeconds - 5,
                latest_charge: id("ch_"),
                payment_method_types: ["card"],
                metadata: { source: "vauntico-validate-webhooks" },
            },
        },
        livemode: false,
        pending_webhooks: 1,
        request: { id: id("req_"), idempotency_key: null },
        type: "payment_intent.succeeded",
    });
}

/** A `charge.success` event as Paystack sends it (test mode). */
export function paystackTestEvent(now: Date): string {
    return JSON.stringify({
        event: "charge.success",
        data: {
            id: Number.parseInt(randomBytes(4).toString("hex"), 16),
            domain: "test",
            status: "success",
            reference: id("vauntico_validate_"),
            amount: 500000,
            message: null,
            gateway_response: "Successful",
            paid_at: now.toISOString(),
            created_at: now.toISOString(),
            channel: "card",
            currency: "NGN",
            metadata: { source: "vauntico-validate-webhooks" },
            fees: 7500,
            customer: { id: 1, first_name: null, last_name: null, email: "validate@vauntico.example", customer_code: "CUS_validate" },
            authorization: {
                authorization_code: "AUTH_validate",
                bin: "408408",
                last4: "4081",
                channel: "card",
                card_type: "visa",
                bank: "TEST BANK",
                country_code: "NG",
                brand: "visa",
                reusable: true,
            },
        },
    });
}

const json = { "content-type": "application/json", "user-agent": "vauntico-validate-webhooks" };

/** The Stripe cases: signed (2xx); forged, stale beyond Stripe's tolerance, unsigned (4xx). */
export function stripeCases(signingSecret: string, now: Date): WebhookCase[] {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const signed = stripeTestEvent(nowSeconds);
    const forged = stripeTestEvent(nowSeconds);
    const stale = stripeTestEvent(nowSeconds);
    const staleAt = nowSeconds - 2 * stripeToleranceSeconds;
    const unsigned = stripeTestEvent(nowSeconds);
    return [
        {
            name: "signed event",
            expected: "2xx",
            body: signed,
            headers: { ...json, "stripe-signature": stripeSignatureHeader(signingSecret, signed, nowSeconds) },
        },
        {
            name: "forged signature",
            expected: "4xx",
            body: forged,
            headers: { ...json, "stripe-signature": stripeSignatureHeader(forgedSecretLike(signingSecret), forged, nowSeconds) },
        },
        {
            name: `stale timestamp (${2 * stripeToleranceSeconds} s old)`,
            expected: "4xx",
            body: stale,
            headers: { ...json, "stripe-signature": stripeSignatureHeader(signingSecret, stale, staleAt) },
        },
        { name: "missing signature header", expected: "4xx", body: unsigned, headers: { ...json } },
    ];
}

/** The Paystack cases: signed (2xx); forged, unsigned (4xx). Paystack signs no timestamp. */
export function paystackCases(secretKey: string, now: Date): WebhookCase[] {
    const signed = paystackTestEvent(now);
    const forged = paystackTestEvent(now);
    const unsigned = paystackTestEvent(now);
    return [
        { name: "signed event", expected: "2xx", body: signed, headers: { ...json, "x-paystack-signature": paystackSignature(secretKey, signed) } },
        {
            name: "forged signature",
            expected: "4xx",
            body: forged,
            headers: { ...json, "x-paystack-signature": paystackSignature(forgedSecretLike(secretKey), forged) },
        },
        { name: "missing signature header", expected: "4xx", body: unsigned, headers: { ...json } },
    ];
}

export function casesFor(provider: WebhookProvider, secret: string, now: Date): WebhookCase[] {
    return provider === "stripe" ? stripeCases(secret, now) : paystackCases(secret, now);
}
