import { beforeAll, describe, expect, it } from "vitest";
import { runPlan, type Plan, type PlannedResource } from "../../cli/plan/index.js";
import { gateContextFromConfig, phase2Gates, phase3Gates, type ResourceGate, type StackGate } from "../../policy/gates/index.js";
import { deliveredSecretNames, requiredStripeEvents } from "../../policy/protocol/contract.js";
import type { FixtureResource } from "../support/fixtures.js";
import { messages, runResourceGate, runStackGate } from "../support/gateHarness.js";
import { parseStackConfig, StackConfigError } from "../../stacks/config.js";
import { prodValue, prodWith, projectDir } from "../support/stackFiles.js";

const paymentGateIds = [
    "p2-webhook-endpoints",
    "p2-webhook-signing-secrets-delivered",
    "p3-stripe-required-events",
    "p3-stripe-required-events-present",
    "p3-stripe-api-version-pinned",
    "p3-payment-keys-delivered",
];

/** What a stack policy sees: custom resources' inputs, components' registered outputs. */
function fixtures(resources: readonly PlannedResource[]): FixtureResource[] {
    return resources.map((r) => ({ type: r.type, name: r.name, props: r.custom ? r.inputs : r.outputs }));
}

let plan: Plan;

beforeAll(async () => {
    plan = await runPlan({ stack: "prod", projectDir, serializeDynamicProviders: false });
});

describe("the prod stack's payments, composed from vauntico:payments", () => {
    it("registers the Stripe endpoint as the contract says, inside its component", () => {
        const endpoint = plan.resources.find((r) => r.type === "pulumi-nodejs:dynamic:Resource" && r.inputs.vaunticoKind === "stripe:WebhookEndpoint");
        const component = plan.resources.find((r) => r.type === "vauntico:stripe:WebhookEndpoint");
        expect(endpoint?.parent).toBe(component?.urn);
        expect(endpoint?.inputs).toMatchObject({
            url: "https://api.vauntico.com/webhooks/stripe",
            enabledEvents: [...requiredStripeEvents],
            apiVersion: "2026-10-28.endive",
            mode: "test",
            description: "Vauntico production webhooks",
            apiKey: "[secret]",
        });
        expect(plan.resources.find((r) => r.type === "vauntico:paystack:Webhook")?.outputs).toEqual({
            webhookUrl: "https://api.vauntico.com/webhooks/paystack",
            mode: "test",
        });
    });

    it("delivers each payment credential exactly once", () => {
        const delivered = plan.resources.filter((r) => r.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
        for (const name of Object.values(deliveredSecretNames)) {
            const matching = delivered.filter((r) => r.inputs.secretName === name);
            expect(matching, name).toHaveLength(1);
        }
    });

    it("exports the webhook endpoints for `validate webhooks`, the signing secret only as a secret", () => {
        const output = (name: string) => plan.outputs.find((o) => o.name === name);
        expect(output("webhookEndpoints")?.value).toEqual([
            { provider: "stripe", url: "https://api.vauntico.com/webhooks/stripe" },
            { provider: "paystack", url: "https://api.vauntico.com/webhooks/paystack" },
        ]);
        expect(output("stripeWebhookSigningSecret")).toMatchObject({ secret: true, value: "[secret]" });
        expect(JSON.stringify(plan.resources)).not.toMatch(/whsec_[0-9a-f]{8,}|sk_test_preflightplaceholder/);
    });

    it.each(paymentGateIds)("%s passes", async (id) => {
        const gate = [...phase2Gates, ...phase3Gates].find((g) => g.id === id);
        if (!gate) throw new Error(`no gate ${id}`);
        const ctx = gateContextFromConfig(plan.config);
        const found =
            gate.kind === "stack"
                ? await runStackGate(gate satisfies StackGate, fixtures(plan.resources), ctx)
                : await runResourceGate(gate satisfies ResourceGate, fixtures(plan.resources), ctx);
        expect(messages(found)).toEqual([]);
    });
});

describe("vauntico:payments.stripe checked against the stripe SDK's lists", () => {
    function problemKeys(changes: Record<string, unknown>): string[] {
        const file = prodWith(changes);
        try {
            parseStackConfig(file.config, new Set(file.secretKeys));
        } catch (error) {
            if (error instanceof StackConfigError) return error.problems.map((p) => p.key);
            throw error;
        }
        return [];
    }
    const payments = prodValue("vauntico:payments");
    const stripe = { webhookUrl: "https://api.vauntico.com/webhooks/stripe" };

    it("names the key of an event type the SDK does not list", () => {
        const changed =
            typeof payments === "object" && payments !== null
                ? { ...payments, stripe: { ...stripe, events: ["payment_intent.succeeded", "payment_intent.teleported"] } }
                : {};
        expect(problemKeys({ "vauntico:payments": changed })).toEqual(["vauntico:payments.stripe.events[1]"]);
    });

    it("names the key of an API version the SDK does not list", () => {
        const changed = typeof payments === "object" && payments !== null ? { ...payments, stripe: { ...stripe, apiVersion: "2099-01-01" } } : {};
        expect(problemKeys({ "vauntico:payments": changed })).toEqual(["vauntico:payments.stripe.apiVersion"]);
    });
});
