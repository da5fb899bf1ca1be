import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { deliveredSecretNames, requiredStripeEvents } from "../../policy/protocol/contract.js";
import {
    modeOfApiKey,
    pinnedClientApiVersion,
    stripeWebhookEndpointKindValue,
    webhookEndpointProvider,
    type PaymentMode,
    type StripeApiBase,
} from "./endpointProvider.js";
import { repeatedIndexes } from "../shared/index.js";
import { publicWebhookUrlProblem, refusedUrl } from "../urls/index.js";
import { isSdkApiVersion } from "./sdkApiVersions.js";
import { isSdkEnabledEvent } from "./sdkEventTypes.js";

/** Where the component delivers the signing secret and the API key as GitHub environment secrets. */
export interface SecretDeliveryTarget {
    /** Repository name (the owner comes from the GitHub provider). */
    repository: pulumi.Input<string>;
    /** Environment name, e.g. `production`. */
    environment: pulumi.Input<string>;
}

export interface StripeWebhookEndpointArgs {
    /** The https URL Stripe posts events to. */
    url: pulumi.Input<string>;
    /** Event types to enable, each one the `stripe` SDK lists. Default: the protocol's required events. */
    enabledEvents?: pulumi.Input<pulumi.Input<string>[]>;
    /** What the endpoint is for. Default none. */
    description?: pulumi.Input<string>;
    /** Key-value pairs kept on the endpoint. Default none. */
    metadata?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Whether Stripe stops sending events to it. Default false. */
    disabled?: pulumi.Input<boolean>;
    /** API version events are rendered in; changing it replaces the endpoint. Default: the SDK's pinned version. */
    apiVersion?: pulumi.Input<string>;
    /** Whether it receives events from connected accounts; changing it replaces the endpoint. Default false. */
    connect?: pulumi.Input<boolean>;
    /** Stripe secret or restricted key (`sk_…`/`rk_…`); always handled as a Pulumi secret. */
    apiKey: pulumi.Input<string>;
    /** The stack's payment mode; the key's prefix must match it. */
    mode: pulumi.Input<PaymentMode>;
    /** Deliver STRIPE_WEBHOOK_SECRET and STRIPE_SECRET_KEY to this GitHub environment. Default: not delivered. */
    delivery?: SecretDeliveryTarget;
    /** Stripe API location; only tests set it (a local double). Default api.stripe.com. */
    apiBase?: StripeApiBase;
    /** SDK network retries per request (connection errors, 409, 5xx). Default 3. */
    maxNetworkRetries?: number;
}

/** The GitHub environment secrets the component delivers when given a delivery target, in order. */
export const stripeDeliveredSecretNames = [deliveredSecretNames.stripeWebhookSecret, deliveredSecretNames.stripeSecretKey] as const;

/** Event types the SDK does not list, in the order given. */
export function unknownEventTypes(events: readonly string[]): string[] {
    return events.filter((event) => !isSdkEnabledEvent(event));
}

/** Why Stripe could not deliver to the URL (see `publicWebhookUrlProblem`), or undefined; the URL shown without userinfo. */
export function webhookUrlProblem(url: string): string | undefined {
    return refusedUrl("url", url, publicWebhookUrlProblem);
}

/** Why the key does not fit the mode, or undefined when it does. Never includes the key. */
export function apiKeyModeProblem(apiKey: string, mode: PaymentMode): string | undefined {
    const keyMode = modeOfApiKey(apiKey);
    if (keyMode === undefined) {
        return "apiKey: not a Stripe secret or restricted key; expected sk_test_, sk_live_, rk_test_ or rk_live_";
    }
    return keyMode === mode ? undefined : `apiKey: a ${keyMode}-mode key was given but the payment mode is "${mode}"`;
}

function isPaymentMode(value: unknown): value is PaymentMode {
    return value === "test" || value === "live";
}

function enabledEventsProblem(events: readonly string[]): string | undefined {
    const unknown = unknownEventTypes(events);
    const repeated = repeatedIndexes(events, (event) => event).map(({ index }) => JSON.stringify(events[index]));
    if (events.length > 0 && unknown.length === 0 && repeated.length === 0) return undefined;
    if (events.length > 0 && unknown.length === 0) return `enabledEvents: ${repeated.join(", ")} listed twice; list each event type once`;
    return (
        `enabledEvents: ${events.length === 0 ? "none given" : `${unknown.map((e) => JSON.stringify(e)).join(", ")} not known to the stripe SDK`}; ` +
        "expected event types such as payment_intent.succeeded (the SDK's WebhookEndpointCreateParams.EnabledEvent)"
    );
}

function apiVersionProblem(version: string): string | undefined {
    return isSdkApiVersion(version)
        ? undefined
        : `apiVersion: ${JSON.stringify(version)} is not an API version the stripe SDK lists; expected e.g. ${pinnedClientApiVersion}`;
}

function modeProblem(mode: unknown): string | undefined {
    return isPaymentMode(mode) ? undefined : `mode: ${JSON.stringify(mode)} given; expected "test" or "live"`;
}

/**
 * Problems found in the args that are plain values (not Outputs), so a bad stack fails when the component is
 * constructed; Output-valued args are checked once known, and the provider's Check repeats the checks.
 */
export function plainArgsProblems(args: StripeWebhookEndpointArgs): string[] {
    const problems: (string | undefined)[] = [];
    if (typeof args.url === "string") problems.push(webhookUrlProblem(args.url));
    const events = args.enabledEvents;
    if (Array.isArray(events) && events.every((e): e is string => typeof e === "string")) problems.push(enabledEventsProblem(events));
    if (typeof args.apiVersion === "string") problems.push(apiVersionProblem(args.apiVersion));
    if (typeof args.mode === "string") problems.push(modeProblem(args.mode));
    if (typeof args.apiKey === "string" && isPaymentMode(args.mode)) problems.push(apiKeyModeProblem(args.apiKey, args.mode));
    return problems.filter((p): p is string => p !== undefined);
}

/** The signing secret, or a loud error when it is unknown: an empty secret is never delivered. */
export function requireSigningSecret(secret: string | undefined): string {
    if (typeof secret !== "string" || !secret.startsWith("whsec_")) {
        throw new Error(
            "signingSecret: Stripe's signing secret for this endpoint is unknown (it is returned only on create, " +
                "so an adopted endpoint has none); replace the endpoint (`pulumi up --replace`) rather than deliver an empty secret",
        );
    }
    return secret;
}

interface EndpointResourceInputs {
    vaunticoKind: pulumi.Input<string>;
    url: pulumi.Input<string>;
    enabledEvents: pulumi.Input<string[]>;
    apiVersion: pulumi.Input<string>;
    connect: pulumi.Input<boolean>;
    description: pulumi.Input<string>;
    metadata: pulumi.Input<Record<string, string>>;
    disabled: pulumi.Input<boolean>;
    mode: pulumi.Input<PaymentMode>;
    apiKey: pulumi.Input<string>;
    idempotencyScope: string;
    maxNetworkRetries: number;
    apiBase?: StripeApiBase;
}

/** The dynamic resource itself (type `pulumi-nodejs:dynamic:Resource`); use the component. */
export class StripeWebhookEndpointResource extends pulumi.dynamic.Resource {
    declare public readonly url: pulumi.Output<string>;
    declare public readonly enabledEvents: pulumi.Output<string[]>;
    declare public readonly apiVersion: pulumi.Output<string>;
    declare public readonly mode: pulumi.Output<PaymentMode>;
    declare public readonly status: pulumi.Output<string>;
    declare public readonly livemode: pulumi.Output<boolean>;
    declare public readonly signingSecret: pulumi.Output<string | undefined>;

    constructor(name: string, inputs: EndpointResourceInputs, opts?: pulumi.CustomResourceOptions) {
        super(
            webhookEndpointProvider,
            name,
            { ...inputs, signingSecret: undefined, status: undefined, livemode: undefined },
            {
                ...opts,
                additionalSecretOutputs: ["signingSecret", "apiKey"],
            },
        );
    }
}

/**
 * A Stripe webhook endpoint managed through the official SDK, with its signing secret (a Pulumi secret) and
 * optionally delivered, with the API key, to a GitHub environment.
 */
export class StripeWebhookEndpoint extends pulumi.ComponentResource {
    public static readonly type = "vauntico:stripe:WebhookEndpoint";

    /** Stripe's id of the endpoint (`we_…`). */
    public readonly endpointId: pulumi.Output<string>;
    public readonly url: pulumi.Output<string>;
    public readonly enabledEvents: pulumi.Output<string[]>;
    public readonly apiVersion: pulumi.Output<string>;
    public readonly mode: pulumi.Output<PaymentMode>;
    /** The `whsec_…` signing secret, a Pulumi secret; never empty (an unknown secret fails loudly). */
    public readonly signingSecret: pulumi.Output<string>;
    /** GitHub environment secret names delivered, in order. */
    public readonly deliveredSecretNames: string[];

    constructor(name: string, args: StripeWebhookEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super(StripeWebhookEndpoint.type, name, {}, opts);

        const problems = plainArgsProblems(args);
        if (problems.length > 0) throw new pulumi.ResourceError(`Invalid Stripe webhook endpoint "${name}": ${problems.join("; ")}`, this);

        const fail = (problem: string | undefined): void => {
            if (problem) throw new pulumi.ResourceError(problem, this);
        };
        const mode = pulumi.output(args.mode).apply((value) => {
            fail(modeProblem(value));
            return value;
        });
        const url = pulumi.output(args.url).apply((value) => {
            fail(webhookUrlProblem(value));
            return value;
        });
        const enabledEvents = pulumi.output(args.enabledEvents ?? [...requiredStripeEvents]).apply((events) => {
            fail(enabledEventsProblem(events));
            return events;
        });
        const apiVersion = pulumi.output(args.apiVersion ?? pinnedClientApiVersion).apply((version) => {
            fail(apiVersionProblem(version));
            return version;
        });
        const apiKey = pulumi.all([pulumi.secret(args.apiKey), mode]).apply(([key, wantedMode]) => {
            fail(apiKeyModeProblem(key, wantedMode));
            return key;
        });

        const inputs: EndpointResourceInputs = {
            vaunticoKind: stripeWebhookEndpointKindValue,
            url,
            enabledEvents,
            apiVersion,
            connect: args.connect ?? false,
            description: args.description ?? "",
            metadata: pulumi.output(args.metadata ?? {}),
            disabled: args.disabled ?? false,
            mode,
            apiKey,
            idempotencyScope: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
            maxNetworkRetries: args.maxNetworkRetries ?? 3,
        };
        if (args.apiBase) inputs.apiBase = args.apiBase;
        const endpoint = new StripeWebhookEndpointResource(`${name}-endpoint`, inputs, { parent: this });

        this.endpointId = endpoint.id;
        this.url = endpoint.url;
        this.enabledEvents = endpoint.enabledEvents;
        this.apiVersion = endpoint.apiVersion;
        this.mode = endpoint.mode;
        this.signingSecret = pulumi.secret(
            endpoint.signingSecret.apply((secret) => {
                try {
                    return requireSigningSecret(secret);
                } catch (error) {
                    throw new pulumi.ResourceError(error instanceof Error ? error.message : String(error), this);
                }
            }),
        );

        this.deliveredSecretNames = [];
        if (args.delivery) {
            const [webhookSecretName, secretKeyName] = stripeDeliveredSecretNames;
            const deliveries = [
                { secretName: webhookSecretName, value: this.signingSecret, suffix: "webhook-secret" },
                { secretName: secretKeyName, value: apiKey, suffix: "secret-key" },
            ];
            for (const delivery of deliveries) {
                new github.ActionsEnvironmentSecret(
                    `${name}-${delivery.suffix}`,
                    {
                        repository: args.delivery.repository,
                        environment: args.delivery.environment,
                        secretName: delivery.secretName,
                        plaintextValue: pulumi.secret(delivery.value),
                    },
                    { parent: this },
                );
                this.deliveredSecretNames.push(delivery.secretName);
            }
        }

        this.registerOutputs({
            endpointId: this.endpointId,
            url: this.url,
            enabledEvents: this.enabledEvents,
            apiVersion: this.apiVersion,
            mode: this.mode,
            signingSecret: this.signingSecret,
            deliveredSecretNames: this.deliveredSecretNames,
        });
    }
}
