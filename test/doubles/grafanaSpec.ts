import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/**
 * Grafana's own API descriptions (../shared/specs, see its README) as validators for the Grafana double:
 * - `grafana-alerting-dashboards.trimmed.json` (OpenAPI 3, `servers: /api`): dashboards, folders, `/ds/query`
 *   and provisioning; its non-provisioning paths are served under `/api`, the provisioning paths as spelled;
 * - `grafana-alerting-runtime.trimmed.json` (Swagger 2, absolute paths): receiver tests, rule and alert state.
 * Quirks handled here, each the smallest change that lets a real Grafana answer validate:
 * - `EmbeddedContactPoint.type` lists its values with a leading space (`" slack"`); a server sends `"slack"`,
 *   so the trimmed values are accepted too;
 * - the same enum predates Grafana's `oncall` integration (Grafana IRM), which the stack's critical contact
 *   points use; `oncall` is accepted too;
 * - the runtime description documents no 401; Grafana's auth middleware answers every `/api` path alike, so
 *   a 401 there is checked against the dashboards description's `ErrorResponseBody`;
 * - `QueryDataResponse` describes Go field names (`Responses`, `Frames`, `Fields`), not the wire format
 *   (`results`, `frames`, `schema`/`data`); it requires nothing, so the wire format validates, and the double
 *   answers the wire format real clients read.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

const specNames = { dashboards: "grafana-alerting-dashboards.trimmed.json", runtime: "grafana-alerting-runtime.trimmed.json" } as const;
type SpecName = keyof typeof specNames;

function findSpec(file: string): string {
    const relative = join("shared", "specs", file);
    for (let folder = __dirname; folder !== dirname(folder); folder = dirname(folder)) {
        const candidate = join(dirname(folder), relative);
        if (existsSync(candidate)) return candidate;
    }
    throw new Error(`${relative} not found beside any folder above ${__dirname}`);
}

/** Adds the trimmed value beside every enum value that carries stray leading/trailing spaces. */
function trimEnums(node: Json): Json {
    if (Array.isArray(node)) return node.map(trimEnums);
    if (!isObject(node)) return node;
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) out[key] = trimEnums(value);
    const values = node["enum"];
    if (Array.isArray(values)) out["enum"] = [...new Set([...values, ...values.map((v) => (typeof v === "string" ? v.trim() : v))])];
    return out;
}

function pointer(...segments: string[]): string {
    return segments.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

export interface SpecCheck {
    valid: boolean;
    errors: string[];
}

export interface GrafanaOperation {
    spec: SpecName;
    /** Path template as the description spells it. */
    path: string;
    method: "get" | "post" | "put" | "delete";
}

function describe(errors: readonly ErrorObject[] | null | undefined): string[] {
    return (errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message ?? "is invalid"}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}

export class GrafanaSpecValidator {
    private readonly docs: Record<SpecName, { [key: string]: Json }>;
    // `unicodeRegExp: false`: the descriptions write patterns for Go's regexp (`[a-zA-Z0-9\-\_]`), which the `u` flag rejects.
    private readonly ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    private readonly cache = new Map<string, ValidateFunction>();

    constructor() {
        const load = (name: SpecName): { [key: string]: Json } => {
            const parsed = trimEnums(JSON.parse(readFileSync(findSpec(specNames[name]), "utf8")));
            if (!isObject(parsed)) throw new Error(`${specNames[name]} is not a JSON object`);
            return parsed;
        };
        this.docs = { dashboards: load("dashboards"), runtime: load("runtime") };
        const type = this.contactPointType();
        if (Array.isArray(type["enum"])) type["enum"] = [...type["enum"], "oncall"];
        addFormats(this.ajv);
        for (const format of ["int64", "int32", "double", "float"]) if (this.ajv.formats[format] === undefined) this.ajv.addFormat(format, true);
        for (const name of ["dashboards", "runtime"] as const) this.ajv.addSchema({ ...this.docs[name], $id: name });
    }

    private contactPointType(): { [key: string]: Json } {
        const components = this.docs.dashboards["components"];
        const schemas = isObject(components) ? components["schemas"] : undefined;
        const point = isObject(schemas) ? schemas["EmbeddedContactPoint"] : undefined;
        const properties = isObject(point) ? point["properties"] : undefined;
        const type = isObject(properties) ? properties["type"] : undefined;
        if (!isObject(type)) throw new Error("EmbeddedContactPoint.type not found in the dashboards description");
        return type;
    }

    /** The operation a served method and path belong to (`/api/ds/query` → `/ds/query` of the dashboards file). */
    operation(method: string, servedPath: string): { operation: GrafanaOperation; pathParams: Record<string, string> } | undefined {
        const lower = method.toLowerCase();
        if (lower !== "get" && lower !== "post" && lower !== "put" && lower !== "delete") return undefined;
        for (const spec of ["runtime", "dashboards"] as const) {
            const paths = this.docs[spec]["paths"];
            if (!isObject(paths)) continue;
            for (const [template, item] of Object.entries(paths)) {
                if (!isObject(item) || !isObject(item[lower])) continue;
                const served = spec === "dashboards" && !template.startsWith("/api/") ? `/api${template}` : template;
                const names: string[] = [];
                const pattern = new RegExp(
                    `^${served.replace(/\{([^}]+)\}/g, (_w, name: string) => {
                        names.push(name);
                        return "([^/]+)";
                    })}$`,
                );
                const found = pattern.exec(servedPath);
                // A literal path (`…/grafana/…`) wins over a templated one (`…/{DatasourceUID}/…`).
                if (!found || (names.length > 0 && this.literalMatch(spec, lower, servedPath))) continue;
                const pathParams: Record<string, string> = {};
                names.forEach((name, i) => {
                    pathParams[name] = decodeURIComponent(found[i + 1] ?? "");
                });
                return { operation: { spec, path: template, method: lower }, pathParams };
            }
        }
        return undefined;
    }

    private literalMatch(spec: SpecName, method: string, servedPath: string): boolean {
        const paths = this.docs[spec]["paths"];
        if (!isObject(paths)) return false;
        return Object.entries(paths).some(
            ([template, item]) =>
                !template.includes("{") &&
                isObject(item) &&
                isObject(item[method]) &&
                (spec === "dashboards" && !template.startsWith("/api/") ? `/api${template}` : template) === servedPath,
        );
    }

    private compiled(key: string, ref: string): ValidateFunction {
        let validate = this.cache.get(key);
        if (validate === undefined) {
            validate = this.ajv.compile({ $ref: ref });
            this.cache.set(key, validate);
        }
        return validate;
    }

    private op(operation: GrafanaOperation): { [key: string]: Json } {
        const paths = this.docs[operation.spec]["paths"];
        const item = isObject(paths) ? paths[operation.path] : undefined;
        const op = isObject(item) ? item[operation.method] : undefined;
        if (!isObject(op)) throw new Error(`no ${operation.method} ${operation.path} in ${specNames[operation.spec]}`);
        return op;
    }

    private check(key: string, ref: string, data: unknown): SpecCheck {
        const validate = this.compiled(key, ref);
        const valid = validate(data);
        return { valid, errors: valid ? [] : describe(validate.errors) };
    }

    /** The JSON request body (required where the description requires one). */
    requestBody(operation: GrafanaOperation, body: unknown): SpecCheck {
        const op = this.op(operation);
        const base = pointer("paths", operation.path, operation.method);
        if (operation.spec === "dashboards") {
            const requestBody = op["requestBody"];
            if (!isObject(requestBody)) return body === undefined ? { valid: true, errors: [] } : { valid: false, errors: ["the operation takes no body"] };
            if (body === undefined) return requestBody["required"] === true ? { valid: false, errors: ["(body) is required"] } : { valid: true, errors: [] };
            return this.check(`req ${base}`, `dashboards#/${base}/requestBody/content/application~1json/schema`, body);
        }
        const parameters = Array.isArray(op["parameters"]) ? op["parameters"] : [];
        const index = parameters.findIndex((p) => isObject(p) && p["in"] === "body");
        if (index === -1) return body === undefined ? { valid: true, errors: [] } : { valid: false, errors: ["the operation takes no body"] };
        if (body === undefined) return { valid: true, errors: [] };
        return this.check(`req ${base}`, `runtime#/${base}/parameters/${index}/schema`, body);
    }

    /** Query parameters: only those the operation declares, each of its declared type. */
    query(operation: GrafanaOperation, query: Record<string, string>): SpecCheck {
        const parameters = this.op(operation)["parameters"];
        const declared = new Map<string, Json>();
        for (const p of Array.isArray(parameters) ? parameters : []) {
            if (isObject(p) && p["in"] === "query" && typeof p["name"] === "string")
                declared.set(p["name"], isObject(p["schema"]) ? p["schema"] : { type: p["type"] ?? "string" });
        }
        const errors: string[] = [];
        for (const [name, value] of Object.entries(query)) {
            const schema = declared.get(name);
            if (schema === undefined) errors.push(`query parameter ${name} is not declared`);
            else if (
                isObject(schema) &&
                (schema["type"] === "boolean" ? !["true", "false"].includes(value) : schema["type"] === "integer" ? !/^-?\d+$/.test(value) : false)
            ) {
                errors.push(`query parameter ${name}=${value} is not a ${String(schema["type"])}`);
            }
        }
        return { valid: errors.length === 0, errors };
    }

    /** A response body against the schema documented for its status; an undocumented status is an error. */
    response(operation: GrafanaOperation, status: number, body: unknown): SpecCheck {
        const op = this.op(operation);
        const responses = op["responses"];
        const base = pointer("paths", operation.path, operation.method, "responses", String(status));
        if (status === 401 && operation.spec === "runtime") {
            return this.check("401 runtime", "dashboards#/components/schemas/ErrorResponseBody", body);
        }
        const documented = isObject(responses) ? responses[String(status)] : undefined;
        if (!isObject(documented))
            return { valid: false, errors: [`status ${status} is not documented for ${operation.method.toUpperCase()} ${operation.path}`] };
        if (operation.spec === "runtime") {
            return isObject(documented["schema"]) ? this.check(`res ${base}`, `runtime#/${base}/schema`, body) : { valid: true, errors: [] };
        }
        const ref = documented["$ref"];
        const target = typeof ref === "string" ? `dashboards${ref}/content/application~1json/schema` : `dashboards#/${base}/content/application~1json/schema`;
        return this.check(`res ${target}`, target, body);
    }
}
