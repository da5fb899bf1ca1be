import { durationSeconds, selector, type SignalKey } from "../../../components/grafana/index.js";
import { counter, promtoolValues, type Samples } from "./seriesNotation.js";

/** Scrape interval of the synthetic series (a common Prometheus default); hours-long scenarios use 60 s. */
export const scrapeSeconds = 15;
const slowScrapeSeconds = 60;

/**
 * What a scenario must show:
 * - `fires`: the signal starts at `signalStartSeconds`; no alert before start + pending period; the alert
 *   (with the rule's routing labels) at every evaluation from start + pending + one interval on, until
 *   `untilSeconds` (the signal ends) or the scenario's end;
 * - `never`: no alert at any evaluation.
 */
export type Expectation = { kind: "fires"; signalStartSeconds: number; untilSeconds?: number } | { kind: "never" };

export interface AlertScenario {
    name: string;
    signal: SignalKey;
    /** What happens, in a sentence (the report and the test title). */
    story: string;
    minutes: number;
    /** Seconds between samples (promtool's `interval`); default `scrapeSeconds`. */
    scrapeSeconds?: number;
    series: { series: string; samples: Samples }[];
    expect: Expectation;
}

/** Steps (scrapes) in `minutes`. */
const steps = (minutes: number, scrape = scrapeSeconds): number => (minutes * 60) / scrape;
/** A counter that grows by `each` at every scrape. */
const steady = (minutes: number, each: number, options: { from?: number; start?: number } = {}): Samples => counter(steps(minutes), () => each, options);
const flat = (minutes: number): Samples => steady(minutes, 0);

/** Payments on both providers in live mode: `succeeded` and `failed` per scrape each; every other combination at 0. */
function payments(minutes: number, succeeded: number, failed: number): AlertScenario["series"] {
    return (["stripe", "paystack"] as const).flatMap((provider) => [
        { series: selector("payments", { provider, outcome: "succeeded", mode: "live" }), samples: steady(minutes, succeeded) },
        { series: selector("payments", { provider, outcome: "failed", mode: "live" }), samples: steady(minutes, failed) },
        { series: selector("payments", { provider, outcome: "succeeded", mode: "test" }), samples: flat(minutes) },
        { series: selector("payments", { provider, outcome: "failed", mode: "test" }), samples: flat(minutes) },
    ]);
}

function deliveries(minutes: number, processed: number, failed: number): AlertScenario["series"] {
    return (["stripe", "paystack"] as const).flatMap((provider) => [
        { series: selector("webhookDeliveries", { provider, outcome: "processed" }), samples: steady(minutes, processed) },
        { series: selector("webhookDeliveries", { provider, outcome: "failed" }), samples: steady(minutes, failed) },
    ]);
}

function requests(minutes: number, ok: number, errors: number): AlertScenario["series"] {
    return ["/checkout", "/webhooks/:provider"].flatMap((route) => [
        { series: selector("httpRequests", { route, status_class: "2xx" }), samples: steady(minutes, ok) },
        { series: selector("httpRequests", { route, status_class: "4xx" }), samples: flat(minutes) },
        { series: selector("httpRequests", { route, status_class: "5xx" }), samples: steady(minutes, errors) },
    ]);
}

/** 1000 responses per scrape per route; 0.5% 5xx, and 10% for `burstMinutes` from `fromMinute`. */
function requestsBurst(minutes: number, fromMinute: number, burstMinutes: number): AlertScenario["series"] {
    const inBurst = (step: number) => step > steps(fromMinute) && step <= steps(fromMinute + burstMinutes);
    return ["/checkout", "/webhooks/:provider"].flatMap((route) => [
        { series: selector("httpRequests", { route, status_class: "2xx" }), samples: counter(steps(minutes), (step) => (inBurst(step) ? 900 : 995)) },
        { series: selector("httpRequests", { route, status_class: "5xx" }), samples: counter(steps(minutes), (step) => (inBurst(step) ? 100 : 5)) },
    ]);
}

/** Live successful payments (stripe) at the given minutes only; the failed series at 0. */
function livePaymentsAt(minutes: number, atMinutes: readonly number[]): AlertScenario["series"] {
    const paidSteps = new Set(atMinutes.map((m) => Math.max(1, steps(m, slowScrapeSeconds))));
    return [
        { series: selector("payments", { provider: "stripe", outcome: "succeeded", mode: "live" }), samples: counter(steps(minutes, slowScrapeSeconds), (step) => (paidSteps.has(step) ? 1 : 0)) },
        { series: selector("payments", { provider: "stripe", outcome: "failed", mode: "live" }), samples: counter(steps(minutes, slowScrapeSeconds), () => 0) },
    ];
}

/** The scenarios, written for the documented default thresholds (docs/monitoring.md): traffic fixed, rules from config. */
export function alertScenarios(): AlertScenario[] {
    const signatureAt = 20;
    const signatureSeries = (samples: Samples) => [
        ...deliveries(40, 10, 0),
        { series: selector("signatureVerificationFailures", { provider: "stripe" }), samples },
        { series: selector("signatureVerificationFailures", { provider: "paystack" }), samples: flat(40) },
    ];
    const lastPayment = 120;
    return [
        // payment failure ratio > 0.1 over 15m
        { name: "payment-failure-ratio firing", signal: "paymentFailureRatio", story: "11% of live payments fail from the start of traffic (just above 10%)", minutes: 30, series: payments(30, 89, 11), expect: { kind: "fires", signalStartSeconds: scrapeSeconds } },
        { name: "payment-failure-ratio quiet", signal: "paymentFailureRatio", story: "9% of live payments fail for an hour (just below 10%)", minutes: 60, series: payments(60, 91, 9), expect: { kind: "never" } },
        { name: "payment-failure-ratio at threshold", signal: "paymentFailureRatio", story: "exactly 10% fail: the condition is strictly above", minutes: 30, series: payments(30, 90, 10), expect: { kind: "never" } },
        { name: "payment-failure-ratio no traffic", signal: "paymentFailureRatio", story: "counters exported at 0, no payment: 0/clamp_min(0) = 0, quiet", minutes: 30, series: payments(30, 0, 0), expect: { kind: "never" } },
        { name: "payment-failure-ratio nothing exported", signal: "paymentFailureRatio", story: "no payment series at all: no data, which the rule treats as OK", minutes: 30, series: deliveries(30, 1, 0), expect: { kind: "never" } },
        // webhook delivery failures > 0.05 over 15m
        { name: "webhook-delivery-failures firing", signal: "webhookDeliveryFailures", story: "5.1% of deliveries fail (just above 5%)", minutes: 40, series: deliveries(40, 949, 51), expect: { kind: "fires", signalStartSeconds: scrapeSeconds } },
        { name: "webhook-delivery-failures quiet", signal: "webhookDeliveryFailures", story: "4.9% of deliveries fail for an hour (just below 5%)", minutes: 60, series: deliveries(60, 951, 49), expect: { kind: "never" } },
        { name: "webhook-delivery-failures no traffic", signal: "webhookDeliveryFailures", story: "counters exported at 0, no delivery: quiet", minutes: 30, series: deliveries(30, 0, 0), expect: { kind: "never" } },
        { name: "webhook-delivery-failures nothing exported", signal: "webhookDeliveryFailures", story: "no delivery series at all: no data, OK", minutes: 30, series: payments(30, 1, 0), expect: { kind: "never" } },
        // signature verification failure: any in 10m
        { name: "signature-verification-failure firing", signal: "signatureVerificationFailure", story: `one failure at minute ${signatureAt} on a counter exported at 0: fires, and stays until it leaves the 10m window`, minutes: 40, series: signatureSeries(counter(steps(40), (step) => (step === steps(signatureAt) ? 1 : 0))), expect: { kind: "fires", signalStartSeconds: signatureAt * 60, untilSeconds: (signatureAt + 10) * 60 } },
        { name: "signature-verification-failure quiet", signal: "signatureVerificationFailure", story: "webhook traffic, no signature failure for 40 minutes", minutes: 40, series: signatureSeries(flat(40)), expect: { kind: "never" } },
        { name: "signature-verification-failure first seen at 1", signal: "signatureVerificationFailure", story: `the failure counter appears at minute ${signatureAt} already at 1 (not exported at 0 first): increase() cannot see it, no alert — why the exporter must initialise it at 0`, minutes: 40, series: signatureSeries(counter(steps(40), () => 0, { from: steps(signatureAt), start: 1 })), expect: { kind: "never" } },
        { name: "signature-verification-failure nothing exported", signal: "signatureVerificationFailure", story: "no signature series at all: no data, OK", minutes: 30, series: deliveries(30, 1, 0), expect: { kind: "never" } },
        // error rate > 0.02 over 5m
        { name: "error-rate firing", signal: "errorRate", story: "2.1% of responses are 5xx (just above 2%)", minutes: 20, series: requests(20, 979, 21), expect: { kind: "fires", signalStartSeconds: scrapeSeconds } },
        { name: "error-rate burst", signal: "errorRate", story: "0.5% 5xx, then 10% for 4 minutes from minute 20: the 5-minute ratio stays above 2% longer than the pending period, so it fires", minutes: 40, series: requestsBurst(40, 20, 4), expect: { kind: "fires", signalStartSeconds: 21 * 60, untilSeconds: 28 * 60 } },
        { name: "error-rate quiet", signal: "errorRate", story: "1.9% of responses are 5xx for an hour (just below 2%)", minutes: 60, series: requests(60, 981, 19), expect: { kind: "never" } },
        { name: "error-rate at threshold", signal: "errorRate", story: "exactly 2% are 5xx: the condition is strictly above", minutes: 20, series: requests(20, 980, 20), expect: { kind: "never" } },
        { name: "error-rate no traffic", signal: "errorRate", story: "counters exported at 0, no request: quiet", minutes: 20, series: requests(20, 0, 0), expect: { kind: "never" } },
        { name: "error-rate nothing exported", signal: "errorRate", story: "no request series at all: no data, OK", minutes: 20, series: payments(20, 1, 0), expect: { kind: "never" } },
        // no successful live payment in 6h
        { name: "no-successful-payment firing", signal: "noSuccessfulPayment", story: `a live payment every 30 minutes until minute ${lastPayment}, then none: fires once 6 h have passed without one`, minutes: lastPayment + 6 * 60 + 40, scrapeSeconds: slowScrapeSeconds, series: livePaymentsAt(lastPayment + 6 * 60 + 40, [0, 30, 60, 90, lastPayment]), expect: { kind: "fires", signalStartSeconds: (lastPayment + 6 * 60) * 60 } },
        { name: "no-successful-payment quiet", signal: "noSuccessfulPayment", story: "one live payment every 5 hours for 12 hours (just inside the 6 h window)", minutes: 12 * 60, scrapeSeconds: slowScrapeSeconds, series: livePaymentsAt(12 * 60, [0, 5 * 60, 10 * 60]), expect: { kind: "never" } },
        { name: "no-successful-payment nothing exported", signal: "noSuccessfulPayment", story: "no payment series at all once live: `or vector(0)` makes it 0, so it fires after the pending period", minutes: 30, series: deliveries(30, 1, 0), expect: { kind: "fires", signalStartSeconds: 0 } },
    ];
}

/** The first and last evaluation a scenario's expectation constrains, for the pending period and interval of its rule. */
export function expectationWindow(scenario: AlertScenario, pendingPeriod: string, intervalSeconds: number): { quietBefore: number; firingFrom: number } | undefined {
    if (scenario.expect.kind === "never") return undefined;
    const pending = durationSeconds(pendingPeriod);
    return { quietBefore: scenario.expect.signalStartSeconds + pending, firingFrom: scenario.expect.signalStartSeconds + pending + intervalSeconds };
}

export function seriesNotation(scenario: AlertScenario): { series: string; values: string }[] {
    return scenario.series.map((s) => ({ series: s.series, values: promtoolValues(s.samples) }));
}
