import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import type { SpecCheck } from "./stripeSpec.js";
import { pointer } from "../support/values.js";

/**
 * Stripe's full OpenAPI description (`../shared/specs/stripe-spec3.2023-08-16.yaml`, 4.2 MB), for the
 * operations the trimmed webhook-endpoint spec does not cover (payment intents, events). Prism cannot start on
 * the whole file, so this reads it with a YAML parser once (≈2 s), caches the parse as JSON beside
 * node_modules keyed by the file's hash, and compiles only the schemas the named operations reach.
 */

const specFile = join("shared", "specs", "stripe-spec3.2023-08-16.yaml");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isJsonObject(value: Json | undefined): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function findUp(relative: string): string {
    for (let folder = __dirname; folder !== dirname(folder); folder = dirname(folder)) {
        const candidate = join(dirname(folder), relative);
        if (existsSync(candidate)) return candidate;
    }
    throw new Error(`${relative} not found beside any folder above ${__dirname}`);
}

function projectRoot(): string {
    for (let folder = __dirname; folder !== dirname(folder); folder = dirname(folder)) {
        if (existsSync(join(folder, "package.json")) && existsSync(join(folder, "node_modules"))) return folder;
    }
    throw new Error(`no project folder above ${__dirname}`);
}

export const stripeSpec3Path = findUp(specFile);

/**
 * Converts the YAML to JSON in a plain Node process: inside a vitest worker the same parse took minutes
 * instead of seconds (measured), so the worker only ever reads the JSON.
 */
function convertSpecToJson(cacheFile: string): void {
    mkdirSync(dirname(cacheFile), { recursive: true });
    // Test files run in parallel forks: write aside, then rename, so no reader sees half a file.
    const partial = `${cacheFile}.${process.pid}.tmp`;
    const script = [
        "const fs = require('node:fs');",
        `const { parse } = require(${JSON.stringify(require.resolve("yaml"))});`,
        `const spec = parse(fs.readFileSync(${JSON.stringify(stripeSpec3Path)}, "utf8"));`,
        `fs.writeFileSync(${JSON.stringify(partial)}, JSON.stringify(spec));`,
    ].join("\n");
    execFileSync(process.execPath, ["-e", script], { stdio: ["ignore", "ignore", "inherit"], timeout: 120_000 });
    renameSync(partial, cacheFile);
}

/** The parsed spec, from the JSON cache when the YAML has not changed since it was written. */
export function loadStripeSpec3(): JsonObject {
    const digest = createHash("sha256").update(readFileSync(stripeSpec3Path)).digest("hex").slice(0, 16);
    const cacheFile = join(projectRoot(), "node_modules", ".cache", "vauntico", `stripe-spec3-${digest}.json`);
    if (!existsSync(cacheFile)) convertSpecToJson(cacheFile);
    const parsed: Json = JSON.parse(readFileSync(cacheFile, "utf8"));
    if (!isJsonObject(parsed)) throw new Error(`${cacheFile}: not an OpenAPI document; delete it to rebuild`);
    return parsed;
}

/**
 * OpenAPI 3.0's `nullable: true` as JSON Schema: ajv reads `nullable` only beside `type`, and Stripe writes it
 * beside `anyOf` (expandable fields) too, so null becomes an explicit alternative.
 */
export function nullableAsJsonSchema(node: Json): Json {
    if (Array.isArray(node)) return node.map(nullableAsJsonSchema);
    if (!isJsonObject(node)) return node;
    const converted: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
        if (key !== "nullable") converted[key] = nullableAsJsonSchema(value);
    }
    if (node["nullable"] !== true) return converted;
    const type = converted["type"];
    if (typeof type === "string") {
        converted["type"] = [type, "null"];
        const values = converted["enum"];
        if (Array.isArray(values) && !values.includes(null)) converted["enum"] = [...values, null];
        return converted;
    }
    const alternatives = converted["anyOf"] ?? converted["oneOf"];
    if (Array.isArray(alternatives)) {
        const key = converted["anyOf"] !== undefined ? "anyOf" : "oneOf";
        converted[key] = [...alternatives, { type: "null" }];
        return converted;
    }
    return { anyOf: [converted, { type: "null" }] };
}

export interface Spec3Operation {
    /** Path template as the spec writes it, e.g. `/v1/events/{id}`. */
    path: string;
    method: "get" | "post" | "delete";
}

/** The names of every component schema `node` reaches through `$ref`, transitively. */
function schemaClosure(node: Json, schemas: JsonObject, found = new Set<string>()): Set<string> {
    if (Array.isArray(node)) {
        for (const item of node) schemaClosure(item, schemas, found);
    } else if (isJsonObject(node)) {
        for (const [key, value] of Object.entries(node)) {
            if (key === "$ref" && typeof value === "string") {
                const name = value.replace("#/components/schemas/", "");
                if (!found.has(name)) {
                    found.add(name);
                    schemaClosure(schemas[name] ?? null, schemas, found);
                }
            } else {
                schemaClosure(value, schemas, found);
            }
        }
    }
    return found;
}

/** Checks requests and responses of a few operations of the full spec; compiled once per validator. */
export class StripeSpec3Validator {
    private readonly document: JsonObject;
    // Query values arrive as strings; coercion reads them with the spec's types, as Stripe does.
    private readonly requestAjv = new Ajv({ strict: false, coerceTypes: true, allErrors: true });
    private readonly responseAjv = new Ajv({ strict: false, allErrors: true });
    private readonly cache = new Map<string, ValidateFunction>();

    constructor(operations: readonly Spec3Operation[], spec: JsonObject = loadStripeSpec3()) {
        const paths = isJsonObject(spec["paths"]) ? spec["paths"] : {};
        const components = isJsonObject(spec["components"]) ? spec["components"] : {};
        const allSchemas = isJsonObject(components["schemas"]) ? components["schemas"] : {};
        const selectedPaths: JsonObject = {};
        for (const { path, method } of operations) {
            const item = paths[path];
            const operation = isJsonObject(item) ? item[method] : undefined;
            if (!isJsonObject(operation)) throw new Error(`The Stripe spec has no ${method.toUpperCase()} ${path}`);
            const existing = selectedPaths[path];
            selectedPaths[path] = { ...(isJsonObject(existing) ? existing : {}), [method]: operation };
        }
        const schemas: JsonObject = {};
        for (const name of schemaClosure(selectedPaths, allSchemas)) schemas[name] = allSchemas[name] ?? {};
        const converted = nullableAsJsonSchema({ $id: "stripe3", paths: selectedPaths, components: { schemas } });
        if (!isJsonObject(converted)) throw new Error("unreachable: the spec subset is an object");
        this.document = converted;
        for (const ajv of [this.requestAjv, this.responseAjv]) {
            ajv.addFormat("unix-time", { type: "number", validate: (value: number) => Number.isInteger(value) });
            ajv.addFormat("decimal", { type: "string", validate: (value: string) => /^-?\d+(\.\d+)?$/.test(value) });
            ajv.addSchema(converted);
        }
    }

    /** How many component schemas the selected operations reach (the compiled closure). */
    get schemaCount(): number {
        const components = this.document["components"];
        const schemas = isJsonObject(components) ? components["schemas"] : undefined;
        return isJsonObject(schemas) ? Object.keys(schemas).length : 0;
    }

    private operation(ref: Spec3Operation): JsonObject {
        const paths = this.document["paths"];
        const item = isJsonObject(paths) ? paths[ref.path] : undefined;
        const operation = isJsonObject(item) ? item[ref.method] : undefined;
        if (!isJsonObject(operation)) throw new Error(`${ref.method.toUpperCase()} ${ref.path} was not selected for this validator`);
        return operation;
    }

    private compiled(key: string, ajv: Ajv, schema: object): ValidateFunction {
        let validate = this.cache.get(key);
        if (!validate) {
            validate = ajv.compile(schema);
            this.cache.set(key, validate);
        }
        return validate;
    }

    private check(validate: ValidateFunction, data: unknown): SpecCheck {
        const valid = validate(data);
        return { valid, errors: valid ? [] : [...(validate.errors ?? [])] };
    }

    /** Checks (and coerces in place) the query or path parameters. */
    parameters(ref: Spec3Operation, location: "query" | "path", values: Record<string, unknown>): SpecCheck {
        const parameters = this.operation(ref)["parameters"];
        const properties: JsonObject = {};
        const required: string[] = [];
        for (const parameter of Array.isArray(parameters) ? parameters : []) {
            if (!isJsonObject(parameter) || parameter["in"] !== location || typeof parameter["name"] !== "string") continue;
            properties[parameter["name"]] = parameter["schema"] ?? {};
            if (parameter["required"] === true) required.push(parameter["name"]);
        }
        const schema = { type: "object", properties, required, additionalProperties: false };
        return this.check(this.compiled(`${location} ${ref.method} ${ref.path}`, this.requestAjv, schema), values);
    }

    /** Checks a decoded form body (GET operations take none: the spec's schema is an empty object). */
    requestBody(ref: Spec3Operation, body: Record<string, unknown>): SpecCheck {
        const schemaRef = `stripe3#/${pointer("paths", ref.path, ref.method, "requestBody", "content", "application/x-www-form-urlencoded", "schema")}`;
        return this.check(this.compiled(`body ${ref.method} ${ref.path}`, this.requestAjv, { $ref: schemaRef }), body);
    }

    /** Checks a response body against the operation's schema for its status (`200`, else `default`). */
    response(ref: Spec3Operation, status: number, body: unknown): SpecCheck {
        const responses = this.operation(ref)["responses"];
        const key = isJsonObject(responses) && String(status) in responses ? String(status) : "default";
        const schemaRef = `stripe3#/${pointer("paths", ref.path, ref.method, "responses", key, "content", "application/json", "schema")}`;
        return this.check(this.compiled(`response ${key} ${ref.method} ${ref.path}`, this.responseAjv, { $ref: schemaRef }), body);
    }
}
