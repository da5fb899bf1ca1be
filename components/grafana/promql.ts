import { LabelOf, MetricKey, metrics } from "./metrics.js";

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
export function sumRate<K extends MetricKey>(
    key: K,
    window: string,
    matchers: Matchers<K> = {},
    by: readonly LabelOf<K>[] = [],
): string {
    return `sum${grouping(by)} (rate(${selector(key, matchers)}[${window}]))`;
}

/** `sum by (…) (increase(selector[window]))`: how many over the window. */
export function sumIncrease<K extends MetricKey>(
    key: K,
    window: string,
    matchers: Matchers<K> = {},
    by: readonly LabelOf<K>[] = [],
): string {
    return `sum${grouping(by)} (increase(${selector(key, matchers)}[${window}]))`;
}

/** `numerator / clamp_min(denominator, 1e-9)`: a ratio that is 0, not NaN, when nothing happened. */
export function ratio(numerator: string, denominator: string): string {
    return `(${numerator}) / clamp_min(${denominator}, 1e-9)`;
}

const promqlWords = new Set([
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
    "inf", "nan",
]);

/**
 * The metric names a PromQL expression selects: identifiers outside label matchers, string literals and
 * range brackets that are neither function calls nor keywords. Used by tests and reports to prove that
 * panels and rules read the contract only.
 */
export function metricNamesIn(expression: string): string[] {
    const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    const withoutMatchers = withoutStrings.replace(/\{[^}]*\}/g, "{}").replace(/\[[^\]]*\]/g, "[]");
    const withoutGroupings = withoutMatchers.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "");
    const names = new Set<string>();
    for (const match of withoutGroupings.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
        const word = match[0];
        const after = withoutGroupings.slice((match.index ?? 0) + word.length).trimStart();
        if (after.startsWith("(") || promqlWords.has(word.toLowerCase())) continue;
        if (/^\d/.test(word)) continue;
        const before = withoutGroupings.slice(0, match.index ?? 0);
        if (/[0-9.]$/.test(before) && /^e\d*$/i.test(word)) continue;
        names.add(word);
    }
    return [...names].sort();
}
