import { describe, expect, it } from "vitest";
import { contractMetricNames, metricNamesIn, metrics, ratio, selector, sumIncrease, sumRate } from "../../../components/grafana/index.js";

describe("metrics contract", () => {
    it("names every metric once, counters ending in _total", () => {
        const all = Object.values(metrics);
        expect(contractMetricNames.size).toBe(all.length);
        for (const metric of all) {
            expect(metric.name).toMatch(/^vauntico_[a-z0-9_]+$/);
            if (metric.type === "counter") expect(metric.name).toMatch(/_total$/);
        }
    });

    it("covers payments, refunds, disputes, webhooks, signatures, request errors, revenue and the funnel", () => {
        expect(Object.keys(metrics).sort()).toEqual(
            ["disputes", "funnel", "httpRequests", "payments", "refunds", "revenue", "signatureVerificationFailures", "webhookDeliveries"].sort(),
        );
        expect(metrics.funnel.labels.stage).toEqual(["waitlist_joined", "beta_invited", "signed_up", "first_payment"]);
    });
});

describe("PromQL builders", () => {
    it("sort label matchers so the text is stable", () => {
        expect(selector("payments", { provider: "stripe", outcome: "failed" })).toBe(
            'vauntico_payments_total{outcome="failed",provider="stripe"}',
        );
    });

    it("compose rates, increases and ratios", () => {
        expect(ratio(sumRate("payments", "5m", { outcome: "failed" }, ["provider"]), sumRate("payments", "5m", {}, ["provider"]))).toBe(
            '(sum by (provider) (rate(vauntico_payments_total{outcome="failed"}[5m]))) / clamp_min(sum by (provider) (rate(vauntico_payments_total[5m])), 1e-9)',
        );
        expect(sumIncrease("funnel", "7d", { stage: "signed_up" })).toBe('sum (increase(vauntico_funnel_events_total{stage="signed_up"}[7d]))');
    });
});

describe("metricNamesIn", () => {
    it("finds selected metrics, not functions, keywords, labels, strings or numbers", () => {
        expect(
            metricNamesIn('(sum by (provider) (rate(vauntico_payments_total{outcome="failed"}[5m]))) / clamp_min(sum(rate(other_metric[5m])), 1e-9) or vector(0)'),
        ).toEqual(["other_metric", "vauntico_payments_total"]);
        expect(metricNamesIn("up == 1 and on(job) node_load1 > 2")).toEqual(["node_load1", "up"]);
    });
});
