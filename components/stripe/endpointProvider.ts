import type * as pulumi from "@pulumi/pulumi";
import type Stripe from "stripe";
import { boundedFetch, stripeAnswerLimitBytes } from "../shared/boundedFetch.js";

// This module is serialized into the stack's state by Pulumi's closure serializer and run by the
// dynamic-provider host. Its one runtime import is the bounded fetch (a module of plain functions, which
// the serializer captures by value; the tsc-build host test proves it); the SDK is `require`d inside each
// method (a captured SDK module or client does not serialize). The provider's code
// uses only module-local names: tsc compiles a use of an exported `const` to `exports.name`, which the
// serializer captures as undefined (found by running the tsc build through the host; vitest's transform
// hides it), so exported constants below are aliases of local ones.

const kindValue = "stripe:WebhookEndpoint";
const clientApiVersion: Stripe.LatestApiVersion = "2026-10-28.endive";
const replacedProperties = ["apiVersion", "connect", "mode"] as const;

/** The value of the `vaunticoKind` input that marks this dynamic resource for the gates. */
export const stripeWebhookEndpointKindValue = kindValue;

/** The API version every request is made with: the one the installed SDK's types describe. */
export const pinnedClientApiVersion = clientApiVersion;

/** Where the SDK sends requests; only tests point it away from api.stripe.com. */
export interface StripeApiBase {
    host: string;
    port: number;
    protocol: "http" | "https";
}

export type PaymentMode = "test" | "live";

/** Inputs of the dynamic resource, as the provider receives them (the engine hands secrets over unwrapped). */
export interface WebhookEndpointInputs {
    vaunticoKind: string;
    url: string;
    enabledEvents: string[];
    apiVersion: string;
    connect: boolean;
    /** "" when there is none. */
    description: string;
    metadata: Record<string, string>;
    disabled: boolean;
    mode: PaymentMode;
    apiKey: string;
    /** Stable name of the resource (project/stack/name); the create Idempotency-Key is derived from it. */
    idempotencyScope: string;
    maxNetworkRetries: number;
    apiBase?: StripeApiBase;
}

/** Outputs: the inputs as Stripe now holds them, plus what Stripe adds. */
export interface WebhookEndpointOutputs extends WebhookEndpointInputs {
    /** `whsec_…`, returned by Stripe only on create; absent when the endpoint was adopted. */
    signingSecret?: string;
    status: string;
    livemode: boolean;
}

/** Inputs Stripe cannot change in place: a new value means a new endpoint. */
export const replaceOnChange = replacedProperties;

const apiKeyPattern = /^(sk|rk)_(test|live)_[A-Za-z0-9]+$/;
// What the engine sends during a preview for a value not known yet (the SDK's rpc.unknownValue).
const unknownSentinel = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const rateLimitAttempts = 4;
const maxCreateGenerations = 50;
const longestRetryAfterMs = 10_000;

export interface InputFailure {
    property: string;
    reason: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
    return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function isStringRecord(value: unknown): value is Record<string, string> {
    return isRecord(value) && Object.values(value).every((item) => typeof item === "string");
}

/** The payment mode an API key belongs to, from its prefix (`sk_test_`, `rk_live_`, …); undefined if it is no key. */
export function modeOfApiKey(apiKey: string): PaymentMode | undefined {
    const match = apiKeyPattern.exec(apiKey);
    if (!match) {
        return undefined;
    }
    return match[2] === "live" ? "live" : "test";
}

/** Whether a value, or anything inside it, is not known yet (a preview). */
export function containsUnknown(value: unknown): boolean {
    if (value === unknownSentinel) return true;
    if (Array.isArray(value)) return value.some(containsUnknown);
    return isRecord(value) && Object.values(value).some(containsUnknown);
}

/**
 * Checks what the provider can check without the SDK's type lists; messages never contain the key. A value not
 * known yet (preview) is checked once it is.
 */
export function inputFailures(inputs: Record<string, unknown>): InputFailure[] {
    const known = Object.keys(inputs).filter((property) => !containsUnknown(inputs[property]));
    return checkedInputFailures(inputs).filter((failure) => known.includes(failure.property) || !(failure.property in inputs));
}

function checkedInputFailures(inputs: Record<string, unknown>): InputFailure[] {
    const failures: InputFailure[] = [];
    if (inputs.vaunticoKind !== kindValue) {
        failures.push({ property: "vaunticoKind", reason: `must be "${kindValue}"` });
    }
    const url = inputs.url;
    if (typeof url !== "string" || !/^https:\/\/[^\s/]+/.test(url)) {
        failures.push({ property: "url", reason: `must be an https:// URL, got ${JSON.stringify(url)}` });
    }
    if (!isStringArray(inputs.enabledEvents) || inputs.enabledEvents.length === 0) {
        failures.push({ property: "enabledEvents", reason: "must be a non-empty list of Stripe event types" });
    }
    if (typeof inputs.apiVersion !== "string" || inputs.apiVersion === "") {
        failures.push({ property: "apiVersion", reason: "must be a Stripe API version such as 2026-10-28.endive" });
    }
    if (typeof inputs.connect !== "boolean") {
        failures.push({ property: "connect", reason: "must be a boolean" });
    }
    if (typeof inputs.disabled !== "boolean") {
        failures.push({ property: "disabled", reason: "must be a boolean" });
    }
    if (typeof inputs.description !== "string") {
        failures.push({ property: "description", reason: "must be a string" });
    }
    if (!isStringRecord(inputs.metadata)) {
        failures.push({ property: "metadata", reason: "must map strings to strings" });
    }
    if (typeof inputs.idempotencyScope !== "string" || inputs.idempotencyScope === "") {
        failures.push({ property: "idempotencyScope", reason: "must name the resource" });
    }
    if (typeof inputs.maxNetworkRetries !== "number" || !Number.isInteger(inputs.maxNetworkRetries)) {
        failures.push({ property: "maxNetworkRetries", reason: "must be an integer" });
    }
    const mode = inputs.mode;
    if (mode !== "test" && mode !== "live") {
        failures.push({ property: "mode", reason: `must be "test" or "live", got ${JSON.stringify(mode)}` });
    }
    const keyMode = typeof inputs.apiKey === "string" ? modeOfApiKey(inputs.apiKey) : undefined;
    if (keyMode === undefined) {
        failures.push({ property: "apiKey", reason: "must be a Stripe secret or restricted key (sk_test_, sk_live_, rk_test_, rk_live_)" });
    } else if ((mode === "test" || mode === "live") && keyMode !== mode) {
        failures.push({ property: "apiKey", reason: `is a ${keyMode}-mode key but the payment mode is "${mode}"` });
    }
    if (inputs.apiBase !== undefined && !isApiBase(inputs.apiBase)) {
        failures.push({ property: "apiBase", reason: "must be { host, port, protocol: http|https }" });
    }
    return failures;
}

function isApiBase(value: unknown): value is StripeApiBase {
    return isRecord(value) && typeof value.host === "string" && typeof value.port === "number" && (value.protocol === "http" || value.protocol === "https");
}

function parseInputs(value: unknown): WebhookEndpointInputs {
    if (!isRecord(value)) {
        throw new Error("Stripe webhook endpoint: the resource has no properties");
    }
    const failures = inputFailures(value);
    if (failures.length > 0) {
        throw new Error(`Stripe webhook endpoint: ${failures.map((f) => `${f.property} ${f.reason}`).join("; ")}`);
    }
    const { url, enabledEvents, apiVersion, connect, description, metadata, disabled, mode, apiKey, idempotencyScope, maxNetworkRetries, apiBase } = value;
    // inputFailures has checked every field; these guards only narrow the types for the compiler.
    if (
        typeof url !== "string" ||
        !isStringArray(enabledEvents) ||
        typeof apiVersion !== "string" ||
        typeof connect !== "boolean" ||
        typeof description !== "string" ||
        !isStringRecord(metadata) ||
        typeof disabled !== "boolean" ||
        (mode !== "test" && mode !== "live") ||
        typeof apiKey !== "string" ||
        typeof idempotencyScope !== "string" ||
        typeof maxNetworkRetries !== "number"
    ) {
        throw new Error("Stripe webhook endpoint: malformed properties");
    }
    const inputs: WebhookEndpointInputs = {
        vaunticoKind: kindValue,
        url,
        enabledEvents,
        apiVersion,
        connect,
        description,
        metadata,
        disabled,
        mode,
        apiKey,
        idempotencyScope,
        maxNetworkRetries,
    };
    if (isApiBase(apiBase)) {
        inputs.apiBase = { host: apiBase.host, port: apiBase.port, protocol: apiBase.protocol };
    }
    return inputs;
}

function parseOutputs(value: unknown): WebhookEndpointOutputs {
    const inputs = parseInputs(value);
    const record = isRecord(value) ? value : {};
    const outputs: WebhookEndpointOutputs = {
        ...inputs,
        status: typeof record.status === "string" ? record.status : inputs.disabled ? "disabled" : "enabled",
        livemode: typeof record.livemode === "boolean" ? record.livemode : inputs.mode === "live",
    };
    if (typeof record.signingSecret === "string" && record.signingSecret.startsWith("whsec_")) {
        outputs.signingSecret = record.signingSecret;
    }
    return outputs;
}

function stripeClient(inputs: WebhookEndpointInputs): Stripe {
    const StripeSdk: typeof Stripe = require("stripe");
    const config: Stripe.StripeConfig = {
        apiVersion: clientApiVersion,
        maxNetworkRetries: inputs.maxNetworkRetries,
        telemetry: false,
        // Every answer read through the bounded fetch: one byte over the limit aborts the request.
        httpClient: StripeSdk.createFetchHttpClient(boundedFetch(stripeAnswerLimitBytes)),
    };
    if (inputs.apiBase) {
        config.host = inputs.apiBase.host;
        config.port = inputs.apiBase.port;
        config.protocol = inputs.apiBase.protocol;
    }
    return new StripeSdk(inputs.apiKey, config);
}

/**
 * A header of the SDK's raw response. Its type says a plain object, which is what the Node client gives; the
 * fetch client hands back the fetch `Response`, whose `headers` is a `Headers` (indexing it finds nothing).
 */
function responseHeader(headers: unknown, name: string): string | undefined {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    if (!isRecord(headers)) return undefined;
    const value = headers[name];
    return typeof value === "string" ? value : undefined;
}

function statusCodeOf(error: unknown): number | undefined {
    return isRecord(error) && typeof error.statusCode === "number" ? error.statusCode : undefined;
}

/** How long a 429 asks us to wait (its Retry-After, bounded), or undefined when the error is not a 429. */
export function rateLimitWaitMs(error: unknown): number | undefined {
    if (statusCodeOf(error) !== 429) {
        return undefined;
    }
    const headers = isRecord(error) && isRecord(error.headers) ? error.headers : {};
    const retryAfter = headers["retry-after"];
    const seconds = typeof retryAfter === "string" ? Number(retryAfter) : Number.NaN;
    const waitMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000;
    return Math.min(waitMs, longestRetryAfterMs);
}

// The SDK's maxNetworkRetries covers connection errors, 409 and 5xx (and 429 only when Stripe sends
// `Stripe-Should-Retry: true`), but it never retries a plain 429 and ignores Retry-After: stripe-node
// declines that by design (stripe/stripe-node#1110, #1885). This bounded loop fills only that gap; a
// create keeps its explicit Idempotency-Key across these attempts.
async function withRateLimitRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await call();
        } catch (error) {
            const waitMs = rateLimitWaitMs(error);
            if (waitMs === undefined || attempt >= rateLimitAttempts) {
                throw error;
            }
            await new Promise((resolve) => setTimeout(resolve, waitMs));
        }
    }
}

export function createParams(inputs: WebhookEndpointInputs): Stripe.WebhookEndpointCreateParams {
    const params: Stripe.WebhookEndpointCreateParams = {
        url: inputs.url,
        enabled_events: inputs.enabledEvents.filter(isEnabledEventString),
        connect: inputs.connect,
    };
    if (isApiVersionString(inputs.apiVersion)) {
        params.api_version = inputs.apiVersion;
    }
    if (inputs.description !== "") {
        params.description = inputs.description;
    }
    if (Object.keys(inputs.metadata).length > 0) {
        params.metadata = { ...inputs.metadata };
    }
    return params;
}

// The component checks event names and API versions against the SDK's lists before they get here; these
// guards only carry that fact to the compiler.
function isEnabledEventString(event: string): event is Stripe.WebhookEndpointCreateParams.EnabledEvent {
    return event.length > 0;
}

function isApiVersionString(version: string): version is Stripe.WebhookEndpointCreateParams.ApiVersion {
    return version.length > 0;
}

/**
 * The create Idempotency-Key: a hash of the resource's stable name and the exact create parameters, so a
 * create retried after a lost response (by the SDK or by a re-run of `pulumi up`) gets Stripe's saved
 * response instead of making a second endpoint. The API key is not part of it.
 */
export function createIdempotencyKey(idempotencyScope: string, params: Stripe.WebhookEndpointCreateParams): string {
    const crypto: typeof import("node:crypto") = require("node:crypto");
    const digest = crypto
        .createHash("sha256")
        .update(JSON.stringify([idempotencyScope, params]))
        .digest("hex");
    return `vauntico-webhook-endpoint-${digest.slice(0, 40)}`;
}

/** The key for the next create after the one `key` made was found deleted. */
export function nextIdempotencyKey(key: string, deletedEndpointId: string): string {
    const crypto: typeof import("node:crypto") = require("node:crypto");
    return `vauntico-webhook-endpoint-${crypto.createHash("sha256").update(`${key}/${deletedEndpointId}`).digest("hex").slice(0, 40)}`;
}

function sameEvents(left: string[], right: string[]): boolean {
    const a = [...left].sort();
    const b = [...right].sort();
    return a.length === b.length && a.every((event, index) => event === b[index]);
}

function sameMetadata(left: Record<string, string>, right: Record<string, string>): boolean {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    return [...keys].every((key) => left[key] === right[key]);
}

/** The update parameters for what differs between what Stripe holds and what is wanted; empty when nothing does. */
export function updateParams(held: WebhookEndpointOutputs, wanted: WebhookEndpointInputs): Stripe.WebhookEndpointUpdateParams {
    const params: Stripe.WebhookEndpointUpdateParams = {};
    if (held.url !== wanted.url) {
        params.url = wanted.url;
    }
    if (!sameEvents(held.enabledEvents, wanted.enabledEvents)) {
        params.enabled_events = wanted.enabledEvents.filter(isEnabledEventString);
    }
    if (held.description !== wanted.description) {
        params.description = wanted.description;
    }
    if (!sameMetadata(held.metadata, wanted.metadata)) {
        const metadata: Record<string, string> = {};
        // Stripe removes a metadata key when it is sent with an empty value.
        for (const key of Object.keys(held.metadata)) {
            if (!(key in wanted.metadata)) {
                metadata[key] = "";
            }
        }
        params.metadata = { ...metadata, ...wanted.metadata };
    }
    if ((held.status === "disabled") !== wanted.disabled) {
        params.disabled = wanted.disabled;
    }
    return params;
}

function outputsFrom(inputs: WebhookEndpointInputs, endpoint: Stripe.WebhookEndpoint, signingSecret: string | undefined): WebhookEndpointOutputs {
    const outputs: WebhookEndpointOutputs = {
        ...inputs,
        url: endpoint.url,
        enabledEvents: [...endpoint.enabled_events],
        apiVersion: endpoint.api_version ?? inputs.apiVersion,
        description: endpoint.description ?? "",
        metadata: { ...endpoint.metadata },
        disabled: endpoint.status === "disabled",
        status: endpoint.status,
        livemode: endpoint.livemode,
    };
    if (signingSecret !== undefined) {
        outputs.signingSecret = signingSecret;
    }
    return outputs;
}

async function retrieveIfExists(client: Stripe, id: string): Promise<Stripe.WebhookEndpoint | undefined> {
    try {
        return await withRateLimitRetries(() => client.webhookEndpoints.retrieve(id));
    } catch (error) {
        if (statusCodeOf(error) === 404) {
            return undefined;
        }
        throw error;
    }
}

const unknownSecretMessage =
    "the endpoint's signing secret is unknown (Stripe returns it only on create, so an adopted or imported " +
    "endpoint has none); the endpoint must be replaced so a new secret can be delivered";

/** The provider the dynamic-provider host runs; `check` repeats the input checks the engine must see. */
export const webhookEndpointProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        return { inputs: news, failures: inputFailures(news) };
    },

    async diff(_id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.DiffResult> {
        const held = parseOutputs(olds);
        if (isRecord(news) && containsUnknown(news)) {
            // A preview with values not known yet: those may change, and a replace-on-change one may replace.
            const pending = Object.keys(news).filter((property) => containsUnknown(news[property]));
            const replaces = replacedProperties.filter((property) => pending.includes(property) || news[property] !== held[property]);
            return { changes: true, replaces, deleteBeforeReplace: false };
        }
        const wanted = parseInputs(news);
        const replaces: string[] = replacedProperties.filter((property) => held[property] !== wanted[property]);
        if (held.signingSecret === undefined) {
            console.error(`Stripe webhook endpoint ${JSON.stringify(held.url)}: ${unknownSecretMessage}.`);
            replaces.push("signingSecret");
        }
        const inPlace = Object.keys(updateParams(held, wanted)).length > 0;
        const stateOnly =
            held.apiKey !== wanted.apiKey ||
            held.maxNetworkRetries !== wanted.maxNetworkRetries ||
            held.idempotencyScope !== wanted.idempotencyScope ||
            JSON.stringify(held.apiBase ?? null) !== JSON.stringify(wanted.apiBase ?? null);
        return { changes: replaces.length > 0 || inPlace || stateOnly, replaces, deleteBeforeReplace: false };
    },

    async create(inputs: unknown): Promise<pulumi.dynamic.CreateResult> {
        const wanted = parseInputs(inputs);
        const client = stripeClient(wanted);
        const params = createParams(wanted);
        let idempotencyKey = createIdempotencyKey(wanted.idempotencyScope, params);
        // A replayed response may describe an endpoint deleted since (this resource was created and deleted
        // with the same parameters within Stripe's 24-hour key window). The next key is then derived from the
        // dead endpoint's id, so every generation stays deterministic: a re-run walks the same chain and finds
        // the endpoint a lost response created, and the window bounds the chain's length.
        for (let generation = 1; generation <= maxCreateGenerations; generation++) {
            const key = idempotencyKey;
            const created = await withRateLimitRetries(() => client.webhookEndpoints.create(params, { idempotencyKey: key }));
            const replayed = responseHeader(created.lastResponse.headers, "idempotent-replayed") === "true";
            const current = replayed ? await retrieveIfExists(client, created.id) : created;
            if (current === undefined) {
                idempotencyKey = nextIdempotencyKey(idempotencyKey, created.id);
                continue;
            }
            if (typeof created.secret !== "string" || !created.secret.startsWith("whsec_")) {
                throw new Error(`Stripe created webhook endpoint ${created.id} but returned no whsec_ signing secret`);
            }
            if (created.livemode !== (wanted.mode === "live")) {
                throw new Error(`Stripe created webhook endpoint ${created.id} with livemode=${created.livemode}, but the payment mode is "${wanted.mode}"`);
            }
            let endpoint: Stripe.WebhookEndpoint = current;
            // `disabled` is not a create parameter.
            if (wanted.disabled && endpoint.status !== "disabled") {
                endpoint = await withRateLimitRetries(() => client.webhookEndpoints.update(created.id, { disabled: true }));
            }
            return { id: created.id, outs: outputsFrom(wanted, endpoint, created.secret) };
        }
        throw new Error(
            `Stripe replayed ${maxCreateGenerations} deleted webhook endpoints for this resource's idempotency keys; retry after 24 hours or change the endpoint's description`,
        );
    },

    async read(id: string, props: unknown): Promise<pulumi.dynamic.ReadResult> {
        const held = parseOutputs(props);
        const endpoint = await retrieveIfExists(stripeClient(held), id);
        if (endpoint === undefined) {
            // An empty id tells the engine the resource is gone; the next `up` creates it again.
            return { id: "", props: {} };
        }
        if (held.signingSecret === undefined) {
            console.error(`Stripe webhook endpoint ${id}: ${unknownSecretMessage}.`);
        }
        return { id, props: outputsFrom(held, endpoint, held.signingSecret) };
    },

    async update(id: string, olds: unknown, news: unknown): Promise<pulumi.dynamic.UpdateResult> {
        const held = parseOutputs(olds);
        const wanted = parseInputs(news);
        if (held.signingSecret === undefined) {
            throw new Error(`Stripe webhook endpoint ${id}: ${unknownSecretMessage}; run \`pulumi up --replace\` on it`);
        }
        const params = updateParams(held, wanted);
        if (Object.keys(params).length === 0) {
            return { outs: { ...held, ...wanted, signingSecret: held.signingSecret } };
        }
        const endpoint = await withRateLimitRetries(() => stripeClient(wanted).webhookEndpoints.update(id, params));
        return { outs: outputsFrom(wanted, endpoint, held.signingSecret) };
    },

    async delete(id: string, props: unknown): Promise<void> {
        const held = parseOutputs(props);
        try {
            await withRateLimitRetries(() => stripeClient(held).webhookEndpoints.del(id));
        } catch (error) {
            if (statusCodeOf(error) !== 404) {
                throw error;
            }
        }
    },
};
