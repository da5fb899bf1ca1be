import { parser } from "@prometheus-io/lezer-promql";

/** A PromQL expression that Prometheus's grammar rejects; `position` is the 0-based offset of the first error. */
export class PromqlSyntaxError extends Error {
    constructor(
        readonly expression: string,
        readonly position: number,
    ) {
        super(
            `PromQL syntax error at column ${position + 1}: ${JSON.stringify(expression.slice(Math.max(0, position - 20), position + 20))} in ${JSON.stringify(expression)}`,
        );
        this.name = "PromqlSyntaxError";
    }
}

export interface LabelMatcher {
    label: string;
    /** `=`, `!=`, `=~` or `!~`. */
    op: string;
    value: string;
}

/** One series selector of an expression: `metric{matchers}` and, inside a range function, its `[range]`. */
export interface Selector {
    metric: string | undefined;
    matchers: LabelMatcher[];
    /** Seconds of the range (`[15m]` → 900), for matrix selectors. */
    rangeSeconds: number | undefined;
}

export interface ParsedPromql {
    expression: string;
    selectors: Selector[];
    /** Labels named by `by (…)`, `without (…)`, `on (…)`, `ignoring (…)`: what the result may carry. */
    groupingLabels: string[];
}

const durationUnits: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** Seconds of a PromQL duration such as `15m`, `1h30m`, `7d` (or a bare number of seconds); undefined when it is not one. */
export function promqlDurationSeconds(text: string): number | undefined {
    if (/^[0-9]+(\.[0-9]+)?$/.test(text)) return Number(text);
    const parts = [...text.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
    return parts.reduce((sum, p) => sum + Number(p[1]) * (durationUnits[p[2] ?? ""] ?? Number.NaN), 0);
}

/** A PromQL string literal's value: double and single quotes take Go escapes, backticks are raw. */
function stringValue(literal: string): string {
    const quote = literal.charAt(0);
    const body = literal.slice(1, -1);
    if (quote === "`") return body;
    return body.replace(/\\(.)/g, (_whole, escaped: string) => ({ n: "\n", t: "\t", r: "\r" })[escaped] ?? escaped);
}

/**
 * Parses a PromQL expression with Prometheus's own grammar (`@prometheus-io/lezer-promql`, the grammar of
 * Prometheus's web UI) and returns what it selects. Throws `PromqlSyntaxError` at the first error node.
 */
export function parsePromql(expression: string): ParsedPromql {
    const tree = parser.parse(expression);
    const selectors: Selector[] = [];
    const groupingLabels = new Set<string>();
    const text = (from: number, to: number): string => expression.slice(from, to);
    const cursor = tree.cursor();
    do {
        if (cursor.type.isError) throw new PromqlSyntaxError(expression, cursor.from);
        const node = cursor.node;
        if (cursor.type.name === "GroupingLabels") {
            for (let child = node.firstChild; child !== null; child = child.nextSibling) {
                if (child.type.name === "LabelName") groupingLabels.add(text(child.from, child.to));
            }
        }
        if (cursor.type.name !== "VectorSelector") continue;
        const identifier = node.getChild("Identifier");
        const matchers: LabelMatcher[] = [];
        const matcherList = node.getChild("LabelMatchers");
        for (let child = matcherList?.firstChild ?? null; child !== null; child = child.nextSibling) {
            const label = child.getChild("LabelName") ?? child.getChild("QuotedLabelName");
            const op = child.getChild("MatchOp");
            const value = child.getChild("StringLiteral");
            if (label === null || op === null || value === null) continue;
            const labelText = text(label.from, label.to);
            matchers.push({
                label: label.type.name === "QuotedLabelName" ? stringValue(labelText) : labelText,
                op: text(op.from, op.to),
                value: stringValue(text(value.from, value.to)),
            });
        }
        const nameMatcher = matchers.find((m) => m.label === "__name__" && m.op === "=");
        const parent = node.parent;
        const range = parent?.type.name === "MatrixSelector" ? parent.getChild("DurationExpr") : null;
        selectors.push({
            metric: identifier !== null ? text(identifier.from, identifier.to) : nameMatcher?.value,
            matchers: matchers.filter((m) => m.label !== "__name__"),
            rangeSeconds: range === null ? undefined : promqlDurationSeconds(text(range.from, range.to)),
        });
    } while (cursor.next());
    return { expression, selectors, groupingLabels: [...groupingLabels].sort() };
}

/** The metric names an expression selects, sorted, from the parse tree. */
export function metricNamesOf(expression: string): string[] {
    const names = parsePromql(expression)
        .selectors.map((s) => s.metric)
        .filter((m): m is string => m !== undefined);
    return [...new Set(names)].sort();
}

/** The longest range any selector of the expression looks back over, in seconds (0 when none). */
export function longestRangeSeconds(expression: string): number {
    return Math.max(0, ...parsePromql(expression).selectors.map((s) => s.rangeSeconds ?? 0));
}
