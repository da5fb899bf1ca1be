import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { sdkApiVersions } from "../../components/stripe/sdkApiVersions.js";
import { sdkEnabledEvents } from "../../components/stripe/sdkEventTypes.js";
import { pointer } from "../support/values.js";

const specFile = join("shared", "specs", "stripe-webhook-endpoints.trimmed.json");

/** Finds `../shared/specs/…` beside the project folder, from the source tree or from `dist/`. */
function findSpec(): string {
    for (let folder = __dirname; folder !== dirname(folder); folder = dirname(folder)) {
        const candidate = join(dirname(folder), specFile);
        if (existsSync(candidate)) return candidate;
    }
    throw new Error(`${specFile} not found beside any folder above ${__dirname}`);
}

/** The trimmed Stripe OpenAPI description the double's requests and responses are checked against. */
export const stripeSpecPath = findSpec();

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isJsonObject(value: Json | undefined): value is { [key: string]: Json } {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The spec is from 2023: its `api_version` and `enabled_events` enums lag the API (and the SDK we pin).
 * Stripe marks exactly those enums `x-stripeBypassValidation`, so wherever that mark sits the double accepts
 * the union of the spec's values and the pinned SDK's list for that field; every other enum stays as written,
 * and a name in neither list is still rejected as Stripe would.
 */
export function relaxLaggingEnums(node: Json, path: string[] = []): Json {
    if (Array.isArray(node)) {
        return node.map((item, index) => relaxLaggingEnums(item, [...path, String(index)]));
    }
    if (!isJsonObject(node)) {
        return node;
    }
    const relaxed: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) {
        relaxed[key] = relaxLaggingEnums(value, [...path, key]);
    }
    const specEnum = node.enum;
    if (node["x-stripeBypassValidation"] === true && Array.isArray(specEnum)) {
        const field = path.includes("enabled_events") ? sdkEnabledEvents : path.includes("api_version") ? sdkApiVersions : [];
        relaxed.enum = [...new Set([...specEnum, ...field])];
    }
    return relaxed;
}

function loadSpec(): Json {
    const parsed: Json = JSON.parse(readFileSync(stripeSpecPath, "utf8"));
    return relaxLaggingEnums(parsed);
}

export interface OperationRef {
    /** Path template as the spec writes it, e.g. `/v1/webhook_endpoints/{webhook_endpoint}`. */
    path: string;
    method: "get" | "post" | "delete";
}

export interface SpecCheck {
    valid: boolean;
    errors: ErrorObject[];
}

function check(validate: ValidateFunction, data: unknown): SpecCheck {
    const valid = validate(data);
    return { valid, errors: valid ? [] : [...(validate.errors ?? [])] };
}

/** Validators compiled from the spec, one set per operation, created lazily and cached. */
export class StripeSpecValidator {
    private readonly spec: Json = loadSpec();
    // Form values arrive as strings; coercion lets the spec's boolean/integer types read them as Stripe does.
    private readonly requestAjv = new Ajv({ strict: false, coerceTypes: true, allErrors: true });
    private readonly responseAjv = new Ajv({ strict: false, allErrors: true });
    private readonly cache = new Map<string, ValidateFunction>();

    constructor() {
        for (const ajv of [this.requestAjv, this.responseAjv]) {
            ajv.addFormat("unix-time", { type: "number", validate: (value: number) => Number.isInteger(value) });
            ajv.addSchema({ ...this.asObject(this.spec), $id: "stripe" });
        }
    }

    private asObject(value: Json): { [key: string]: Json } {
        if (!isJsonObject(value)) throw new Error("The Stripe spec is not a JSON object");
        return value;
    }

    private operation(ref: OperationRef): { [key: string]: Json } {
        const paths = this.asObject(this.spec).paths;
        const item = isJsonObject(paths) ? paths[ref.path] : undefined;
        const operation = isJsonObject(item) ? item[ref.method] : undefined;
        if (!isJsonObject(operation)) throw new Error(`The Stripe spec has no ${ref.method.toUpperCase()} ${ref.path}`);
        return operation;
    }

    private compiled(cacheKey: string, ajv: Ajv, schema: object): ValidateFunction {
        let validate = this.cache.get(cacheKey);
        if (!validate) {
            validate = ajv.compile(schema);
            this.cache.set(cacheKey, validate);
        }
        return validate;
    }

    /** Checks (and coerces in place) a decoded form body. */
    requestBody(ref: OperationRef, body: Record<string, unknown>): SpecCheck {
        const ref$ = `stripe#/${pointer("paths", ref.path, ref.method, "requestBody", "content", "application/x-www-form-urlencoded", "schema")}`;
        return check(this.compiled(`body ${ref.method} ${ref.path}`, this.requestAjv, { $ref: ref$ }), body);
    }

    /** Checks (and coerces in place) the query and path parameters. */
    parameters(ref: OperationRef, location: "query" | "path", values: Record<string, unknown>): SpecCheck {
        const parameters = this.operation(ref).parameters;
        const properties: { [key: string]: Json } = {};
        const required: string[] = [];
        for (const parameter of Array.isArray(parameters) ? parameters : []) {
            if (!isJsonObject(parameter) || parameter.in !== location || typeof parameter.name !== "string") continue;
            properties[parameter.name] = parameter.schema ?? {};
            if (parameter.required === true) required.push(parameter.name);
        }
        const schema = { type: "object", properties, required, additionalProperties: false };
        return check(this.compiled(`${location} ${ref.method} ${ref.path}`, this.requestAjv, schema), values);
    }

    /** Checks a response body against the operation's schema for its status (`200`, else `default`). */
    response(ref: OperationRef, status: number, body: unknown): SpecCheck {
        const responses = this.operation(ref).responses;
        const key = isJsonObject(responses) && String(status) in responses ? String(status) : "default";
        const ref$ = `stripe#/${pointer("paths", ref.path, ref.method, "responses", key, "content", "application/json", "schema")}`;
        return check(this.compiled(`response ${key} ${ref.method} ${ref.path}`, this.responseAjv, { $ref: ref$ }), body);
    }
}
