import type { ErrorObject } from "ajv";
import { type DoubleRequest, type DoubleResponse, type Route, type StripeDouble, stripeError } from "./stripe.js";
import { type Spec3Operation, StripeSpec3Validator } from "./stripeSpec3.js";
import { isRecord, randomId } from "../support/values.js";

/**
 * Payment intents and events for the Stripe double: list and retrieve, as `validate first-payment` reads them.
 * Tests seed the objects (a payment, its event, how many webhooks are still pending); the routes plug into the
 * double's route table, and every request and response is checked against Stripe's full spec (spec3), since
 * the trimmed spec the double uses for webhook endpoints does not describe these paths.
 */

export type PaymentIntentStatus = "canceled" | "processing" | "requires_action" | "requires_capture" | "requires_confirmation" | "requires_payment_method" | "succeeded";

export interface PaymentIntentRecord {
    id: string;
    object: "payment_intent";
    amount: number;
    amount_capturable: number;
    amount_received: number;
    application: null;
    application_fee_amount: null;
    canceled_at: null;
    cancellation_reason: null;
    capture_method: "automatic";
    client_secret: string;
    confirmation_method: "automatic";
    created: number;
    currency: string;
    customer: null;
    description: string | null;
    invoice: null;
    last_payment_error: null;
    latest_charge: null;
    livemode: boolean;
    metadata: Record<string, string>;
    next_action: null;
    on_behalf_of: null;
    payment_method: null;
    payment_method_types: string[];
    processing: null;
    receipt_email: null;
    review: null;
    setup_future_usage: null;
    shipping: null;
    source: null;
    statement_descriptor: null;
    statement_descriptor_suffix: null;
    status: PaymentIntentStatus;
    transfer_data: null;
    transfer_group: null;
}

export interface EventRecord {
    id: string;
    object: "event";
    api_version: string;
    created: number;
    data: { object: PaymentIntentRecord };
    livemode: boolean;
    pending_webhooks: number;
    request: { id: string | null; idempotency_key: string | null };
    type: string;
}

interface Owned<T> {
    account: string;
    record: T;
}

export interface PaymentSeed {
    /** Unix seconds. */
    created: number;
    /** Minor units. Default 2500. */
    amount?: number;
    currency?: string;
    status?: PaymentIntentStatus;
    description?: string;
}

export interface EventSeed {
    type: string;
    object: PaymentIntentRecord;
    /** Unix seconds. Default: the object's `created`. */
    created?: number;
    /** Webhooks not yet delivered successfully. Default 0. */
    pendingWebhooks?: number;
}

const eventApiVersion = "2023-08-16";

function isLiveKey(apiKey: string): boolean {
    return /^(sk|rk)_live_/.test(apiKey);
}

function describeSpecError(error: ErrorObject): string {
    return `${error.instancePath || "(root)"} ${error.message ?? "is invalid"}`;
}

/** Stripe's `created` filter: an exact second or a range. Query values are already coerced by the spec. */
function matchesCreated(created: number, filter: unknown): boolean {
    if (filter === undefined) return true;
    if (typeof filter === "number") return created === filter;
    if (!isRecord(filter)) return true;
    const bound = (key: string): number | undefined => (typeof filter[key] === "number" ? filter[key] : undefined);
    const gt = bound("gt");
    const gte = bound("gte");
    const lt = bound("lt");
    const lte = bound("lte");
    return (gt === undefined || created > gt) && (gte === undefined || created >= gte) && (lt === undefined || created < lt) && (lte === undefined || created <= lte);
}

/** `type` may end in `*` (e.g. `payment_intent.*`), as Stripe documents. */
function matchesType(type: string, filter: unknown): boolean {
    if (typeof filter !== "string") return true;
    return filter.endsWith("*") ? type.startsWith(filter.slice(0, -1)) : type === filter;
}

interface Page<T extends { id: string }> {
    object: "list";
    url: string;
    has_more: boolean;
    data: T[];
}

/** Newest first, with Stripe's cursor pagination. */
function paginate<T extends { id: string }>(url: string, items: readonly T[], query: Record<string, unknown>): Page<T> | DoubleResponse {
    const limit = typeof query["limit"] === "number" ? query["limit"] : 10;
    if (limit < 1 || limit > 100) {
        return stripeError(400, { type: "invalid_request_error", code: "parameter_invalid_integer", param: "limit", message: "Invalid integer: limit must be between 1 and 100" });
    }
    const startingAfter = query["starting_after"];
    const endingBefore = query["ending_before"];
    if (typeof endingBefore === "string") {
        const end = items.findIndex((item) => item.id === endingBefore);
        const to = end === -1 ? 0 : end;
        const from = Math.max(0, to - limit);
        return { object: "list", url, has_more: from > 0, data: items.slice(from, to) };
    }
    const start = typeof startingAfter === "string" ? items.findIndex((item) => item.id === startingAfter) + 1 : 0;
    return { object: "list", url, has_more: start + limit < items.length, data: items.slice(start, start + limit) };
}

function isPage<T extends { id: string }>(value: Page<T> | DoubleResponse): value is Page<T> {
    return "object" in value && value.object === "list";
}

let sharedValidator: StripeSpec3Validator | undefined;

const operations = {
    listPaymentIntents: { path: "/v1/payment_intents", method: "get" },
    retrievePaymentIntent: { path: "/v1/payment_intents/{intent}", method: "get" },
    listEvents: { path: "/v1/events", method: "get" },
    retrieveEvent: { path: "/v1/events/{id}", method: "get" },
} as const satisfies Record<string, Spec3Operation>;

/** One validator per test process: loading and compiling the spec's closure takes seconds. */
function validator(): StripeSpec3Validator {
    sharedValidator ??= new StripeSpec3Validator(Object.values(operations));
    return sharedValidator;
}

export class StripePayments {
    /** Spec violations of requests (answered 400) or responses (a bug in the double). */
    readonly specErrors: string[] = [];
    private readonly paymentIntents: Owned<PaymentIntentRecord>[] = [];
    private readonly events: Owned<EventRecord>[] = [];
    private readonly spec: StripeSpec3Validator;

    constructor(double: StripeDouble, spec: StripeSpec3Validator = validator()) {
        this.spec = spec;
        const routes: { name: string; method: "GET"; path: string; operation: Spec3Operation; handle: (request: DoubleRequest) => DoubleResponse }[] = [
            { name: "payment_intents.list", method: "GET", path: "/v1/payment_intents", operation: operations.listPaymentIntents, handle: (r) => this.listPaymentIntents(r) },
            { name: "payment_intents.retrieve", method: "GET", path: "/v1/payment_intents/{intent}", operation: operations.retrievePaymentIntent, handle: (r) => this.retrievePaymentIntent(r) },
            { name: "events.list", method: "GET", path: "/v1/events", operation: operations.listEvents, handle: (r) => this.listEvents(r) },
            { name: "events.retrieve", method: "GET", path: "/v1/events/{id}", operation: operations.retrieveEvent, handle: (r) => this.retrieveEvent(r) },
        ];
        for (const route of routes) double.addRoute(this.checked(route));
    }

    // -- seeding, for tests ---------------------------------------------------------------------------------

    /** A PaymentIntent owned by `apiKey`'s account, in the key's mode. */
    addPaymentIntent(apiKey: string, seed: PaymentSeed): PaymentIntentRecord {
        const id = randomId("pi_");
        const amount = seed.amount ?? 2500;
        const status = seed.status ?? "succeeded";
        const record: PaymentIntentRecord = {
            id, object: "payment_intent", amount, amount_capturable: 0, amount_received: status === "succeeded" ? amount : 0,
            application: null, application_fee_amount: null, canceled_at: null, cancellation_reason: null,
            capture_method: "automatic", client_secret: `${id}_secret_${randomId("", 16)}`, confirmation_method: "automatic",
            created: seed.created, currency: seed.currency ?? "usd", customer: null, description: seed.description ?? null,
            invoice: null, last_payment_error: null, latest_charge: null, livemode: isLiveKey(apiKey), metadata: {},
            next_action: null, on_behalf_of: null, payment_method: null, payment_method_types: ["card"], processing: null,
            receipt_email: null, review: null, setup_future_usage: null, shipping: null, source: null,
            statement_descriptor: null, statement_descriptor_suffix: null, status, transfer_data: null, transfer_group: null,
        };
        this.paymentIntents.push({ account: apiKey, record });
        return record;
    }

    addEvent(apiKey: string, seed: EventSeed): EventRecord {
        const record: EventRecord = {
            id: randomId("evt_"), object: "event", api_version: eventApiVersion, created: seed.created ?? seed.object.created,
            data: { object: { ...seed.object } }, livemode: isLiveKey(apiKey), pending_webhooks: seed.pendingWebhooks ?? 0,
            request: { id: randomId("req_", 14), idempotency_key: null }, type: seed.type,
        };
        this.events.push({ account: apiKey, record });
        return record;
    }

    /** A succeeded payment and its `payment_intent.succeeded` event, `pendingWebhooks` still undelivered. */
    succeededPayment(apiKey: string, seed: PaymentSeed & { pendingWebhooks?: number }): { paymentIntent: PaymentIntentRecord; event: EventRecord } {
        const paymentIntent = this.addPaymentIntent(apiKey, { ...seed, status: "succeeded" });
        const event = this.addEvent(apiKey, { type: "payment_intent.succeeded", object: paymentIntent, created: seed.created + 1, pendingWebhooks: seed.pendingWebhooks ?? 0 });
        return { paymentIntent, event };
    }

    // -- operations -----------------------------------------------------------------------------------------

    private owned<T>(items: readonly Owned<T>[], account: string): T[] {
        // Stripe lists newest first; among equal seconds, the later created first.
        return items.filter((item) => item.account === account).map((item) => item.record).reverse();
    }

    private listPaymentIntents(request: DoubleRequest): DoubleResponse {
        const matching = this.owned(this.paymentIntents, request.account)
            .sort((a, b) => b.created - a.created)
            .filter((pi) => matchesCreated(pi.created, request.query["created"]));
        const page = paginate("/v1/payment_intents", matching, request.query);
        return isPage(page) ? { status: 200, body: page } : page;
    }

    private retrievePaymentIntent(request: DoubleRequest): DoubleResponse {
        const id = request.pathParams["intent"] ?? "";
        const found = this.owned(this.paymentIntents, request.account).find((pi) => pi.id === id);
        return found ? { status: 200, body: found } : this.notFound("payment_intent", id, "intent");
    }

    private listEvents(request: DoubleRequest): DoubleResponse {
        const { query } = request;
        if (query["type"] !== undefined && query["types"] !== undefined) {
            return stripeError(400, { type: "invalid_request_error", message: "You may pass either `type` or `types`, but not both." });
        }
        const types = Array.isArray(query["types"]) ? query["types"].filter((t): t is string => typeof t === "string") : undefined;
        const delivered = query["delivery_success"];
        const matching = this.owned(this.events, request.account)
            .sort((a, b) => b.created - a.created)
            .filter((event) => matchesCreated(event.created, query["created"]))
            .filter((event) => matchesType(event.type, query["type"]))
            .filter((event) => types === undefined || types.some((type) => matchesType(event.type, type)))
            .filter((event) => typeof delivered !== "boolean" || (event.pending_webhooks === 0) === delivered);
        const page = paginate("/v1/events", matching, query);
        return isPage(page) ? { status: 200, body: page } : page;
    }

    private retrieveEvent(request: DoubleRequest): DoubleResponse {
        const id = request.pathParams["id"] ?? "";
        const found = this.owned(this.events, request.account).find((event) => event.id === id);
        return found ? { status: 200, body: found } : this.notFound("event", id, "id");
    }

    private notFound(kind: string, id: string, param: string): DoubleResponse {
        return stripeError(404, { type: "invalid_request_error", code: "resource_missing", param, message: `No such ${kind}: '${id}'`, doc_url: "https://stripe.com/docs/error-codes/resource-missing" });
    }

    // -- spec checks ----------------------------------------------------------------------------------------

    /** The route, its request checked against spec3 before it runs (400 if not) and its response after. */
    private checked(route: { name: string; method: "GET"; path: string; operation: Spec3Operation; handle: (request: DoubleRequest) => DoubleResponse }): Route {
        return {
            name: route.name,
            method: route.method,
            path: route.path,
            // The double's own validator knows only the trimmed webhook-endpoint spec; these checks use spec3.
            spec: false,
            handle: (request) => {
                const where = `${request.method} ${request.path}`;
                const checks = [
                    { location: "path", result: this.spec.parameters(route.operation, "path", request.pathParams) },
                    { location: "query", result: this.spec.parameters(route.operation, "query", request.query) },
                    { location: "body", result: this.spec.requestBody(route.operation, request.body) },
                ];
                for (const { location, result } of checks) {
                    if (!result.valid) {
                        const problems = result.errors.map(describeSpecError);
                        this.specErrors.push(...problems.map((p) => `${where}: request ${location} ${p}`));
                        return stripeError(400, { type: "invalid_request_error", code: "parameter_invalid", message: `Invalid ${location} parameters: ${problems.join("; ")}` });
                    }
                }
                const response = route.handle(request);
                const checked = this.spec.response(route.operation, response.status, response.body);
                this.specErrors.push(...checked.errors.map((e) => `${where}: response ${describeSpecError(e)}`));
                return response;
            },
        };
    }
}

/** Adds the payment-intent and event routes to a double. */
export function addPaymentRoutes(double: StripeDouble): StripePayments {
    return new StripePayments(double);
}
