import Stripe from "stripe";
import { pinnedClientApiVersion } from "../components/stripe/index.js";
import { runEndpointProgram } from "../test/support/serializedEndpoint.js";
import { DynamicProviderHost } from "../test/doubles/dynamicProviderHost.js";
import { startStripeDouble } from "../test/doubles/stripe.js";
import { formatSample, timeAsync } from "./measure.js";

const apiKey = "sk_test_benchKey0000000000";
const urn = "urn:pulumi:bench::vauntico-deploy::vauntico:stripe:WebhookEndpoint$pulumi-nodejs:dynamic:Resource::bench-endpoint";

/**
 * Create + read + delete of a Stripe webhook endpoint through Pulumi's dynamic-provider host (the serialized
 * provider over gRPC, as the engine drives it) against the same operations made directly with the SDK, both
 * against the local Stripe double. Same HTTP requests either way (one POST, one GET, one DELETE).
 */
export async function benchStripeProvider(runs: number): Promise<string[]> {
    const iterations = Math.max(runs, 20);
    const double = await startStripeDouble();
    const hostStart = process.hrtime.bigint();
    const host = await DynamicProviderHost.start(process.cwd());
    const hostStartMs = Number(process.hrtime.bigint() - hostStart) / 1e6;
    try {
        const { endpoint } = await runEndpointProgram("bench", {
            url: "https://api.vauntico.example/webhooks/stripe",
            apiKey,
            mode: "test",
            apiBase: double.apiBase,
        });
        const inputs = { ...endpoint.inputs, apiKey };
        const checked = (await host.check(urn, {}, inputs)).inputs;

        const throughHost = await timeAsync("stripe endpoint create+read+delete via dynamic-provider host", iterations, async () => {
            double.reset();
            const created = await host.create(urn, checked);
            const read = await host.read(created.id, urn, created.properties, checked);
            await host.delete(created.id, urn, read.properties);
        });

        const sdk = new Stripe(apiKey, { apiVersion: pinnedClientApiVersion, maxNetworkRetries: 3, telemetry: false, ...double.apiBase });
        const params: Stripe.WebhookEndpointCreateParams = {
            url: "https://api.vauntico.example/webhooks/stripe",
            enabled_events: ["payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded"],
            api_version: pinnedClientApiVersion,
            connect: false,
        };
        const direct = await timeAsync("stripe endpoint create+retrieve+del via the SDK directly", iterations, async () => {
            double.reset();
            const created = await sdk.webhookEndpoints.create(params);
            await sdk.webhookEndpoints.retrieve(created.id);
            await sdk.webhookEndpoints.del(created.id);
        });

        // The provider builds a client per call (it cannot keep one across serialized calls): this isolates that cost.
        const clientPerCall = await timeAsync("stripe endpoint create+retrieve+del, SDK client per call", iterations, async () => {
            double.reset();
            const client = () => new Stripe(apiKey, { apiVersion: pinnedClientApiVersion, maxNetworkRetries: 3, telemetry: false, ...double.apiBase });
            const created = await client().webhookEndpoints.create(params);
            await client().webhookEndpoints.retrieve(created.id);
            await client().webhookEndpoints.del(created.id);
        });

        const ratio = throughHost.medianMs / direct.medianMs;
        if (double.specErrors.length > 0) throw new Error(`Stripe double spec errors: ${double.specErrors.join("; ")}`);
        return [
            "## Stripe webhook endpoint provider",
            `dynamic-provider host start (once): ${hostStartMs.toFixed(0)} ms`,
            formatSample(throughHost),
            formatSample(direct),
            formatSample(clientPerCall),
            `ratio host / direct (medians): ${ratio.toFixed(2)}×, i.e. +${(throughHost.medianMs - direct.medianMs).toFixed(1)} ms per create+read+delete`,
        ];
    } finally {
        await host.stop();
        await double.stop();
    }
}
