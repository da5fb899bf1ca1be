import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pinnedClientApiVersion } from "../../components/stripe/endpointProvider.js";
import { startStripeDouble, type StripeDouble } from "./stripe.js";
import { StripeSpecValidator } from "./stripeSpec.js";

const testKey = "sk_test_doubleAccount1";
let double: StripeDouble;

function client(maxNetworkRetries = 2, key = testKey): Stripe {
    return new Stripe(key, { apiVersion: pinnedClientApiVersion, maxNetworkRetries, telemetry: false, ...double.apiBase });
}

const params: Stripe.WebhookEndpointCreateParams = {
    url: "https://hooks.example.com/stripe",
    enabled_events: ["payment_intent.succeeded", "invoice_payment.paid"],
    api_version: pinnedClientApiVersion,
    metadata: { team: "ops" },
};

beforeEach(async () => {
    double = await startStripeDouble();
});

afterEach(async () => {
    await double.stop();
});

describe("webhook endpoint operations", () => {
    it("creates, retrieves, lists, updates and deletes, every request and response within the spec", async () => {
        const stripe = client();
        const created = await stripe.webhookEndpoints.create(params);
        expect(created.secret).toMatch(/^whsec_/);
        expect(created.livemode).toBe(false);
        expect(created.api_version).toBe(pinnedClientApiVersion);

        const retrieved = await stripe.webhookEndpoints.retrieve(created.id);
        expect(retrieved.secret).toBeUndefined();
        expect(retrieved.enabled_events).toEqual(params.enabled_events);

        const updated = await stripe.webhookEndpoints.update(created.id, { disabled: true, metadata: { team: "", owner: "cline" }, description: "Payments" });
        expect(updated.status).toBe("disabled");
        expect(updated.metadata).toEqual({ owner: "cline" });
        expect(updated.description).toBe("Payments");

        const listed = await stripe.webhookEndpoints.list({ limit: 5 });
        expect(listed.data.map((e) => e.id)).toEqual([created.id]);
        expect(listed.has_more).toBe(false);

        const deleted = await stripe.webhookEndpoints.del(created.id);
        expect(deleted.deleted).toBe(true);
        await expect(stripe.webhookEndpoints.retrieve(created.id)).rejects.toMatchObject({ statusCode: 404, code: "resource_missing" });

        expect(double.specErrors).toEqual([]);
        expect(double.requestCount({ route: "webhook_endpoints.create" })).toBe(1);
        expect(double.writeCalls).toBe(3);
    });

    it("keeps each account's endpoints apart and answers 401 without a key", async () => {
        const created = await client().webhookEndpoints.create(params);
        await expect(client(0, "sk_test_otherAccount").webhookEndpoints.retrieve(created.id)).rejects.toMatchObject({ statusCode: 404 });
        const response = await fetch(`${double.url}/v1/webhook_endpoints`);
        expect(response.status).toBe(401);
        expect(await response.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    });

    it("pages the list newest first", async () => {
        const stripe = client();
        const ids: string[] = [];
        for (let index = 0; index < 3; index++) ids.push((await stripe.webhookEndpoints.create({ ...params, url: `https://hooks.example.com/${index}` })).id);
        const first = await stripe.webhookEndpoints.list({ limit: 2 });
        expect(first.data.map((e) => e.id)).toEqual([ids[2], ids[1]]);
        expect(first.has_more).toBe(true);
        const second = await stripe.webhookEndpoints.list({ limit: 2, starting_after: ids[1] });
        expect(second.data.map((e) => e.id)).toEqual([ids[0]]);
        expect(double.specErrors).toEqual([]);
    });
});

describe("requests checked against the spec", () => {
    it("rejects unknown parameters and event names in neither the spec nor the SDK, like Stripe (400)", async () => {
        const raw = await fetch(`${double.url}/v1/webhook_endpoints`, {
            method: "POST",
            headers: { authorization: `Bearer ${testKey}`, "content-type": "application/x-www-form-urlencoded" },
            body: "url=https%3A%2F%2Fa.example&enabled_events[0]=charge.refunded&colour=blue",
        });
        expect(raw.status).toBe(400);
        expect(await raw.json()).toMatchObject({ error: { type: "invalid_request_error", code: "parameter_unknown", param: "colour" } });

        const bogus = await fetch(`${double.url}/v1/webhook_endpoints`, {
            method: "POST",
            headers: { authorization: `Bearer ${testKey}`, "content-type": "application/x-www-form-urlencoded" },
            body: "url=https%3A%2F%2Fa.example&enabled_events[0]=payment_intent.teleported",
        });
        expect(bogus.status).toBe(400);
        expect(double.webhookEndpoints()).toHaveLength(0);
    });

    it("accepts events and API versions newer than the 2023 spec when the pinned SDK lists them", async () => {
        const created = await client().webhookEndpoints.create({ ...params, enabled_events: ["billing.meter.created", "invoice_payment.paid"] });
        expect(created.enabled_events).toEqual(["billing.meter.created", "invoice_payment.paid"]);
        expect(double.specErrors).toEqual([]);
    });

    it("rejects a missing required parameter and a JSON body", async () => {
        const missing = await fetch(`${double.url}/v1/webhook_endpoints`, {
            method: "POST",
            headers: { authorization: `Bearer ${testKey}`, "content-type": "application/x-www-form-urlencoded" },
            body: "url=https%3A%2F%2Fa.example",
        });
        expect(await missing.json()).toMatchObject({ error: { code: "parameter_missing", param: "enabled_events" } });
        const json = await fetch(`${double.url}/v1/webhook_endpoints`, {
            method: "POST",
            headers: { authorization: `Bearer ${testKey}`, "content-type": "application/json" },
            body: JSON.stringify(params),
        });
        expect(json.status).toBe(400);
    });

    it("finds a response that breaks the spec", () => {
        const validator = new StripeSpecValidator();
        const ref = { path: "/v1/webhook_endpoints/{webhook_endpoint}", method: "get" } as const;
        expect(validator.response(ref, 200, { id: "we_1", object: "webhook_endpoint" }).valid).toBe(false);
        expect(validator.response(ref, 404, { error: { type: "invalid_request_error", message: "No such" } }).valid).toBe(true);
    });
});

describe("Idempotency-Key as Stripe documents it", () => {
    it("replays the saved response for the same key and parameters", async () => {
        const stripe = client();
        const first = await stripe.webhookEndpoints.create(params, { idempotencyKey: "key-1" });
        const again = await stripe.webhookEndpoints.create(params, { idempotencyKey: "key-1" });
        expect(again.id).toBe(first.id);
        expect(again.secret).toBe(first.secret);
        expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
        expect(double.webhookEndpoints()).toHaveLength(1);
    });

    it("answers 400 idempotency_error for the same key with other parameters", async () => {
        const stripe = client();
        await stripe.webhookEndpoints.create(params, { idempotencyKey: "key-2" });
        await expect(stripe.webhookEndpoints.create({ ...params, url: "https://other.example.com" }, { idempotencyKey: "key-2" })).rejects.toMatchObject({
            statusCode: 400,
            type: "StripeIdempotencyError",
        });
        expect(double.webhookEndpoints()).toHaveLength(1);
    });

    it("forgets a key after 24 hours", async () => {
        await double.stop();
        let now = Date.parse("2026-11-26T08:00:00Z");
        double = await startStripeDouble({ now: () => now });
        const stripe = client();
        const first = await stripe.webhookEndpoints.create(params, { idempotencyKey: "key-5" });
        now += 24 * 60 * 60 * 1000 + 1;
        const later = await stripe.webhookEndpoints.create(params, { idempotencyKey: "key-5" });
        expect(later.id).not.toBe(first.id);
        expect(double.webhookEndpoints()).toHaveLength(2);
    });

    it("saves no result for a request rejected by validation", async () => {
        const stripe = client(0);
        await expect(stripe.webhookEndpoints.create({ ...params, url: "not a url" }, { idempotencyKey: "key-3" })).rejects.toMatchObject({ statusCode: 400 });
        const created = await stripe.webhookEndpoints.create(params, { idempotencyKey: "key-4" });
        expect(created.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    });
});

describe("fault injection", () => {
    it.each(["server-error-500", "unavailable-503", "connection-reset", "response-lost"] as const)(
        "%s on create: the SDK retries with its key and one endpoint exists",
        async (kind) => {
            double.injectFault({ kind, route: "webhook_endpoints.create" });
            const created = await client(2).webhookEndpoints.create(params);
            expect(double.webhookEndpoints().map((e) => e.id)).toEqual([created.id]);
            expect(double.signingSecretOf(created.id)).toBe(created.secret);
            expect(double.requestCount({ route: "webhook_endpoints.create" })).toBe(2);
        },
    );

    it("429 carries Retry-After; the SDK surfaces it unless Stripe-Should-Retry says retry", async () => {
        double.injectFault({ kind: "rate-limited-429", route: "webhook_endpoints.list", retryAfterSeconds: 7 });
        await expect(client(2).webhookEndpoints.list()).rejects.toMatchObject({ statusCode: 429, headers: { "retry-after": "7" } });
        double.injectFault({ kind: "rate-limited-429", route: "webhook_endpoints.list", shouldRetry: true });
        await expect(client(2).webhookEndpoints.list()).resolves.toMatchObject({ object: "list" });
        expect(double.requestCount({ route: "webhook_endpoints.list" })).toBe(3);
    });
});
