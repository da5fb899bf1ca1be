import { describe, expect, it } from "vitest";
import { paymentKeysDelivered, stripeApiVersionPinned, stripeRequiredEvents, stripeRequiredEventsPresent } from "../../../policy/gates/index.js";
import { requiredStripeEvents } from "../../../policy/protocol/index.js";
import { completeStack, environmentSecret, stripeEndpoint, withConfig } from "../../support/fixtures.js";
import { messageParts } from "../../../policy/gates/gate.js";
import { context, messages, runResourceGate, runStackGate } from "../../support/gateHarness.js";

const withoutNamed = (...names: string[]) => completeStack().filter((r) => !names.includes(r.name));
const paymentsConfig = withConfig({
    "vauntico:payments": JSON.stringify({ mode: "test", stripe: { webhookUrl: "https://x.test/s" }, paystack: { webhookUrl: "https://x.test/p" } }),
});

describe("p3-stripe-required-events", () => {
    it("passes the required events and the wildcard", async () => {
        expect(await runResourceGate(stripeRequiredEvents, [stripeEndpoint(), stripeEndpoint({ enabledEvents: ["*"] })])).toEqual([]);
    });
    it("names the missing events", async () => {
        const found = messages(await runResourceGate(stripeRequiredEvents, [stripeEndpoint({ enabledEvents: ["payment_intent.succeeded"] })]));
        expect(found).toHaveLength(1);
        expect(found[0]).toContain("does not enable payment_intent.payment_failed, charge.refunded");
        expect(found[0]).toContain('phase 3 (Payments), criterion "Webhooks configured and tested", owner Kilo');
        expect(found[0]).toContain('Blocks artifact "Webhook configuration files"');
    });
    it("names the endpoint's URL and the fix", async () => {
        const found = messages(
            await runResourceGate(stripeRequiredEvents, [stripeEndpoint({ enabledEvents: requiredStripeEvents.filter((e) => e !== "charge.refunded") })]),
        );
        expect(found.map(messageParts)).toEqual([
            {
                problem: "Stripe webhook endpoint https://api.vauntico.com/webhooks/stripe does not enable charge.refunded",
                fix: "leave vauntico:payments.stripe.events unset (the required set) or include these events",
            },
        ]);
    });
    it("ignores other dynamic resources, even ones that would fail it", async () => {
        const other = { ...stripeEndpoint({ vaunticoKind: "other", enabledEvents: [], apiVersion: "latest" }), name: "other" };
        expect(await runResourceGate(stripeRequiredEvents, [other])).toEqual([]);
        expect(await runResourceGate(stripeApiVersionPinned, [other])).toEqual([]);
    });
    it("tags its validation with the dynamic resource type, so the pack skips other types unexamined", () => {
        for (const gate of [stripeRequiredEvents, stripeApiVersionPinned]) {
            expect(gate.validateResource(context()), gate.id).toHaveProperty("__pulumiType", "pulumi-nodejs:dynamic:Resource");
        }
    });
    it("is present-checked", async () => {
        expect(await runStackGate(stripeRequiredEventsPresent, completeStack())).toEqual([]);
        const found = messages(await runStackGate(stripeRequiredEventsPresent, withoutNamed("stripe-endpoint")));
        expect(found).toEqual([expect.stringContaining("no Stripe webhook endpoint in the stack")]);
        expect(found.map((m) => messageParts(m).fix)).toEqual(["configure vauntico:payments.stripe so the Stripe WebhookEndpoint component is created"]);
    });
});

describe("p3-stripe-api-version-pinned", () => {
    it("passes a dated version", async () => {
        expect(await runResourceGate(stripeApiVersionPinned, [stripeEndpoint(), stripeEndpoint({ apiVersion: "2025-01-27" })])).toEqual([]);
    });
    it("anchors the version: text before or after a dated version is not a pin", async () => {
        const versions = [
            "latest-2025-01-27",
            "2025-01-27-latest",
            "2025-01-27.endive ",
            " 2025-01-27",
            "2025-01-27.Endive",
            "2025-1-27",
            "2025-01-27.",
            "25-01-27",
        ];
        const found = messages(
            await runResourceGate(
                stripeApiVersionPinned,
                versions.map((apiVersion) => stripeEndpoint({ apiVersion })),
            ),
        );
        expect(found).toEqual(versions.map((version) => expect.stringContaining(`has API version ${JSON.stringify(version)}, not a pinned version`)));
    });
    it("rejects a version that is not a string", async () => {
        expect(messages(await runResourceGate(stripeApiVersionPinned, [stripeEndpoint({ apiVersion: 20250127 })]))).toEqual([
            expect.stringContaining("has API version null, not a pinned version"),
        ]);
    });
    it("names the endpoint's URL and the fix", async () => {
        const found = messages(await runResourceGate(stripeApiVersionPinned, [stripeEndpoint({ apiVersion: "latest" })]));
        expect(found.map(messageParts)).toEqual([
            {
                problem: 'Stripe webhook endpoint https://api.vauntico.com/webhooks/stripe has API version "latest", not a pinned version',
                fix: "set the endpoint's apiVersion to a dated Stripe API version such as 2026-10-28.endive",
            },
        ]);
    });
    it("rejects a missing or floating version", async () => {
        expect(
            messages(await runResourceGate(stripeApiVersionPinned, [stripeEndpoint({ apiVersion: undefined }), stripeEndpoint({ apiVersion: "latest" })])),
        ).toEqual([
            expect.stringContaining("has API version null, not a pinned version"),
            expect.stringContaining('has API version "latest", not a pinned version'),
        ]);
    });
});

describe("p3-payment-keys-delivered", () => {
    it("passes when both API keys are delivered", async () => {
        expect(await runStackGate(paymentKeysDelivered, completeStack(), context(paymentsConfig))).toEqual([]);
    });
    it("names each undelivered key with why the application needs it", async () => {
        const noKeys = withoutNamed(environmentSecret("STRIPE_SECRET_KEY").name, environmentSecret("PAYSTACK_SECRET_KEY").name);
        expect(messages(await runStackGate(paymentKeysDelivered, noKeys)).map((m) => messageParts(m).problem)).toEqual([
            'STRIPE_SECRET_KEY is not delivered to the "production" environment (the application calls Stripe with it)',
            'PAYSTACK_SECRET_KEY is not delivered to the "production" environment (the application calls Paystack with it)',
        ]);
    });
    it("needs a processor's key when it is configured or in the stack, each alone", async () => {
        const noKeys = withoutNamed(environmentSecret("STRIPE_SECRET_KEY").name, environmentSecret("PAYSTACK_SECRET_KEY").name);
        const configured = (payments: object) => context(withConfig({ "vauntico:payments": JSON.stringify({ mode: "test", ...payments }) }));
        // Configured, no resource: the key is still needed.
        expect(
            messages(
                await runStackGate(
                    paymentKeysDelivered,
                    noKeys.filter((r) => r.name !== "paystack"),
                    configured({ paystack: { webhookUrl: "https://x.test/p" } }),
                ),
            ),
        ).toContainEqual(expect.stringContaining("PAYSTACK_SECRET_KEY is not delivered"));
        // In the stack, not configured: the key is needed too.
        expect(messages(await runStackGate(paymentKeysDelivered, noKeys, configured({})))).toEqual([
            expect.stringContaining("STRIPE_SECRET_KEY is not delivered"),
            expect.stringContaining("PAYSTACK_SECRET_KEY is not delivered"),
        ]);
        // Neither: not needed.
        expect(
            messages(
                await runStackGate(
                    paymentKeysDelivered,
                    noKeys.filter((r) => r.name !== "paystack"),
                    configured({}),
                ),
            ),
        ).toEqual([expect.stringContaining("STRIPE_SECRET_KEY is not delivered")]);
    });
    it("treats no processor as a violation", async () => {
        expect(messages(await runStackGate(paymentKeysDelivered, withoutNamed("stripe-endpoint", "paystack")))).toEqual([
            expect.stringContaining("no payment processor in the stack"),
        ]);
    });
});
