import * as path from "node:path";
import ts from "typescript";
import { isRecord } from "./values.js";

/**
 * A run-time check of dashboard JSON against Grafana's own dashboard types. Neither the Foundation SDK nor
 * `@grafana/schema` ships a JSON Schema on npm (both carry TypeScript types generated from Grafana's CUE
 * kinds), so the types themselves are the schema: the TypeScript compiler reads the SDK's `.d.ts` files and
 * the JSON is walked against them — unknown keys, missing required keys, wrong primitive types, values
 * outside an enum. Panel `options` (typed `any` on the dashboard) are checked against the panel plugin's
 * own `Options`, and Prometheus targets against `prometheus.Dataquery`.
 */

type Schema = { checker: ts.TypeChecker; types: Map<string, ts.Type> };

let loaded: Schema | undefined;

const sdkModules = ["dashboard", "timeseries", "stat", "prometheus"] as const;
const checkedTypes: Record<string, { module: (typeof sdkModules)[number]; name: string }> = {
    dashboard: { module: "dashboard", name: "Dashboard" },
    "timeseries.options": { module: "timeseries", name: "Options" },
    "timeseries.custom": { module: "timeseries", name: "FieldConfig" },
    "stat.options": { module: "stat", name: "Options" },
    "prometheus.target": { module: "prometheus", name: "Dataquery" },
};

function load(): Schema {
    if (loaded) return loaded;
    const sdkRoot = path.dirname(path.dirname(require.resolve("@grafana/grafana-foundation-sdk/dashboard")));
    const files = sdkModules.map((module) => path.join(sdkRoot, module, "types.gen.d.ts"));
    const program = ts.createProgram(files, { strict: true, noEmit: true, skipLibCheck: true, types: [] });
    const checker = program.getTypeChecker();
    const types = new Map<string, ts.Type>();
    for (const [key, { module, name }] of Object.entries(checkedTypes)) {
        const source = program.getSourceFile(path.join(sdkRoot, module, "types.gen.d.ts"));
        const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
        const symbol = moduleSymbol === undefined ? undefined : checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
        if (symbol === undefined) throw new Error(`Grafana Foundation SDK: ${module}.${name} not found in its types`);
        types.set(key, checker.getDeclaredTypeOfSymbol(symbol));
    }
    loaded = { checker, types };
    return loaded;
}

function describe(value: unknown): string {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function check(schema: Schema, value: unknown, type: ts.Type, at: string, problems: string[]): void {
    const { checker } = schema;
    const flags = type.getFlags();
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (type.isUnion()) {
        const members = type.types.filter((t) => !(t.getFlags() & ts.TypeFlags.Undefined));
        let best: string[] | undefined;
        for (const member of members) {
            const attempt: string[] = [];
            check(schema, value, member, at, attempt);
            if (attempt.length === 0) return;
            if (best === undefined || attempt.length < best.length) best = attempt;
        }
        if (members.every((m) => m.isLiteral() || m.getFlags() & (ts.TypeFlags.BooleanLiteral | ts.TypeFlags.Null))) {
            problems.push(`${at}: ${describe(value)} is not one of ${checker.typeToString(type)}`);
        } else {
            problems.push(...(best ?? [`${at}: ${describe(value)} does not match ${checker.typeToString(type)}`]));
        }
        return;
    }
    if (flags & ts.TypeFlags.Null) {
        if (value !== null) problems.push(`${at}: expected null, got ${describe(value)}`);
        return;
    }
    if (type.isStringLiteral() || type.isNumberLiteral()) {
        if (value !== type.value) problems.push(`${at}: expected ${describe(type.value)}, got ${describe(value)}`);
        return;
    }
    if (flags & ts.TypeFlags.BooleanLiteral) {
        if (value !== (checker.typeToString(type) === "true")) problems.push(`${at}: expected ${checker.typeToString(type)}`);
        return;
    }
    if (flags & ts.TypeFlags.StringLike) {
        if (typeof value !== "string") problems.push(`${at}: expected a string, got ${describe(value)}`);
        return;
    }
    if (flags & ts.TypeFlags.NumberLike) {
        if (typeof value !== "number") problems.push(`${at}: expected a number, got ${describe(value)}`);
        return;
    }
    if (flags & ts.TypeFlags.BooleanLike) {
        if (typeof value !== "boolean") problems.push(`${at}: expected a boolean, got ${describe(value)}`);
        return;
    }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
        if (!Array.isArray(value)) {
            problems.push(`${at}: expected an array, got ${describe(value)}`);
            return;
        }
        const element = checker.getIndexInfoOfType(type, ts.IndexKind.Number)?.type;
        if (element !== undefined) value.forEach((item, index) => check(schema, item, element, `${at}[${index}]`, problems));
        return;
    }
    if (flags & ts.TypeFlags.Object) {
        if (!isRecord(value)) {
            problems.push(`${at}: expected an object, got ${describe(value)}`);
            return;
        }
        const properties = new Map(checker.getPropertiesOfType(type).map((p) => [p.name, p]));
        // cog's variant markers (e.g. cog.Dataquery, only `_implementsDataqueryVariant()`) stand for "any
        // query of any data source"; targets are checked against their data source's own type instead.
        const variantMarker = [...properties.values()].every(
            (p) => checker.getNonNullableType(checker.getTypeOfSymbol(p)).getCallSignatures().length > 0,
        );
        if (properties.size > 0 && variantMarker) return;
        const index = checker.getIndexInfosOfType(type).find((info) => info.keyType.getFlags() & ts.TypeFlags.String);
        for (const [name, property] of properties) {
            const propertyType = checker.getNonNullableType(checker.getTypeOfSymbol(property));
            if (propertyType.getCallSignatures().length > 0) continue;
            const optional = (property.getFlags() & ts.SymbolFlags.Optional) !== 0;
            if (!(name in value)) {
                if (!optional) problems.push(`${at}.${name}: required by Grafana's type, missing`);
                continue;
            }
            check(schema, value[name], checker.getTypeOfSymbol(property), `${at}.${name}`, problems);
        }
        for (const [name, child] of Object.entries(value)) {
            if (properties.has(name)) continue;
            if (index !== undefined) check(schema, child, index.type, `${at}.${name}`, problems);
            else problems.push(`${at}.${name}: not a field of ${checker.typeToString(type)}`);
        }
    }
}

function checkAgainst(key: string, value: unknown, at: string, problems: string[]): void {
    const schema = load();
    const type = schema.types.get(key);
    if (type === undefined) throw new Error(`no Grafana type registered for ${key}`);
    check(schema, value, type, at, problems);
}

const panelOptionTypes: Record<string, { options: string; custom?: string }> = {
    timeseries: { options: "timeseries.options", custom: "timeseries.custom" },
    stat: { options: "stat.options" },
};

/** Every way the dashboard JSON departs from Grafana's dashboard types; empty when it conforms. */
export function dashboardTypeProblems(json: unknown): string[] {
    const problems: string[] = [];
    checkAgainst("dashboard", json, "dashboard", problems);
    const panels = isRecord(json) && Array.isArray(json.panels) ? json.panels : [];
    panels.forEach((panel: unknown, index) => {
        if (!isRecord(panel) || typeof panel.type !== "string") return;
        const at = `dashboard.panels[${index}]`;
        const plugin = panelOptionTypes[panel.type];
        if (plugin === undefined) {
            problems.push(`${at}.type: "${panel.type}" has no plugin types registered for the check`);
            return;
        }
        if (panel.options !== undefined) checkAgainst(plugin.options, panel.options, `${at}.options`, problems);
        const defaults = isRecord(panel.fieldConfig) && isRecord(panel.fieldConfig.defaults) ? panel.fieldConfig.defaults : {};
        if (plugin.custom !== undefined && defaults.custom !== undefined) {
            checkAgainst(plugin.custom, defaults.custom, `${at}.fieldConfig.defaults.custom`, problems);
        }
        const targets = Array.isArray(panel.targets) ? panel.targets : [];
        targets.forEach((target: unknown, t) => checkAgainst("prometheus.target", target, `${at}.targets[${t}]`, problems));
    });
    return problems;
}
