import { describe, expect, it } from "vitest";
import { longestRangeSeconds, metricNamesOf, parsePromql, promqlDurationSeconds, PromqlSyntaxError } from "../../../components/grafana/index.js";

describe("parsePromql", () => {
    it("reads metric names from the parse tree, not functions, keywords, labels, strings or numbers", () => {
        expect(
            metricNamesOf(
                '(sum by (provider) (rate(vauntico_payments_total{outcome="failed"}[5m]))) / clamp_min(sum(rate(other_metric[5m])), 1e-9) or vector(0)',
            ),
        ).toEqual(["other_metric", "vauntico_payments_total"]);
        expect(metricNamesOf("up == 1 and on(job) node_load1 > 2")).toEqual(["node_load1", "up"]);
        expect(metricNamesOf('{__name__="by_name", job="x"}')).toEqual(["by_name"]);
        expect(metricNamesOf('sum(rate(x{label="rate(y[5m])"}[5m]))')).toEqual(["x"]);
    });

    it("reads matchers (with their operator and unquoted value), ranges and grouping labels", () => {
        const parsed = parsePromql(
            'sum by (provider, outcome) (increase(vauntico_payments_total{outcome!="fa\\"iled",mode=~`li.e`}[1h30m])) / on(provider) sum(x)',
        );
        expect(parsed.selectors[0]).toEqual({
            metric: "vauntico_payments_total",
            matchers: [
                { label: "outcome", op: "!=", value: 'fa"iled' },
                { label: "mode", op: "=~", value: "li.e" },
            ],
            rangeSeconds: 5400,
        });
        expect(parsed.selectors[1]).toEqual({ metric: "x", matchers: [], rangeSeconds: undefined });
        expect(parsed.groupingLabels).toEqual(["outcome", "provider"]);
    });

    it.each([
        ["an unbalanced parenthesis", "sum(rate(x[5m])", 15],
        ["an unclosed matcher", 'x{a="b"', 7],
        ["a missing operand", "x / ", 4],
        ["a doubled operator", "x == == y", 5],
    ])("rejects %s, naming the column", (_name, expression, column) => {
        let caught: unknown;
        try {
            parsePromql(expression);
        } catch (error) {
            caught = error;
        }
        expect(caught).toBeInstanceOf(PromqlSyntaxError);
        expect(caught instanceof PromqlSyntaxError && caught.position).toBe(column);
    });

    it("gives the longest range an expression reads", () => {
        expect(longestRangeSeconds("sum(increase(a[6h])) / sum(rate(b[15m]))")).toBe(21_600);
        expect(longestRangeSeconds("vector(0)")).toBe(0);
        expect(promqlDurationSeconds("1h30m")).toBe(5400);
        expect(promqlDurationSeconds("15x")).toBeUndefined();
        expect(promqlDurationSeconds("90")).toBe(90);
    });
});
