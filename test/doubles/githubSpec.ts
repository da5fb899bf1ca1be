import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { nullableAsJsonSchema } from "./stripeSpec3.js";

/**
 * GitHub's REST description as `@octokit/openapi` ships it (OpenAPI 3.0), narrowed to the operations the
 * blocker commands use: their parameters, request bodies and responses are compiled with ajv, with every
 * component schema they reach.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isJsonObject(value: Json | undefined): value is JsonObject {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface GitHubOperation {
    path: string;
    method: "get" | "post" | "patch" | "put" | "delete";
}

let cachedSpec: JsonObject | undefined;
function loadSpec(): JsonObject {
    if (!cachedSpec) {
        const parsed: Json = JSON.parse(readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8"));
        if (!isJsonObject(parsed)) throw new Error("@octokit/openapi: not an OpenAPI document");
        cachedSpec = parsed;
    }
    return cachedSpec;
}

function schemaClosure(node: Json, schemas: JsonObject, found: Set<string>): void {
    if (Array.isArray(node)) {
        for (const item of node) schemaClosure(item, schemas, found);
    } else if (isJsonObject(node)) {
        for (const [key, value] of Object.entries(node)) {
            if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")) {
                const name = value.slice("#/components/schemas/".length);
                if (!found.has(name)) {
                    found.add(name);
                    schemaClosure(schemas[name] ?? null, schemas, found);
                }
            } else {
                schemaClosure(value, schemas, found);
            }
        }
    }
}

export interface SpecCheck {
    valid: boolean;
    errors: ErrorObject[];
}

export class GitHubSpecValidator {
    private readonly operations = new Map<string, JsonObject>();
    private readonly parameters: JsonObject;
    // Path and query values arrive as strings: coerced to the spec's types, as GitHub reads them. Bodies are JSON: never coerced.
    private readonly parameterAjv = new Ajv({ strict: false, coerceTypes: true, allErrors: true, logger: false });
    private readonly bodyAjv = new Ajv({ strict: false, allErrors: true, logger: false });
    private readonly responseAjv = new Ajv({ strict: false, allErrors: true, logger: false });
    private readonly cache = new Map<string, ValidateFunction>();

    constructor(operations: readonly GitHubOperation[]) {
        const spec = loadSpec();
        const paths = isJsonObject(spec["paths"]) ? spec["paths"] : {};
        const components = isJsonObject(spec["components"]) ? spec["components"] : {};
        const allSchemas = isJsonObject(components["schemas"]) ? components["schemas"] : {};
        this.parameters = isJsonObject(components["parameters"]) ? components["parameters"] : {};
        const found = new Set<string>();
        for (const op of operations) {
            const item = paths[op.path];
            const operation = isJsonObject(item) ? item[op.method] : undefined;
            if (!isJsonObject(operation)) throw new Error(`GitHub's description has no ${op.method.toUpperCase()} ${op.path}`);
            this.operations.set(`${op.method} ${op.path}`, operation);
            schemaClosure(operation, allSchemas, found);
            schemaClosure(this.parameters, allSchemas, found);
        }
        const schemas: JsonObject = {};
        for (const name of found) schemas[name] = allSchemas[name] ?? {};
        const converted = schemaObject(nullableAsJsonSchema({ $id: "github", components: { schemas } }));
        for (const ajv of [this.parameterAjv, this.bodyAjv, this.responseAjv]) {
            addFormats(ajv);
            for (const format of ["int32", "int64", "uri-template", "repo.nwo", "ssh-key", "ssh-key fingerprint", "html"]) ajv.addFormat(format, true);
            ajv.addSchema(converted);
        }
    }

    private operation(op: GitHubOperation): JsonObject {
        const found = this.operations.get(`${op.method} ${op.path}`);
        if (!found) throw new Error(`${op.method.toUpperCase()} ${op.path} was not selected for this validator`);
        return found;
    }

    private compiled(key: string, ajv: Ajv, schema: Json): ValidateFunction {
        let validate = this.cache.get(key);
        if (!validate) {
            validate = ajv.compile(schemaObject(rebase(nullableAsJsonSchema(schema))));
            this.cache.set(key, validate);
        }
        return validate;
    }

    private check(validate: ValidateFunction, data: unknown): SpecCheck {
        const valid = validate(data);
        return { valid, errors: valid ? [] : [...(validate.errors ?? [])] };
    }

    /** Path or query parameters (query values coerced to the spec's types in place). */
    checkParameters(op: GitHubOperation, location: "path" | "query", values: Record<string, unknown>): SpecCheck {
        const properties: JsonObject = {};
        const required: string[] = [];
        const listed = this.operation(op)["parameters"];
        for (const entry of Array.isArray(listed) ? listed : []) {
            const ref = isJsonObject(entry) ? entry["$ref"] : undefined;
            const parameter = typeof ref === "string" ? this.parameters[ref.replace("#/components/parameters/", "")] : entry;
            if (!isJsonObject(parameter) || parameter["in"] !== location || typeof parameter["name"] !== "string") continue;
            properties[parameter["name"]] = parameter["schema"] ?? {};
            if (parameter["required"] === true) required.push(parameter["name"]);
        }
        const schema: Json = { type: "object", properties, required, additionalProperties: false };
        return this.check(this.compiled(`${location} ${op.method} ${op.path}`, this.parameterAjv, schema), values);
    }

    checkRequestBody(op: GitHubOperation, body: unknown): SpecCheck {
        const content = this.operation(op)["requestBody"];
        const media = isJsonObject(content) && isJsonObject(content["content"]) ? content["content"]["application/json"] : undefined;
        const schema = isJsonObject(media) ? media["schema"] : undefined;
        if (schema === undefined) return body === undefined ? { valid: true, errors: [] } : { valid: false, errors: [] };
        return this.check(this.compiled(`body ${op.method} ${op.path}`, this.bodyAjv, schema ?? {}), body);
    }

    /** The response for a status the operation documents; an undocumented status is itself a failure. */
    checkResponse(op: GitHubOperation, status: number, body: unknown): SpecCheck {
        const responses = this.operation(op)["responses"];
        const response = isJsonObject(responses) ? responses[String(status)] : undefined;
        if (!isJsonObject(response))
            return {
                valid: false,
                errors: [{ instancePath: "", schemaPath: "#/responses", keyword: "status", params: { status }, message: `status ${status} is not documented` }],
            };
        const media = isJsonObject(response["content"]) ? response["content"]["application/json"] : undefined;
        const schema = isJsonObject(media) ? media["schema"] : undefined;
        if (schema === undefined) return { valid: true, errors: [] };
        return this.check(this.compiled(`response ${status} ${op.method} ${op.path}`, this.responseAjv, schema ?? {}), body);
    }
}

function schemaObject(node: Json): JsonObject {
    if (!isJsonObject(node)) throw new Error("unreachable: a schema is an object");
    return node;
}

/** Local `$ref`s point into the schema registered under `$id: github`. */
function rebase(node: Json): Json {
    if (Array.isArray(node)) return node.map(rebase);
    if (!isJsonObject(node)) return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node))
        out[key] = key === "$ref" && typeof value === "string" && value.startsWith("#/") ? `github${value}` : rebase(value);
    return out;
}
