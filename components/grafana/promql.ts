import { type LabelOf, type MetricDefinition, type MetricKey, metrics } from "./metrics.js";
import { type ParsedPromql, parsePromql } from "./promqlParse.js";

/** Label matchers of one contract metric: only its own labels type-check. */
export type Matchers<K extends MetricKey> = Partial<Record<LabelOf<K>, string>>;

/** `name{label="value",…}` for a contract metric, labels in sorted order so the text is stable. */
export function selector<K extends MetricKey>(key: K, matchers: Matchers<K> = {}): string {
    const entries = Object.entries(matchers)
        .filter((entry): entry is [string, string] => typeof entry[1] === "string")
        .sort(([a], [b]) => a.localeCompare(b));
    const body = entries.map(([label, value]) => `${label}=${JSON.stringify(value)}`).join(",");
    return body.length === 0 ? metrics[key].name : `${metrics[key].name}{${body}}`;
}

function grouping(by: readonly string[]): string {
    return by.length === 0 ? "" : ` by (${by.join(", ")})`;
}

/** `sum by (…) (rate(selector[window]))`: per-second rate of a counter. */
export function sumRate<K extends MetricKey>(key: K, window: string, matchers: Matchers<K> = {}, by: readonly LabelOf<K>[] = []): string {
    return `sum${grouping(by)} (rate(${selector(key, matchers)}[${window}]))`;
}

/** `sum by (…) (increase(selector[window]))`: how many over the window. */
export function sumIncrease<K extends MetricKey>(key: K, window: string, matchers: Matchers<K> = {}, by: readonly LabelOf<K>[] = []): string {
    return `sum${grouping(by)} (increase(${selector(key, matchers)}[${window}]))`;
}

/** `numerator / clamp_min(denominator, 1e-9)`: a ratio that is 0, not NaN, when nothing happened. */
export function ratio(numerator: string, denominator: string): string {
    return `(${numerator}) / clamp_min(${denominator}, 1e-9)`;
}

/**
 * What is wrong with a query against the metrics contract, from Prometheus's grammar: a syntax error, a
 * metric outside the contract, a label the metric does not carry, or a value its label never takes. Empty
 * when the query is sound.
 */
export function contractProblems(expression: string): string[] {
    let parsed: ParsedPromql;
    try {
        parsed = parsePromql(expression);
    } catch (error) {
        return [error instanceof Error ? error.message : String(error)];
    }
    const problems: string[] = [];
    if (parsed.selectors.length === 0) problems.push(`selects no metric: ${JSON.stringify(expression)}`);
    const byName = new Map<string, MetricDefinition>(Object.values(metrics).map((m) => [m.name, m]));
    for (const selector of parsed.selectors) {
        const definition = selector.metric === undefined ? undefined : byName.get(selector.metric);
        if (definition === undefined) {
            problems.push(`metric ${selector.metric ?? "(unnamed)"} is not in the metrics contract (${[...byName.keys()].join(", ")})`);
            continue;
        }
        const labels: Readonly<Record<string, readonly string[] | null>> = definition.labels;
        for (const matcher of selector.matchers) {
            if (!Object.hasOwn(labels, matcher.label)) {
                problems.push(`${definition.name} has no label ${matcher.label} (labels: ${Object.keys(labels).join(", ")})`);
                continue;
            }
            const values = labels[matcher.label];
            if (matcher.op === "=" && values !== null && values !== undefined && !values.includes(matcher.value)) {
                problems.push(`${definition.name}{${matcher.label}=${JSON.stringify(matcher.value)}}: ${matcher.label} takes ${values.join(", ")}`);
            }
        }
    }
    const selected = parsed.selectors.map((s) => (s.metric === undefined ? undefined : byName.get(s.metric))).filter((d) => d !== undefined);
    for (const label of parsed.groupingLabels) {
        if (!selected.some((d) => Object.hasOwn(d.labels, label)))
            problems.push(`grouping label ${label} is carried by none of ${selected.map((d) => d.name).join(", ")}`);
    }
    return problems;
}
