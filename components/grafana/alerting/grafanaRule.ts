import { alertLabelKeys } from "../../../policy/protocol/contract.js";
import { stableJson } from "../stableJson.js";
import { longestRangeSeconds } from "../promqlParse.js";
import { type AlertRuleSpec, ruleQueryProblems } from "./rules.js";

/** Grafana's UID for server-side expressions (threshold, math, reduce). */
export const expressionDatasourceUid = "__expr__";
export const queryRefId = "A";
export const conditionRefId = "B";

export interface GrafanaRuleData {
    refId: string;
    datasourceUid: string;
    relativeTimeRange: { from: number; to: number };
    model: string;
}

/** The shape of a `grafana.alerting.RuleGroup` rule, with plain values so tests and reports can read it. */
export interface GrafanaRule {
    name: string;
    uid: string;
    for: string;
    condition: string;
    noDataState: string;
    execErrState: string;
    isPaused: boolean;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    datas: GrafanaRuleData[];
}

/** The routing labels every rule carries (policy/protocol/contract.ts alertLabelKeys). */
export function ruleLabels(spec: AlertRuleSpec): Record<string, string> {
    return {
        [alertLabelKeys.signal]: spec.signal,
        [alertLabelKeys.severity]: spec.severity,
        [alertLabelKeys.team]: spec.team,
    };
}

/**
 * A Grafana-managed rule: query A (instant PromQL over contract metrics) and condition B, a threshold
 * expression on A. No data means no traffic, which is not an outage signal by itself (`OK`); the
 * no-successful-payment rule never has no data (`or vector(0)`).
 */
export function grafanaRule(spec: AlertRuleSpec, datasourceUid: string, dashboardUid?: string, paused = false): GrafanaRule {
    const problems = ruleQueryProblems(spec);
    if (problems.length > 0) throw new Error(problems.join("; "));
    const annotations: Record<string, string> = { summary: spec.summary, description: `${spec.title}: ${spec.expr} ${spec.condition}` };
    if (dashboardUid !== undefined) annotations.dashboard_uid = dashboardUid;
    return {
        name: spec.title,
        uid: spec.uid,
        for: spec.pendingPeriod,
        condition: conditionRefId,
        noDataState: "OK",
        execErrState: "Error",
        isPaused: paused,
        labels: ruleLabels(spec),
        annotations,
        datas: [
            {
                refId: queryRefId,
                datasourceUid,
                // An instant query is evaluated at `to` (now); `from` shows the longest window it reads, as the UI does.
                relativeTimeRange: { from: longestRangeSeconds(spec.expr), to: 0 },
                model: stableJson(
                    {
                        refId: queryRefId,
                        datasource: { type: "prometheus", uid: datasourceUid },
                        expr: spec.expr,
                        instant: true,
                        range: false,
                        intervalMs: 1000,
                        maxDataPoints: 43200,
                    },
                    0,
                ),
            },
            {
                refId: conditionRefId,
                datasourceUid: expressionDatasourceUid,
                relativeTimeRange: { from: 0, to: 0 },
                model: stableJson(
                    {
                        refId: conditionRefId,
                        datasource: { type: "__expr__", uid: expressionDatasourceUid },
                        type: "threshold",
                        expression: queryRefId,
                        conditions: [{ evaluator: { type: spec.comparator, params: [spec.threshold] } }],
                    },
                    0,
                ),
            },
        ],
    };
}
