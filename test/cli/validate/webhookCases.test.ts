import { createHmac } from "node:crypto";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { pinnedClientApiVersion } from "../../../components/stripe/index.js";
import { casesFor, paystackCases, stripeCases, type WebhookCase } from "../../../cli/validate/webhookCases.js";

const signingSecret = "whsec_casesTestSecret0123456789";
const paystackKey = "sk_test_casesTestKey0123456789";
// Milliseconds past the second: the Stripe timestamps are whole seconds, rounded down.
const now = new Date("2026-12-02T07:30:00.999Z");
const nowSeconds = 1_796_196_600;
const json = { "content-type": "application/json", "user-agent": "vauntico-validate-webhooks" };

/** What a receiver built on the Stripe SDK does with a case, at `receivedAt` (seconds). */
function stripeVerifies(webhookCase: WebhookCase, receivedAt: number, secret = signingSecret): boolean {
    try {
        Stripe.webhooks.constructEvent(webhookCase.body, webhookCase.headers["stripe-signature"] ?? "", secret, undefined, undefined, receivedAt * 1000);
        return true;
    } catch {
        return false;
    }
}

function byName(cases: WebhookCase[], name: string): WebhookCase {
    const found = cases.find((c) => c.name === name);
    if (!found) throw new Error(`no case ${name}: ${cases.map((c) => c.name).join(", ")}`);
    return found;
}

function objectAt(value: unknown, key: string): Record<string, unknown> {
    const inner = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof inner !== "object" || inner === null) throw new Error(`no object at ${key}`);
    return inner as Record<string, unknown>;
}

// Each test makes its own cases: cases made while the file is collected count for no test in a mutation run.
describe("stripeCases", () => {
    it("are a signed event (2xx) and three requests a receiver must reject (4xx), each with its own event", () => {
        const cases = stripeCases(signingSecret, now);
        expect(nowSeconds * 1000).toBe(now.getTime() - 999);
        expect(cases.map((c) => [c.name, c.expected])).toEqual([
            ["signed event", "2xx"],
            ["forged signature", "4xx"],
            ["stale timestamp (600 s old)", "4xx"],
            ["missing signature header", "4xx"],
        ]);
        expect(new Set(cases.map((c) => c.body)).size).toBe(4);
    });

    it("send JSON as a named client; only the missing-header case lacks the signature", () => {
        const cases = stripeCases(signingSecret, now);
        for (const c of cases) expect(c.headers).toMatchObject(json);
        expect(byName(cases, "missing signature header").headers).toEqual(json);
        for (const name of ["signed event", "forged signature", "stale timestamp (600 s old)"]) {
            expect(Object.keys(byName(cases, name).headers).sort()).toEqual(["content-type", "stripe-signature", "user-agent"]);
        }
    });

    it("the signed event verifies with the secret now; the forged one does not", () => {
        const cases = stripeCases(signingSecret, now);
        expect(stripeVerifies(byName(cases, "signed event"), nowSeconds)).toBe(true);
        const forged = byName(cases, "forged signature");
        expect(forged.headers["stripe-signature"]).toMatch(new RegExp(`^t=${nowSeconds},v1=[0-9a-f]{64}$`));
        expect(stripeVerifies(forged, nowSeconds)).toBe(false);
    });

    it("the stale one is correctly signed 600 s ago (twice the tolerance): only its age makes it fail", () => {
        const cases = stripeCases(signingSecret, now);
        const stale = byName(cases, "stale timestamp (600 s old)");
        expect(stale.headers["stripe-signature"]).toMatch(new RegExp(`^t=${nowSeconds - 600},v1=[0-9a-f]{64}$`));
        expect(stripeVerifies(stale, nowSeconds - 600)).toBe(true);
        expect(stripeVerifies(stale, nowSeconds)).toBe(false);
    });

    it("carry a test-mode payment_intent.succeeded event as Stripe sends it", () => {
        const cases = stripeCases(signingSecret, now);
        const event: unknown = JSON.parse(byName(cases, "signed event").body);
        const hex24 = (prefix: string) => expect.stringMatching(new RegExp(`^${prefix}[0-9a-f]{24}$`));
        // Every field: a receiver may read any of them, and a test-mode event must say so (livemode false).
        expect(event).toEqual({
            id: hex24("evt_"),
            object: "event",
            api_version: pinnedClientApiVersion,
            created: nowSeconds,
            data: {
                object: {
                    id: hex24("pi_"),
                    object: "payment_intent",
                    amount: 2000,
                    amount_received: 2000,
                    currency: "usd",
                    status: "succeeded",
                    livemode: false,
                    created: nowSeconds - 5,
                    latest_charge: hex24("ch_"),
                    payment_method_types: ["card"],
                    metadata: { source: "vauntico-validate-webhooks" },
                },
            },
            livemode: false,
            pending_webhooks: 1,
            request: { id: hex24("req_"), idempotency_key: null },
            type: "payment_intent.succeeded",
        });
        // The SDK reads it back as the event it is.
        const header = byName(cases, "signed event").headers["stripe-signature"] ?? "";
        const parsed = Stripe.webhooks.constructEvent(byName(cases, "signed event").body, header, signingSecret, undefined, undefined, nowSeconds * 1000);
        expect(parsed.type).toBe("payment_intent.succeeded");
    });
});

describe("paystackCases", () => {
    const hmac = (key: string, body: string) => createHmac("sha512", key).update(body, "utf8").digest("hex");

    it("are a signed event (2xx), a forged signature and a missing header (4xx), each with its own event", () => {
        const cases = paystackCases(paystackKey, now);
        expect(cases.map((c) => [c.name, c.expected])).toEqual([
            ["signed event", "2xx"],
            ["forged signature", "4xx"],
            ["missing signature header", "4xx"],
        ]);
        expect(new Set(cases.map((c) => c.body)).size).toBe(3);
    });

    it("sign with the secret key, forge with another, or leave the header out", () => {
        const cases = paystackCases(paystackKey, now);
        const signed = byName(cases, "signed event");
        expect(signed.headers).toEqual({ ...json, "x-paystack-signature": hmac(paystackKey, signed.body) });
        const forged = byName(cases, "forged signature");
        expect(Object.keys(forged.headers).sort()).toEqual(["content-type", "user-agent", "x-paystack-signature"]);
        expect(forged.headers["x-paystack-signature"]).toMatch(/^[0-9a-f]{128}$/);
        expect(forged.headers["x-paystack-signature"]).not.toBe(hmac(paystackKey, forged.body));
        expect(byName(cases, "missing signature header").headers).toEqual(json);
    });

    it("carry a charge.success event as Paystack sends it, stamped with the time", () => {
        const cases = paystackCases(paystackKey, now);
        const event: unknown = JSON.parse(byName(cases, "signed event").body);
        expect(event).toEqual({
            event: "charge.success",
            data: {
                id: expect.any(Number),
                domain: "test",
                status: "success",
                reference: expect.stringMatching(/^vauntico_validate_[0-9a-f]{24}$/),
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
        const id = objectAt(event, "data")["id"];
        // Four random bytes read as hex: a non-negative integer below 2^32.
        expect(Number.isInteger(id) && (id as number) >= 0 && (id as number) < 2 ** 32).toBe(true);
    });
});

describe("casesFor", () => {
    it("picks the provider's cases and signer", () => {
        const stripe = casesFor("stripe", signingSecret, now);
        expect(stripe).toHaveLength(4);
        expect(stripeVerifies(byName(stripe, "signed event"), nowSeconds)).toBe(true);
        const paystack = casesFor("paystack", paystackKey, now);
        expect(paystack).toHaveLength(3);
        expect(byName(paystack, "signed event").headers["x-paystack-signature"]).toBeDefined();
    });
});
