import * as pulumi from "@pulumi/pulumi";
import { planMocks } from "../../cli/plan/fakeOutputs.js";
import { runUnderMocks } from "../../cli/plan/mockEngine.js";
import type { PlannedResource } from "../../cli/plan/mockMonitor.js";
import type { StripeWebhookEndpointArgs } from "../../components/stripe/index.js";

export const dynamicResourceType = "pulumi-nodejs:dynamic:Resource";
export const fakeSigningSecret = "whsec_fabricatedByTheMock";

/** The mocks, plus what a create would return for the Stripe endpoint (the signing secret). */
export function endpointMocks(): pulumi.runtime.Mocks {
    const base = planMocks();
    return {
        call: base.call,
        async newResource(args) {
            const result = await base.newResource(args);
            if (args.type !== dynamicResourceType) return result;
            return { id: "we_mock", state: { ...result.state, signingSecret: fakeSigningSecret, status: "enabled", livemode: false } };
        },
    };
}

export interface ProgramRun {
    resources: PlannedResource[];
    endpoint: PlannedResource;
}

/**
 * Runs a program holding one `StripeWebhookEndpoint` under the project's mock engine, which serializes the
 * dynamic provider exactly as `pulumi up` does (the `__provider` input) and applies additionalSecretOutputs.
 */
export async function runEndpointProgram(name: string, args: StripeWebhookEndpointArgs): Promise<ProgramRun> {
    const { StripeWebhookEndpoint } = await import("../../components/stripe/index.js");
    const run = await runUnderMocks({ project: "vauntico-deploy", stack: "test", mocks: endpointMocks() }, () => {
        new StripeWebhookEndpoint(name, args);
        return {};
    });
    const endpoint = run.resources.find((r) => r.type === dynamicResourceType);
    if (!endpoint) throw new Error("no dynamic resource was registered");
    return { resources: run.resources, endpoint };
}
