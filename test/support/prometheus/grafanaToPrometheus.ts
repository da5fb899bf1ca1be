import { z } from "zod";
import { expressionDatasourceUid, type GrafanaRule } from "../../../components/grafana/index.js";

/**
 * Grafana-managed rules as Prometheus evaluates the same thing, so a real Prometheus (`promtool test rules`)
 * can prove when they fire. What maps, and how:
 * - query A is an instant PromQL query evaluated at the end of its relative time range: Prometheus evaluates
 *   a rule's `expr` at the evaluation time, so `to` must be 0 (now); `from` does not change an instant query;
 * - a `reduce` (last, mean, min, max) of an instant vector is the value itself: one sample per series;
 * - the `threshold` on it (`gt`, `lt`) becomes the comparison filter `(A) > t` / `(A) < t`, per series, as
 *   Grafana applies it to each series of A;
 * - the pending period is `for`; the group's evaluation interval is the group's `interval` (and promtool's
 *   `evaluation_interval`);
 * - no data `OK` adds nothing (no series, no alert); `Alerting`/`NoData` add `or on() (vector(1) unless on() (A))`,
 *   which fires after the pending period when A has no series;
 * - a paused rule is not evaluated: it is left out;
 * - the labels are the rule's labels (Grafana adds `alertname` = title, as Prometheus does); annotations do
 *   not change when a rule fires and are left out.
 * Execution errors cannot be produced on a healthy Prometheus: the dashboards test runs every query A through
 * the HTTP API and fails on any error, and `validate monitoring` reports Grafana's Error state live.
 * Anything else (other expression types, a shifted time range) is refused, not guessed.
 */

export interface PrometheusAlertRule {
    alert: string;
    expr: string;
    for: string;
    labels: Record<string, string>;
}

export interface PrometheusRuleGroup {
    name: string;
    interval: string;
    rules: PrometheusAlertRule[];
}

export interface GrafanaRuleGroup {
    name: string;
    intervalSeconds: number;
    rules: readonly GrafanaRule[];
}

const modelSchema = z.looseObject({
    type: z.string().optional(),
    expr: z.string().optional(),
    instant: z.boolean().optional(),
    expression: z.string().optional(),
    reducer: z.string().optional(),
    conditions: z.array(z.object({ evaluator: z.object({ type: z.string(), params: z.array(z.number()) }) })).optional(),
});
type Model = z.infer<typeof modelSchema>;

/** A rule as the plan registers it (`grafana.alerting.RuleGroup` inputs), read into `GrafanaRule`. */
export const grafanaRuleSchema = z.object({
    name: z.string(),
    uid: z.string(),
    for: z.string(),
    condition: z.string(),
    noDataState: z.string(),
    execErrState: z.string(),
    isPaused: z.boolean(),
    labels: z.record(z.string(), z.string()),
    annotations: z.record(z.string(), z.string()),
    datas: z.array(z.object({
        refId: z.string(),
        datasourceUid: z.string(),
        relativeTimeRange: z.object({ from: z.number(), to: z.number() }),
        model: z.string(),
    })),
});

const identityReducers = new Set(["last", "mean", "min", "max"]);
const comparators: Record<string, string> = { gt: ">", lt: "<" };

class Untranslatable extends Error {
    constructor(rule: GrafanaRule, why: string) {
        super(`rule "${rule.name}" (${rule.uid}): ${why}`);
    }
}

/** The PromQL of one refId of a rule (a query, or an expression over another refId). */
function promqlOf(rule: GrafanaRule, refId: string, seen: readonly string[] = []): string {
    if (seen.includes(refId)) throw new Untranslatable(rule, `expressions loop through ${refId}`);
    const data = rule.datas.find((d) => d.refId === refId);
    if (data === undefined) throw new Untranslatable(rule, `no data with refId ${refId}`);
    const model: Model = modelSchema.parse(JSON.parse(data.model));
    if (data.datasourceUid !== expressionDatasourceUid) {
        if (model.expr === undefined || model.instant !== true) throw new Untranslatable(rule, `query ${refId} is not an instant PromQL query`);
        if (data.relativeTimeRange.to !== 0) throw new Untranslatable(rule, `query ${refId} ends ${data.relativeTimeRange.to}s before now`);
        return model.expr;
    }
    const input = model.expression;
    if (input === undefined) throw new Untranslatable(rule, `expression ${refId} names no input`);
    const inner = promqlOf(rule, input, [...seen, refId]);
    if (model.type === "reduce") {
        if (!identityReducers.has(model.reducer ?? "")) throw new Untranslatable(rule, `reducer ${model.reducer ?? "(none)"} of ${refId} is not translated`);
        return inner;
    }
    if (model.type === "threshold") {
        const evaluator = model.conditions?.[0]?.evaluator;
        const op = evaluator === undefined ? undefined : comparators[evaluator.type];
        const bound = evaluator?.params[0];
        if (op === undefined || bound === undefined || model.conditions?.length !== 1) {
            throw new Untranslatable(rule, `threshold ${refId} is not one gt/lt comparison`);
        }
        return `(${inner}) ${op} ${bound}`;
    }
    throw new Untranslatable(rule, `expression type ${model.type ?? "(none)"} of ${refId} is not translated`);
}

/** The query the condition reads from (for no-data handling): the first non-expression data it depends on. */
function queryOf(rule: GrafanaRule, refId: string): string {
    const data = rule.datas.find((d) => d.refId === refId);
    if (data === undefined) throw new Untranslatable(rule, `no data with refId ${refId}`);
    if (data.datasourceUid !== expressionDatasourceUid) return promqlOf(rule, refId);
    const input = modelSchema.parse(JSON.parse(data.model)).expression;
    if (input === undefined) throw new Untranslatable(rule, `expression ${refId} names no input`);
    return queryOf(rule, input);
}

/** One Grafana rule as a Prometheus alerting rule; undefined when it is paused (Grafana does not evaluate it). */
export function translateRule(rule: GrafanaRule): PrometheusAlertRule | undefined {
    if (rule.isPaused) return undefined;
    let expr = promqlOf(rule, rule.condition);
    if (rule.noDataState === "Alerting" || rule.noDataState === "NoData") {
        expr = `(${expr}) or on() (vector(1) unless on() (${queryOf(rule, rule.condition)}))`;
    } else if (rule.noDataState !== "OK") {
        throw new Untranslatable(rule, `no-data state ${rule.noDataState} is not translated`);
    }
    return {
        alert: rule.name,
        expr,
        for: rule.for,
        labels: { ...rule.labels },
    };
}

export function translateGroup(group: GrafanaRuleGroup): PrometheusRuleGroup {
    return {
        name: group.name,
        interval: `${group.intervalSeconds}s`,
        rules: group.rules.map(translateRule).filter((r): r is PrometheusAlertRule => r !== undefined),
    };
}
