import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pinnedClientApiVersion } from "../../components/stripe/endpointProvider.js";
import { startStripeDouble, type StripeDouble } from "./stripe.js";
import { addPaymentRoutes, type StripePayments } from "./stripePayments.js";
import { nullableAsJsonSchema, StripeSpec3Validator } from "./stripeSpec3.js";

const liveKey = "sk_live_doublePayments1";
const testKey = "sk_test_doublePayments1";
let double: StripeDouble;
let payments: StripePayments;

function client(key = liveKey): Stripe {
    return new Stripe(key, { apiVersion: pinnedClientApiVersion, telemetry: false, maxNetworkRetries: 0, ...double.apiBase });
}

async function rawGet(path: string, key = liveKey): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${double.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: response.status, body: await response.json() };
}

beforeEach(async () => {
    double = await startStripeDouble();
    payments = addPaymentRoutes(double);
});

afterEach(async () => {
    await double.stop();
});

describe("payment intents and events through the official SDK", () => {
    it("lists newest first, filters by created, retrieves, every request and response within spec3", async () => {
        const old = payments.addPaymentIntent(liveKey, { created: 1_000 });
        const middle = payments.addPaymentIntent(liveKey, { created: 2_000, status: "processing" });
        const recent = payments.addPaymentIntent(liveKey, { created: 3_000, amount: 999, currency: "eur" });
        const stripe = client();

        const all = await stripe.paymentIntents.list({ limit: 10 });
        expect(all.data.map((pi) => pi.id)).toEqual([recent.id, middle.id, old.id]);
        const since = await stripe.paymentIntents.list({ created: { gte: 2_000 } });
        expect(since.data.map((pi) => pi.id)).toEqual([recent.id, middle.id]);
        const exact = await stripe.paymentIntents.list({ created: 1_000 });
        expect(exact.data.map((pi) => pi.id)).toEqual([old.id]);
        const retrieved = await stripe.paymentIntents.retrieve(recent.id);
        expect(retrieved).toMatchObject({ id: recent.id, amount: 999, currency: "eur", status: "succeeded", livemode: true });

        expect(double.specErrors).toEqual([]);
        expect(payments.specErrors).toEqual([]);
    });

    it("events: type with a wildcard, types, delivery_success, created, and auto-pagination", async () => {
        const pi = payments.addPaymentIntent(liveKey, { created: 5_000 });
        const delivered = payments.addEvent(liveKey, { type: "payment_intent.succeeded", object: pi, created: 5_001, pendingWebhooks: 0 });
        const pending = payments.addEvent(liveKey, { type: "payment_intent.created", object: pi, created: 5_000, pendingWebhooks: 2 });
        const other = payments.addEvent(liveKey, { type: "charge.refunded", object: pi, created: 5_002 });
        const stripe = client();

        expect((await stripe.events.list({ type: "payment_intent.*" })).data.map((e) => e.id)).toEqual([delivered.id, pending.id]);
        expect((await stripe.events.list({ types: ["charge.refunded", "payment_intent.created"] })).data.map((e) => e.id)).toEqual([other.id, pending.id]);
        expect((await stripe.events.list({ delivery_success: false })).data.map((e) => e.id)).toEqual([pending.id]);
        expect((await stripe.events.list({ created: { gt: 5_001 } })).data.map((e) => e.id)).toEqual([other.id]);
        const event = await stripe.events.retrieve(delivered.id);
        expect(event.pending_webhooks).toBe(0);
        expect(event.data.object).toMatchObject({ id: pi.id, object: "payment_intent" });

        for (let i = 0; i < 25; i++) payments.addEvent(liveKey, { type: "payment_intent.succeeded", object: pi, created: 6_000 + i });
        const ids: string[] = [];
        for await (const e of stripe.events.list({ limit: 10 })) ids.push(e.id);
        expect(ids).toHaveLength(28);
        expect(new Set(ids).size).toBe(28);
        expect(double.requestCount({ route: "events.list" })).toBeGreaterThanOrEqual(7);

        expect(double.specErrors).toEqual([]);
        expect(payments.specErrors).toEqual([]);
    });

    it("objects belong to the key's account and mode", async () => {
        const live = payments.addPaymentIntent(liveKey, { created: 1 });
        await expect(client(testKey).paymentIntents.retrieve(live.id)).rejects.toMatchObject({ statusCode: 404, code: "resource_missing" });
        expect((await client(testKey).paymentIntents.list()).data).toEqual([]);
        expect(payments.addPaymentIntent(testKey, { created: 1 }).livemode).toBe(false);
        expect(payments.specErrors).toEqual([]);
    });
});

describe("checked against spec3", () => {
    it("answers a request outside the spec with Stripe's 400 and records it", async () => {
        const badLimit = await rawGet("/v1/events?limit=lots");
        expect(badLimit.status).toBe(400);
        expect(badLimit.body).toMatchObject({ error: { type: "invalid_request_error" } });
        const unknown = await rawGet("/v1/payment_intents?colour=red");
        expect(unknown.status).toBe(400);
        expect(payments.specErrors).toEqual([
            expect.stringContaining("GET /v1/events: request query /limit must be integer"),
            expect.stringContaining("GET /v1/payment_intents: request query (root) must NOT have additional properties"),
        ]);
    });

    it("records a response the spec does not allow (a bug in the double shows up)", async () => {
        const pi = payments.addPaymentIntent(liveKey, { created: 1 });
        pi.amount = 12.5;
        await client().paymentIntents.retrieve(pi.id);
        expect(payments.specErrors).toEqual([expect.stringContaining(`GET /v1/payment_intents/${pi.id}: response /amount must be integer`)]);
    });

    it("reads OpenAPI's nullable as JSON Schema, beside a type or an anyOf", () => {
        expect(nullableAsJsonSchema({ type: "string", nullable: true, enum: ["a"] })).toEqual({ type: ["string", "null"], enum: ["a", null] });
        expect(nullableAsJsonSchema({ anyOf: [{ $ref: "#/x" }], nullable: true })).toEqual({ anyOf: [{ $ref: "#/x" }, { type: "null" }] });
        expect(nullableAsJsonSchema({ properties: { a: { type: "integer" } } })).toEqual({ properties: { a: { type: "integer" } } });
    });

    it("compiles only what the operations reach, and rejects a payment intent without its required fields", () => {
        const validator = new StripeSpec3Validator([{ path: "/v1/payment_intents/{intent}", method: "get" }]);
        expect(validator.schemaCount).toBeGreaterThan(100);
        const check = validator.response({ path: "/v1/payment_intents/{intent}", method: "get" }, 200, { id: "pi_1", object: "payment_intent" });
        expect(check.valid).toBe(false);
        expect(check.errors.map((e) => e.params)).toEqual(expect.arrayContaining([{ missingProperty: "status" }, { missingProperty: "amount" }]));
    });
});
