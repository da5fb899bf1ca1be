import { alertSignals } from "../../../policy/protocol/contract.js";
import type { PhaseNumber, TeamName } from "../../../policy/protocol/teams.js";
import { contractProblems, ratio, sumIncrease, sumRate } from "../promql.js";

export type AlertSignal = (typeof alertSignals)[keyof typeof alertSignals];
export type SignalKey = keyof typeof alertSignals;
export type Severity = "critical" | "warning";
export const severities: readonly Severity[] = ["critical", "warning"];

/** Per-signal settings; every field has a default (`defaultAlertSettings`). */
export interface SignalSettings {
    /** The value the rule compares against (a ratio 0–1, a count, or hours for `noSuccessfulPayment`). */
    threshold: number;
    /** Grafana pending period (`for`), e.g. `10m`: how long the condition must hold before firing. */
    pendingPeriod: string;
    severity: Severity;
    /** The protocol team that owns the signal; routes the alert and its escalation. */
    team: TeamName;
}

export type AlertSettings = Record<SignalKey, SignalSettings>;

/**
 * Defaults: payment processing failures, security signals and outages are the protocol's "critical
 * blockers" and escalate; webhook delivery failures are retried by the providers, so they warn first.
 */
export const defaultAlertSettings: AlertSettings = {
    paymentFailureRatio: { threshold: 0.1, pendingPeriod: "10m", severity: "critical", team: "Kilo" },
    webhookDeliveryFailures: { threshold: 0.05, pendingPeriod: "15m", severity: "warning", team: "Cline" },
    // Any failure: the 10m window outlasts pending period + evaluation interval, so one event still fires.
    signatureVerificationFailure: { threshold: 0, pendingPeriod: "1m", severity: "critical", team: "Kilo" },
    errorRate: { threshold: 0.02, pendingPeriod: "5m", severity: "critical", team: "Cline" },
    noSuccessfulPayment: { threshold: 6, pendingPeriod: "15m", severity: "critical", team: "Kilo" },
};

/** The phase whose gates first require each signal (policy/protocol/contract.ts resource contract). */
export const signalPhase: Record<SignalKey, PhaseNumber> = {
    webhookDeliveryFailures: 2,
    signatureVerificationFailure: 2,
    paymentFailureRatio: 3,
    errorRate: 4,
    noSuccessfulPayment: 5,
};

export type Comparator = "gt" | "lt";

/** An alert rule as data: what the Grafana rule and the report are both made from. */
export interface AlertRuleSpec {
    key: SignalKey;
    signal: AlertSignal;
    /** Stable Grafana rule UID. */
    uid: string;
    title: string;
    summary: string;
    /** PromQL over contract metrics (instant query, refId A). */
    expr: string;
    comparator: Comparator;
    threshold: number;
    /** Human form of the condition for reports, e.g. `> 0.1`. */
    condition: string;
    pendingPeriod: string;
    severity: Severity;
    team: TeamName;
}

/** How far back the signature rule counts failures: must outlast its pending period plus one evaluation interval. */
export const signatureWindow = "10m";

function ruleExpression(key: SignalKey, settings: SignalSettings): { expr: string; comparator: Comparator; threshold: number } {
    switch (key) {
        case "paymentFailureRatio":
            return {
                expr: ratio(sumRate("payments", "15m", { outcome: "failed" }), sumRate("payments", "15m")),
                comparator: "gt",
                threshold: settings.threshold,
            };
        case "webhookDeliveryFailures":
            return {
                expr: ratio(sumRate("webhookDeliveries", "15m", { outcome: "failed" }), sumRate("webhookDeliveries", "15m")),
                comparator: "gt",
                threshold: settings.threshold,
            };
        case "signatureVerificationFailure":
            return {
                expr: sumIncrease("signatureVerificationFailures", signatureWindow),
                comparator: "gt",
                threshold: settings.threshold,
            };
        case "errorRate":
            return {
                expr: ratio(sumRate("httpRequests", "5m", { status_class: "5xx" }), sumRate("httpRequests", "5m")),
                comparator: "gt",
                threshold: settings.threshold,
            };
        case "noSuccessfulPayment":
            // `or vector(0)`: no series at all (nothing ever paid) must fire too, not go to NoData.
            return {
                expr: `${sumIncrease("payments", `${settings.threshold}h`, { outcome: "succeeded", mode: "live" })} or vector(0)`,
                comparator: "lt",
                threshold: 1,
            };
    }
}

const titles: Record<SignalKey, (settings: SignalSettings) => { title: string; summary: string }> = {
    paymentFailureRatio: (s) => ({
        title: "Payment failure ratio high",
        summary: `More than ${s.threshold * 100}% of payments failed over 15 minutes.`,
    }),
    webhookDeliveryFailures: (s) => ({
        title: "Webhook deliveries failing",
        summary: `More than ${s.threshold * 100}% of webhook deliveries failed while being handled over 15 minutes.`,
    }),
    signatureVerificationFailure: (s) => ({
        title: "Webhook signature verification failed",
        summary: `More than ${s.threshold} webhook request(s) failed signature verification in ${signatureWindow}: forged sender or wrong signing secret.`,
    }),
    errorRate: (s) => ({
        title: "Request error rate high",
        summary: `More than ${s.threshold * 100}% of HTTP requests returned 5xx over 5 minutes.`,
    }),
    noSuccessfulPayment: (s) => ({
        title: "No successful live payment",
        summary: `No live payment succeeded in the last ${s.threshold} hours.`,
    }),
};

/** Which signals a phase has: each from the phase that introduces it, `noSuccessfulPayment` only once live. */
export function signalsFor(phase: PhaseNumber, paymentsLive: boolean): SignalKey[] {
    const keys: SignalKey[] = ["webhookDeliveryFailures", "signatureVerificationFailure", "paymentFailureRatio", "errorRate", "noSuccessfulPayment"];
    return keys.filter((key) => signalPhase[key] <= phase && (key !== "noSuccessfulPayment" || paymentsLive));
}

/** The rule spec of one signal under the given settings. */
export function alertRuleSpec(key: SignalKey, settings: SignalSettings): AlertRuleSpec {
    const { expr, comparator, threshold } = ruleExpression(key, settings);
    const signal = alertSignals[key];
    return {
        key,
        signal,
        uid: `vauntico-${signal}`,
        ...titles[key](settings),
        expr,
        comparator,
        threshold,
        condition: `${comparator === "gt" ? ">" : "<"} ${threshold}`,
        pendingPeriod: settings.pendingPeriod,
        severity: settings.severity,
        team: settings.team,
    };
}

/** Signals whose threshold is a ratio of failures to attempts; the rule fires above it. */
export const ratioSignals: readonly SignalKey[] = ["paymentFailureRatio", "webhookDeliveryFailures", "errorRate"];
/** Hours without a successful payment before its rule fires: whole hours, up to a week. */
export const noPaymentHoursRange = { min: 1, max: 168 } as const;

/** A ratio threshold lies strictly between 0 and 1: at 0 the first failure pages, at 1 nothing ever would. */
export function isRatioThreshold(value: number): boolean {
    return Number.isFinite(value) && value > 0 && value < 1;
}

/** A Grafana duration such as 30s, 5m or 1h30m (what a rule's pending period takes). */
export const durationPattern = /^([0-9]+(ms|s|m|h|d))+$/;

/** Problems with settings, each naming the field: empty when valid. */
export function settingsProblems(settings: AlertSettings): string[] {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(settings)) {
        if (!Number.isFinite(value.threshold) || value.threshold < 0) {
            problems.push(`${key}.threshold: ${value.threshold} is not a finite number >= 0`);
        }
        if (ratioSignals.some((signal) => signal === key) && !isRatioThreshold(value.threshold)) {
            problems.push(`${key}.threshold: ${value.threshold} is a ratio and must lie between 0 and 1 (both excluded)`);
        }
        const { min, max } = noPaymentHoursRange;
        if (key === "noSuccessfulPayment" && (!Number.isInteger(value.threshold) || value.threshold < min || value.threshold > max)) {
            problems.push(`${key}.threshold: ${value.threshold} hours must be a whole number from ${min} to ${max}`);
        }
        if (!durationPattern.test(value.pendingPeriod)) {
            problems.push(`${key}.pendingPeriod: "${value.pendingPeriod}" is not a duration like 30s, 5m, 1h`);
        }
    }
    return problems;
}

/** The rule's query checked with Prometheus's grammar and against the metrics contract, naming the rule. */
export function ruleQueryProblems(spec: AlertRuleSpec): string[] {
    return contractProblems(spec.expr).map((problem) => `alert rule "${spec.title}" (${spec.signal}): ${problem}`);
}
