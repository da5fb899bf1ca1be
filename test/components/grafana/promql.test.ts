import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectDir } from "../../support/stackFiles.js";
import { contractMetricNames, contractProblems, metrics, ratio, selector, sumIncrease, sumRate } from "../../../components/grafana/index.js";

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

describe("the contract the application team reads (docs/monitoring.md)", () => {
    it("lists exactly the metrics and labels of metrics.ts", () => {
        const docs = readFileSync(join(projectDir, "docs", "monitoring.md"), "utf8");
        const table = docs.split("## Metrics contract")[1]?.split("\n\n").find((block) => block.startsWith("| Metric")) ?? "";
        const rows = table.split("\n").slice(2).map((line) => line.split(" | ").map((c) => c.replace(/^\| /, "")));
        const documented = Object.fromEntries(rows.map((cells) => [cells[0]?.replace(/`/g, "") ?? "", [...(cells[2] ?? "").matchAll(/`([a-z_]+)`/g)].map((m) => m[1])]));
        const expected = Object.fromEntries(Object.values(metrics).map((m) => [m.name, Object.keys(m.labels)]));
        expect(documented).toEqual(expected);
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

describe("contractProblems", () => {
    it("accepts every query built from the contract", () => {
        expect(contractProblems(ratio(sumRate("payments", "15m", { outcome: "failed" }, ["provider"]), sumRate("payments", "15m", {}, ["provider"])))).toEqual([]);
    });

    it("names a syntax error, a metric outside the contract, a foreign label, a value the label never takes and a foreign grouping label", () => {
        expect(contractProblems("sum(rate(vauntico_payments_total[5m])")[0]).toMatch(/PromQL syntax error at column 38/);
        expect(contractProblems("sum(rate(vauntico_payment_total[5m]))")[0]).toMatch(/metric vauntico_payment_total is not in the metrics contract/);
        expect(contractProblems('sum(rate(vauntico_payments_total{route="/x"}[5m]))')[0]).toMatch(/vauntico_payments_total has no label route/);
        expect(contractProblems('sum(rate(vauntico_payments_total{outcome="failure"}[5m]))')[0]).toMatch(/outcome takes succeeded, failed/);
        expect(contractProblems("sum by (route) (rate(vauntico_payments_total[5m]))")[0]).toMatch(/grouping label route is carried by none/);
        expect(contractProblems("vector(1)")[0]).toMatch(/selects no metric/);
    });

    it("lets a regex matcher and a free-form label through", () => {
        expect(contractProblems('sum(rate(vauntico_payments_total{outcome=~"fail.*"}[5m]))')).toEqual([]);
        expect(contractProblems('sum(rate(vauntico_http_requests_total{route="/webhooks/:provider"}[5m]))')).toEqual([]);
    });
});
