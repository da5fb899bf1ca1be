import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { ErrorObject } from "ajv";
import { decodeForm, decodeQuery, type FormValue } from "./formEncoding.js";
import { StripeSpecValidator, type OperationRef, type SpecCheck } from "./stripeSpec.js";
import { isRecord, randomId } from "../support/values.js";

/**
 * A stateful local stand-in for the Stripe API on 127.0.0.1. Routes live in a table (`addRoute`), each
 * optionally tied to an operation of the spec: then its requests and responses are checked against the spec.
 * Idempotency-Key follows Stripe's documentation; faults are injected per route.
 */

export interface DoubleRequest {
    method: string;
    path: string;
    pathParams: Record<string, string>;
    query: Record<string, unknown>;
    body: Record<string, unknown>;
    /** The API key the request authenticated with; objects belong to the key that created them. */
    account: string;
    livemode: boolean;
}

export interface DoubleResponse {
    status: number;
    body: unknown;
    headers?: Record<string, string>;
}

export interface Route {
    /** Names the operation in counters and faults, e.g. `webhook_endpoints.create`. */
    name: string;
    method: "GET" | "POST" | "DELETE";
    /** Path template, `{param}` for a segment, e.g. `/v1/webhook_endpoints/{webhook_endpoint}`. */
    path: string;
    /** Check requests and responses against this operation of the spec (default: the same path and method). */
    spec?: OperationRef | false;
    handle(request: DoubleRequest): DoubleResponse;
}

export type FaultKind =
    | "server-error-500"
    | "unavailable-503"
    | "rate-limited-429"
    | "connection-reset"
    /** The request runs (and its idempotent result is saved), then the connection drops before the response. */
    | "response-lost";

export interface FaultSpec {
    kind: FaultKind;
    /** Route name the fault applies to; default every route. */
    route?: string;
    /** How many matching requests it hits. Default 1. */
    times?: number;
    /** For 429: the Retry-After header in seconds. Default 1. */
    retryAfterSeconds?: number;
    /** Sends `Stripe-Should-Retry` with this value (Stripe's hint the SDK obeys). Default: not sent. */
    shouldRetry?: boolean;
    /** For response-lost: whether idempotent replays lose their response too. Default true. */
    replays?: boolean;
    /** Lets this many matching requests through before the fault starts. Default 0. */
    skip?: number;
}

export interface RequestRecord {
    method: string;
    path: string;
    route: string | undefined;
    idempotencyKey: string | undefined;
    status: number | "connection-reset";
    replayed: boolean;
    fault: FaultKind | undefined;
    /** Spec violations of the request (answered 400) or the response (a bug in the double). */
    specErrors: string[];
}

export interface WebhookEndpointRecord {
    id: string;
    object: "webhook_endpoint";
    api_version: string | null;
    application: string | null;
    created: number;
    description: string | null;
    enabled_events: string[];
    livemode: boolean;
    metadata: Record<string, string>;
    status: "enabled" | "disabled";
    url: string;
}

interface StoredEndpoint {
    account: string;
    endpoint: WebhookEndpointRecord;
    secret: string;
}

interface SavedResult {
    fingerprint: string;
    response: DoubleResponse;
    savedAt: number;
}

const idempotencyWindowMs = 24 * 60 * 60 * 1000;
const maxIdempotencyKeyLength = 255;
const maxEndpointsPerAccount = 16;

export function stripeError(status: number, error: Record<string, string>): DoubleResponse {
    return { status, body: { error } };
}

function notFound(kind: string, id: string, param: string): DoubleResponse {
    return stripeError(404, {
        type: "invalid_request_error",
        code: "resource_missing",
        param,
        message: `No such ${kind}: '${id}'`,
        doc_url: "https://stripe.com/docs/error-codes/resource-missing",
    });
}

function describeSpecError(error: ErrorObject): string {
    return `${error.instancePath || "(body)"} ${error.message ?? "is invalid"}${error.params ? ` ${JSON.stringify(error.params)}` : ""}`;
}

/** Stripe's answer to a request the spec rejects. */
function invalidRequest(errors: ErrorObject[], location: string): DoubleResponse {
    const first = errors[0];
    const param = first ? first.instancePath.replace(/^\//, "").replace(/\//g, ".") : "";
    if (first?.keyword === "additionalProperties" && isRecord(first.params) && typeof first.params.additionalProperty === "string") {
        const unknown = [param, first.params.additionalProperty].filter(Boolean).join(".");
        return stripeError(400, { type: "invalid_request_error", code: "parameter_unknown", param: unknown, message: `Received unknown parameter: ${unknown}` });
    }
    if (first?.keyword === "required" && isRecord(first.params) && typeof first.params.missingProperty === "string") {
        return stripeError(400, { type: "invalid_request_error", code: "parameter_missing", param: first.params.missingProperty, message: `Missing required param: ${first.params.missingProperty}.` });
    }
    return stripeError(400, { type: "invalid_request_error", code: "parameter_invalid", param, message: `Invalid ${location} parameter ${param || "(body)"}: ${first?.message ?? "invalid"}` });
}

function keyMode(authorization: string | undefined): { account: string; livemode: boolean } | undefined {
    const match = /^Bearer ((sk|rk)_(test|live)_[A-Za-z0-9]+)$/.exec(authorization ?? "");
    if (!match || match[1] === undefined) return undefined;
    return { account: match[1], livemode: match[3] === "live" };
}

function maskedKey(authorization: string | undefined): string {
    const key = (authorization ?? "").replace(/^Bearer /, "");
    return key.length > 12 ? `${key.slice(0, 8)}${"*".repeat(key.length - 12)}${key.slice(-4)}` : "****";
}

export interface StripeDoubleOptions {
    /** Clock for `created` and for the 24-hour idempotency window. Default Date.now. */
    now?: () => number;
}

export class StripeDouble {
    readonly requests: RequestRecord[] = [];
    private readonly routes: Route[] = [];
    private readonly faults: FaultSpec[] = [];
    private readonly saved = new Map<string, SavedResult>();
    private readonly endpoints = new Map<string, StoredEndpoint>();
    private readonly validator = new StripeSpecValidator();
    private readonly sockets = new Set<Socket>();
    private readonly now: () => number;
    private server: Server | undefined;
    private port = 0;

    constructor(options: StripeDoubleOptions = {}) {
        this.now = options.now ?? Date.now;
        for (const route of webhookEndpointRoutes(this)) this.addRoute(route);
    }

    /** Adds a route; later work adds payment intents, events, … this way. */
    addRoute(route: Route): void {
        this.routes.push(route);
    }

    async start(): Promise<this> {
        const server = createServer((request, response) => this.receive(request, response));
        server.on("connection", (socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, "127.0.0.1", () => resolve());
        });
        const address = server.address();
        if (address === null || typeof address === "string") throw new Error("Stripe double: no TCP address");
        this.port = (address satisfies AddressInfo).port;
        this.server = server;
        return this;
    }

    async stop(): Promise<void> {
        const server = this.server;
        if (!server) return;
        this.server = undefined;
        for (const socket of this.sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    /** Where the SDK should send requests (`new Stripe(key, apiBase)`). */
    get apiBase(): { host: string; port: number; protocol: "http" } {
        return { host: "127.0.0.1", port: this.port, protocol: "http" };
    }

    get url(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    injectFault(fault: FaultSpec): void {
        this.faults.push({ ...fault, times: fault.times ?? 1 });
    }

    /** Requests received (faulted ones included), optionally only those of one route or method. */
    requestCount(filter: { route?: string; method?: string } = {}): number {
        return this.requests.filter((r) => (filter.route === undefined || r.route === filter.route) && (filter.method === undefined || r.method === filter.method)).length;
    }

    /** POST and DELETE requests received: every call that could change something. */
    get writeCalls(): number {
        return this.requests.filter((r) => r.method === "POST" || r.method === "DELETE").length;
    }

    /** Spec violations found in requests or responses so far. */
    get specErrors(): string[] {
        return this.requests.flatMap((r) => r.specErrors.map((e) => `${r.method} ${r.path}: ${e}`));
    }

    resetCounters(): void {
        this.requests.length = 0;
    }

    /** Forgets everything: objects, saved idempotent results, pending faults, counters. */
    reset(): void {
        this.endpoints.clear();
        this.saved.clear();
        this.faults.length = 0;
        this.resetCounters();
    }

    // -- state, for tests ------------------------------------------------------------------------------------

    webhookEndpoints(): WebhookEndpointRecord[] {
        return [...this.endpoints.values()].map((stored) => ({ ...stored.endpoint }));
    }

    signingSecretOf(id: string): string | undefined {
        return this.endpoints.get(id)?.secret;
    }

    /** Someone deletes the endpoint in the dashboard. */
    deleteOutOfBand(id: string): void {
        this.endpoints.delete(id);
    }

    /** Someone edits the endpoint in the dashboard. */
    editOutOfBand(id: string, change: Partial<Pick<WebhookEndpointRecord, "url" | "enabled_events" | "description" | "status">>): void {
        const stored = this.endpoints.get(id);
        if (!stored) throw new Error(`Stripe double: no endpoint ${id}`);
        Object.assign(stored.endpoint, change);
    }

    // -- webhook endpoint operations (used by the route table) -----------------------------------------------

    createWebhookEndpoint(request: DoubleRequest): DoubleResponse {
        const body = request.body;
        const url = typeof body.url === "string" ? body.url : "";
        let parsed: URL | undefined;
        try {
            parsed = new URL(url);
        } catch {
            parsed = undefined;
        }
        if (!parsed || !["http:", "https:"].includes(parsed.protocol)) {
            return stripeError(400, { type: "invalid_request_error", code: "url_invalid", param: "url", message: "Invalid URL: URL must be publicly accessible." });
        }
        if (request.livemode && parsed.protocol !== "https:") {
            return stripeError(400, { type: "invalid_request_error", code: "url_invalid", param: "url", message: "Invalid URL: live mode endpoints must use HTTPS." });
        }
        const owned = [...this.endpoints.values()].filter((stored) => stored.account === request.account).length;
        if (owned >= maxEndpointsPerAccount) {
            return stripeError(400, { type: "invalid_request_error", message: `You have reached the maximum of ${maxEndpointsPerAccount} ${request.livemode ? "live" : "test"} webhook endpoints.` });
        }
        const endpoint: WebhookEndpointRecord = {
            id: randomId("we_"),
            object: "webhook_endpoint",
            api_version: typeof body.api_version === "string" ? body.api_version : null,
            application: null,
            created: Math.floor(this.now() / 1000),
            description: typeof body.description === "string" && body.description !== "" ? body.description : null,
            enabled_events: Array.isArray(body.enabled_events) ? body.enabled_events.filter((e): e is string => typeof e === "string") : [],
            livemode: request.livemode,
            metadata: isRecord(body.metadata) ? stringRecord(body.metadata) : {},
            status: "enabled",
            url,
        };
        const secret = randomId("whsec_", 32);
        this.endpoints.set(endpoint.id, { account: request.account, endpoint, secret });
        return { status: 200, body: { ...endpoint, secret } };
    }

    private owned(request: DoubleRequest): StoredEndpoint | undefined {
        const stored = this.endpoints.get(request.pathParams.webhook_endpoint ?? "");
        return stored && stored.account === request.account ? stored : undefined;
    }

    retrieveWebhookEndpoint(request: DoubleRequest): DoubleResponse {
        const stored = this.owned(request);
        if (!stored) return notFound("webhook endpoint", request.pathParams.webhook_endpoint ?? "", "webhook_endpoint");
        return { status: 200, body: { ...stored.endpoint } };
    }

    updateWebhookEndpoint(request: DoubleRequest): DoubleResponse {
        const stored = this.owned(request);
        if (!stored) return notFound("webhook endpoint", request.pathParams.webhook_endpoint ?? "", "webhook_endpoint");
        const body = request.body;
        const endpoint = stored.endpoint;
        if (typeof body.url === "string") endpoint.url = body.url;
        if (Array.isArray(body.enabled_events)) endpoint.enabled_events = body.enabled_events.filter((e): e is string => typeof e === "string");
        if (typeof body.description === "string") endpoint.description = body.description === "" ? null : body.description;
        if (typeof body.disabled === "boolean") endpoint.status = body.disabled ? "disabled" : "enabled";
        if (body.metadata === "") endpoint.metadata = {};
        if (isRecord(body.metadata)) {
            // An empty value removes the key, as Stripe does.
            for (const [key, value] of Object.entries(stringRecord(body.metadata))) {
                if (value === "") delete endpoint.metadata[key];
                else endpoint.metadata[key] = value;
            }
        }
        return { status: 200, body: { ...endpoint } };
    }

    deleteWebhookEndpoint(request: DoubleRequest): DoubleResponse {
        const stored = this.owned(request);
        if (!stored) return notFound("webhook endpoint", request.pathParams.webhook_endpoint ?? "", "webhook_endpoint");
        this.endpoints.delete(stored.endpoint.id);
        return { status: 200, body: { id: stored.endpoint.id, object: "webhook_endpoint", deleted: true } };
    }

    listWebhookEndpoints(request: DoubleRequest): DoubleResponse {
        const limit = typeof request.query.limit === "number" ? request.query.limit : 10;
        if (limit < 1 || limit > 100) {
            return stripeError(400, { type: "invalid_request_error", code: "parameter_invalid_integer", param: "limit", message: "Invalid integer: limit must be between 1 and 100" });
        }
        const all = [...this.endpoints.values()]
            .filter((stored) => stored.account === request.account)
            .map((stored) => stored.endpoint)
            .reverse();
        let start = 0;
        let end = all.length;
        if (typeof request.query.starting_after === "string") start = all.findIndex((e) => e.id === request.query.starting_after) + 1;
        if (typeof request.query.ending_before === "string") end = Math.max(0, all.findIndex((e) => e.id === request.query.ending_before));
        const window = request.query.ending_before !== undefined ? all.slice(Math.max(start, end - limit), end) : all.slice(start, Math.min(end, start + limit));
        const hasMore = request.query.ending_before !== undefined ? end - limit > start : start + limit < end;
        return { status: 200, body: { object: "list", url: "/v1/webhook_endpoints", has_more: hasMore, data: window.map((e) => ({ ...e })) } };
    }

    // -- HTTP ------------------------------------------------------------------------------------------------

    private receive(request: IncomingMessage, response: ServerResponse): void {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => this.answer(request, response, Buffer.concat(chunks).toString("utf8")));
    }

    private match(method: string, path: string): { route: Route; pathParams: Record<string, string> } | undefined {
        for (const route of this.routes) {
            if (route.method !== method) continue;
            const names: string[] = [];
            const pattern = new RegExp(`^${route.path.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
                names.push(name);
                return "([^/]+)";
            })}$`);
            const found = pattern.exec(path);
            if (!found) continue;
            const pathParams: Record<string, string> = {};
            names.forEach((name, index) => {
                pathParams[name] = decodeURIComponent(found[index + 1] ?? "");
            });
            return { route, pathParams };
        }
        return undefined;
    }

    private takeFault(routeName: string | undefined, stage: "before" | "after", replayed = false): FaultSpec | undefined {
        const index = this.faults.findIndex((fault) =>
            (fault.route === undefined || fault.route === routeName) &&
            (fault.kind === "response-lost") === (stage === "after") &&
            (stage === "before" || !replayed || fault.replays !== false));
        if (index === -1) return undefined;
        const fault = this.faults[index];
        if (!fault) return undefined;
        if ((fault.skip ?? 0) > 0) {
            fault.skip = (fault.skip ?? 0) - 1;
            return undefined;
        }
        const remaining = (fault.times ?? 1) - 1;
        if (remaining <= 0) this.faults.splice(index, 1);
        else fault.times = remaining;
        return fault;
    }

    private answer(request: IncomingMessage, response: ServerResponse, rawBody: string): void {
        const method = request.method ?? "GET";
        const target = new URL(request.url ?? "/", "http://127.0.0.1");
        const headerKey = request.headers["idempotency-key"];
        const idempotencyKey = typeof headerKey === "string" ? headerKey : undefined;
        const matched = this.match(method, target.pathname);
        const record: RequestRecord = {
            method, path: target.pathname, route: matched?.route.name, idempotencyKey,
            status: 0, replayed: false, fault: undefined, specErrors: [],
        };
        this.requests.push(record);

        const send = (result: DoubleResponse): void => {
            record.status = result.status;
            if (matched && matched.route.spec !== false) {
                const check = this.validator.response(this.operationOf(matched.route), result.status, result.body);
                record.specErrors.push(...check.errors.map((e) => `response ${describeSpecError(e)}`));
            }
            const headers: Record<string, string> = { "content-type": "application/json", "request-id": randomId("req_", 14), ...result.headers };
            response.writeHead(result.status, headers);
            response.end(JSON.stringify(result.body));
        };
        const resetConnection = (): void => {
            record.status = "connection-reset";
            request.socket.destroy();
        };

        const fault = this.takeFault(matched?.route.name, "before");
        record.fault = fault?.kind;
        const loseResponse = (replayed: boolean): boolean => {
            const lost = this.takeFault(matched?.route.name, "after", replayed);
            if (lost) record.fault = lost.kind;
            return lost !== undefined;
        };
        const retryHint: Record<string, string> = fault?.shouldRetry === undefined ? {} : { "stripe-should-retry": String(fault.shouldRetry) };
        switch (fault?.kind) {
            case "server-error-500":
                return send({ status: 500, headers: retryHint, body: { error: { type: "api_error", message: "An unknown error occurred" } } });
            case "unavailable-503":
                return send({ status: 503, headers: retryHint, body: { error: { type: "api_error", message: "The service is temporarily unavailable." } } });
            case "rate-limited-429":
                return send({
                    status: 429,
                    headers: { ...retryHint, "retry-after": String(fault.retryAfterSeconds ?? 1) },
                    body: { error: { type: "invalid_request_error", code: "rate_limit", message: "Too many requests hit the API too quickly." } },
                });
            case "connection-reset":
                return resetConnection();
            default:
                break;
        }

        const auth = keyMode(request.headers.authorization);
        if (!auth) {
            return send(stripeError(401, {
                type: "invalid_request_error",
                message: request.headers.authorization ? `Invalid API Key provided: ${maskedKey(request.headers.authorization)}` : "You did not provide an API key.",
            }));
        }
        if (!matched) {
            return send(stripeError(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${target.pathname}).` }));
        }
        const contentType = request.headers["content-type"] ?? "";
        if (rawBody !== "" && !contentType.startsWith("application/x-www-form-urlencoded")) {
            return send(stripeError(400, { type: "invalid_request_error", message: "Invalid request: Stripe accepts form-encoded bodies (application/x-www-form-urlencoded)." }));
        }

        const operation = this.operationOf(matched.route);
        const query: Record<string, unknown> = { ...decodeQuery(target.search) };
        const body: Record<string, FormValue> = decodeForm(rawBody);
        const pathParams: Record<string, string> = { ...matched.pathParams };
        if (matched.route.spec !== false) {
            const checks: { location: string; run: () => SpecCheck }[] = [
                { location: "path", run: () => this.validator.parameters(operation, "path", pathParams) },
                { location: "query", run: () => this.validator.parameters(operation, "query", query) },
                { location: "body", run: () => this.validator.requestBody(operation, body) },
            ];
            for (const { location, run } of checks) {
                const result = run();
                if (!result.valid) {
                    record.specErrors.push(...result.errors.map((e) => `request ${location} ${describeSpecError(e)}`));
                    // Parameters that fail validation are rejected before the API runs: no idempotent result is saved.
                    return send(invalidRequest(result.errors, location));
                }
            }
        }

        if (method === "POST" && idempotencyKey !== undefined) {
            if (idempotencyKey.length > maxIdempotencyKeyLength) {
                return send(stripeError(400, { type: "invalid_request_error", message: `Invalid idempotency key: keys may be at most ${maxIdempotencyKeyLength} characters.` }));
            }
            const savedKey = `${auth.account}\u0000${idempotencyKey}`;
            const fingerprint = JSON.stringify([method, target.pathname, body]);
            const saved = this.saved.get(savedKey);
            if (saved && this.now() - saved.savedAt < idempotencyWindowMs) {
                if (saved.fingerprint !== fingerprint) {
                    return send(stripeError(400, {
                        type: "idempotency_error",
                        message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
                    }));
                }
                record.replayed = true;
                const replay = { ...saved.response, headers: { ...saved.response.headers, "idempotent-replayed": "true" } };
                if (loseResponse(true)) return resetConnection();
                return send(replay);
            }
            const result = matched.route.handle({ method, path: target.pathname, pathParams, query, body, account: auth.account, livemode: auth.livemode });
            // The API began executing, so the result is saved whatever its status, as Stripe documents.
            this.saved.set(savedKey, { fingerprint, response: result, savedAt: this.now() });
            if (loseResponse(false)) return resetConnection();
            return send({ ...result, headers: { ...result.headers, "idempotency-key": idempotencyKey } });
        }

        const result = matched.route.handle({ method, path: target.pathname, pathParams, query, body, account: auth.account, livemode: auth.livemode });
        if (loseResponse(false)) return resetConnection();
        return send(result);
    }

    private operationOf(route: Route): OperationRef {
        if (route.spec) return route.spec;
        const method = route.method === "GET" ? "get" : route.method === "POST" ? "post" : "delete";
        return { path: route.path, method };
    }
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
        if (typeof item === "string") result[key] = item;
    }
    return result;
}

function webhookEndpointRoutes(double: StripeDouble): Route[] {
    const collection = "/v1/webhook_endpoints";
    const item = "/v1/webhook_endpoints/{webhook_endpoint}";
    return [
        { name: "webhook_endpoints.create", method: "POST", path: collection, handle: (r) => double.createWebhookEndpoint(r) },
        { name: "webhook_endpoints.list", method: "GET", path: collection, handle: (r) => double.listWebhookEndpoints(r) },
        { name: "webhook_endpoints.retrieve", method: "GET", path: item, handle: (r) => double.retrieveWebhookEndpoint(r) },
        { name: "webhook_endpoints.update", method: "POST", path: item, handle: (r) => double.updateWebhookEndpoint(r) },
        { name: "webhook_endpoints.delete", method: "DELETE", path: item, handle: (r) => double.deleteWebhookEndpoint(r) },
    ];
}

export async function startStripeDouble(options: StripeDoubleOptions = {}): Promise<StripeDouble> {
    return new StripeDouble(options).start();
}
