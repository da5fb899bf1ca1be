
import { describe, expect, it } from "vitest";
import {
    createIdempotencyKey,
    createParams,
    modeOfApiKey,
    nextIdempotencyKey,
    rateLimitWaitMs,
    updateParams,
    type WebhookEndpointInputs,
    type WebhookEndpointOutputs,
} from "../../../components/stripe/endpointProvider.js";
import { apiKeyModeProblem, plainArgsProblems, requireSigningSecret, unknownEventTypes, webhookUrlProblem } from "../../../components/stripe/index.js";
import { sdkApiVersions } from "../../../components/stripe/sdkApiVersions.js";
import { sdkEnabledEvents } from "../../../components/stripe/sdkEventTypes.js";
import { deliveredSecretNames, requiredStripeEvents } from "../../../policy/protocol/contract.js";
import { dynamicResourceType, fakeSigningSecret, runEndpointProgram } from "../../support/serializedEndpoint.js";

const apiKey = "sk_test_componentTestKey77";
const baseArgs = { url: "https://api.vauntico.example/webhooks/stripe", apiKey, mode: "test" as const };

describe("what the component registers", () => {
    it("a dynamic resource with the contract's inputs, child of vauntico:stripe:WebhookEndpoint, the key secret", async () => {
        const { resources, endpoint } = await runEndpointProgram("payments", {
            ...baseArgs,
            delivery: { repository: "vauntico-app", environment: "production" },
        });
        const component = resources.find((r) => r.type === "vauntico:stripe:WebhookEndpoint");
        expect(endpoint.type).toBe(dynamicResourceType);
        expect(endpoint.parent).toBe(component?.urn);
        expect(endpoint.name).toBe("payments-endpoint");
        expect(endpoint.inputs).toMatchObject({
            vaunticoKind: "stripe:WebhookEndpoint",
            url: baseArgs.url,
            enabledEvents: [...requiredStripeEvents],
            apiVersion: "2026-10-28.endive",
            mode: "test",
            connect: false,
            disabled: false,
            idempotencyScope: "vauntico-deploy/test/payments",
        });
        expect(endpoint.secretPaths).toEqual(expect.arrayContaining(["inputs.apiKey", "outputs.apiKey", "outputs.signingSecret"]));
        expect(JSON.stringify(resources)).not.toContain(apiKey);
        expect(JSON.stringify(resources)).not.toContain(fakeSigningSecret);
    });

    it("delivers STRIPE_WEBHOOK_SECRET and STRIPE_SECRET_KEY as secret environment secrets, and outputs the secret as a secret", async () => {
        const { resources } = await runEndpointProgram("payments", {
            ...baseArgs,
            delivery: { repository: "vauntico-app", environment: "production" },
        });
        const delivered = resources.filter((r) => r.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
        expect(delivered.map((r) => r.inputs.secretName).sort()).toEqual([deliveredSecretNames.stripeSecretKey, deliveredSecretNames.stripeWebhookSecret]);
        for (const secret of delivered) {
            // plaintextValue's secret-ness is @pulumi/github's (test/components/github/productionEnvironment.test.ts).
            expect(secret.inputs).toMatchObject({ repository: "vauntico-app", environment: "production" });
        }
        const component = resources.find((r) => r.type === "vauntico:stripe:WebhookEndpoint");
        expect(component?.secretPaths).toContain("outputs.signingSecret");
        expect(component?.outputs.deliveredSecretNames).toEqual(["STRIPE_WEBHOOK_SECRET", "STRIPE_SECRET_KEY"]);
    });

    it("delivers nothing without a delivery target", async () => {
        const { resources } = await runEndpointProgram("payments", baseArgs);
        expect(resources.filter((r) => r.type.startsWith("github:"))).toEqual([]);
    });

    it("accepts a restricted key of the stack's mode", async () => {
        const { endpoint } = await runEndpointProgram("payments", { ...baseArgs, apiKey: "rk_test_restricted1" });
        expect(endpoint.inputs.mode).toBe("test");
    });
});

describe("bad args fail naming the field, never echoing the key", () => {
    it.each([
        [{ url: "http://api.vauntico.example/hook" }, /url: .* uses http:/],
        [{ url: "https://127.0.0.1/hook" }, /url: "https:\/\/127\.0\.0\.1\/hook" has host 127\.0\.0\.1, a loopback address/],
        [{ url: "https://hook:componentTestKey77@api.vauntico.example/hook" }, /url: "https:\/\/api\.vauntico\.example\/hook" carries a user name or password/],
        [{ url: "https://api.vauntico.example/hook#x" }, /url: .* has a #fragment/],
        [{ enabledEvents: ["payment_intent.succeeded", "payment_intent.teleported"] }, /enabledEvents: "payment_intent.teleported" not known to the stripe SDK/],
        [{ apiVersion: "2099-01-01" }, /apiVersion: "2099-01-01" is not an API version the stripe SDK lists/],
        [{ apiKey: "sk_live_componentTestKey77" }, /apiKey: a live-mode key was given but the payment mode is "test"/],
        [{ apiKey: "pk_test_publishable" }, /apiKey: not a Stripe secret or restricted key/],
    ])("%o", async (override, message) => {
        const run = runEndpointProgram("payments", { ...baseArgs, ...override });
        await expect(run).rejects.toThrow(message);
        await run.catch((error: unknown) => {
            expect(String(error)).not.toContain("componentTestKey77");
        });
    });

    it("an unknown signing secret (adopted endpoint) is an error, never an empty secret", () => {
        expect(() => requireSigningSecret(undefined)).toThrow(/signingSecret: Stripe's signing secret for this endpoint is unknown/);
        expect(() => requireSigningSecret("")).toThrow(/unknown/);
        expect(requireSigningSecret("whsec_abc")).toBe("whsec_abc");
    });
});

describe("pure helpers", () => {
    it("reads the mode from the key prefix", () => {
        expect(["sk_test_a1", "sk_live_a1", "rk_test_a1", "rk_live_a1", "pk_live_a1", "sk_test_"].map(modeOfApiKey))
            .toEqual(["test", "live", "test", "live", undefined, undefined]);
        expect(apiKeyModeProblem("rk_live_x1", "live")).toBeUndefined();
    });

    it("checks URLs and event types against the SDK's own lists", () => {
        expect(webhookUrlProblem("https://a.example/x")).toBeUndefined();
        expect(webhookUrlProblem("not a url")).toMatch(/^url: /);
        expect(unknownEventTypes([...requiredStripeEvents, "*", "billing.meter.created"])).toEqual([]);
        expect(sdkEnabledEvents).toHaveLength(276);
        expect(sdkApiVersions.at(-1)).toBe("2026-10-28.endive");
    });

    const inputs: WebhookEndpointInputs = {
        vaunticoKind: "stripe:WebhookEndpoint", url: "https://a.example/x", enabledEvents: ["charge.refunded"],
        apiVersion: "2026-10-28.endive", connect: false, description: "", metadata: { team: "ops" }, disabled: false,
        mode: "test", apiKey, idempotencyScope: "p/s/n", maxNetworkRetries: 3,
    };

    it("derives the create key from the resource and its parameters, never from the API key", () => {
        const key = createIdempotencyKey("p/s/n", createParams(inputs));
        expect(createIdempotencyKey("p/s/n", createParams({ ...inputs, apiKey: "sk_test_other1" }))).toBe(key);
        expect(createIdempotencyKey("p/s/other", createParams(inputs))).not.toBe(key);
        expect(createIdempotencyKey("p/s/n", createParams({ ...inputs, url: "https://b.example" }))).not.toBe(key);
        expect(nextIdempotencyKey(key, "we_1")).not.toBe(key);
        expect(nextIdempotencyKey(key, "we_1")).toBe(nextIdempotencyKey(key, "we_1"));
        expect(key.length).toBeLessThanOrEqual(255);
    });

    it("updates only what differs, removing dropped metadata keys", () => {
        const held: WebhookEndpointOutputs = { ...inputs, status: "enabled", livemode: false, signingSecret: "whsec_x" };
        expect(updateParams(held, inputs)).toEqual({});
        expect(updateParams(held, { ...inputs, enabledEvents: ["charge.refunded"], metadata: { team: "ops" } })).toEqual({});
        expect(updateParams(held, { ...inputs, metadata: { owner: "kilo" }, disabled: true })).toEqual({ metadata: { team: "", owner: "kilo" }, disabled: true });
    });

    it("honours Retry-After on 429 only, bounded", () => {
        expect(rateLimitWaitMs({ statusCode: 429, headers: { "retry-after": "2" } })).toBe(2000);
        expect(rateLimitWaitMs({ statusCode: 429, headers: { "retry-after": "3600" } })).toBe(10_000);
        expect(rateLimitWaitMs({ statusCode: 429, headers: {} })).toBe(1000);
        expect(rateLimitWaitMs({ statusCode: 500 })).toBeUndefined();
    });
});

describe("Stripe enabled events", () => {
    it("refuses an event listed twice, and accepts each once", () => {
        const base = { url: "https://api.vauntico.example/hook", apiKey: "sk_test_x1", mode: "test" as const };
        expect(plainArgsProblems({ ...base, enabledEvents: ["charge.refunded", "invoice.paid"] })).toEqual([]);
        expect(plainArgsProblems({ ...base, enabledEvents: ["charge.refunded", "invoice.paid", "charge.refunded"] }))
            .toEqual(['enabledEvents: "charge.refunded" listed twice; list each event type once']);
    });
});
