import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEndpointProgram } from "../support/serializedEndpoint.js";
import { DynamicProviderHost, type Properties } from "../doubles/dynamicProviderHost.js";

// Stripe's official mock server (stripe-mock) checks every request against Stripe's current OpenAPI
// description and answers with fixtures; it keeps no state. test/stripe-mock/run.sh starts it and sets
// STRIPE_MOCK_URL. Without it this file is skipped (reported as skipped, never as passed).
const mockUrl = process.env["STRIPE_MOCK_URL"];
if (!mockUrl) console.log("stripe-mock test skipped: STRIPE_MOCK_URL is not set (run test/stripe-mock/run.sh, which needs Go)");

const apiKey = "sk_test_stripeMockKey123";
const urn = "urn:pulumi:test::vauntico-deploy::vauntico:stripe:WebhookEndpoint$pulumi-nodejs:dynamic:Resource::payments-endpoint";

describe.skipIf(!mockUrl)("the Stripe endpoint provider against stripe-mock", () => {
    let host: DynamicProviderHost;
    let inputs: Properties;

    beforeAll(async () => {
        const base = new URL(mockUrl ?? "http://127.0.0.1:12111");
        const { endpoint } = await runEndpointProgram("payments", {
            url: "https://api.vauntico.example/webhooks/stripe",
            apiKey,
            mode: "test",
            metadata: { owner: "kilo" },
            // stripe-mock@latest bundles a spec whose api_version enum ends at 2026-08-26.dahlia (older than the
            // SDK's pinned 2026-10-28.endive, which it rejects); this version is in both lists.
            apiVersion: "2026-08-26.dahlia",
            apiBase: { host: base.hostname, port: Number(base.port), protocol: "http" },
        });
        inputs = { ...endpoint.inputs, apiKey };
        host = await DynamicProviderHost.start(process.cwd());
    });

    afterAll(async () => {
        await host?.stop();
    });

    it("checks, creates, reads, updates and deletes with requests stripe-mock accepts", async () => {
        const checked = await host.check(urn, {}, inputs);
        expect(checked.failures).toEqual([]);
        // stripe-mock validates the request, then answers with a fixture that has no signing secret: the
        // provider refuses an endpoint without one (it never stores an empty secret), so create fails after a
        // request stripe-mock accepted (a rejected request fails with "Request validation error").
        const failure = await host.create(urn, checked.inputs).then(() => "created", (error: unknown) => String(error));
        expect(failure).toMatch(/Stripe created webhook endpoint (we_\w+) but returned no whsec_ signing secret/);
        const id = /(we_\w+)/.exec(failure)?.[1] ?? "we_missing";

        const held = { ...checked.inputs, signingSecret: "whsec_heldFromAnEarlierCreate", status: "enabled", livemode: false };
        const read = await host.read(id, urn, held, checked.inputs);
        expect(read.id).toBe(id);

        const moved = { ...checked.inputs, url: "https://api.vauntico.example/webhooks/stripe-v2", disabled: true, metadata: {} };
        const updated = await host.update(id, urn, read.properties, moved);
        expect(updated.signingSecret).toBe(held.signingSecret);

        await host.delete(id, urn, updated);
        expect(host.stderr).not.toContain(apiKey);
    });
});
