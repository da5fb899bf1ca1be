import { requiredDashboards } from "../../../policy/protocol/contract.js";
import { funnelStages } from "../metrics.js";
import { ratio, sumIncrease, sumRate } from "../promql.js";
import type { DashboardSpec } from "./panels.js";

const tags = ["vauntico", "managed-by-pulumi"] as const;

export const webhooksDashboard: DashboardSpec = {
    uid: requiredDashboards.webhooks.uid,
    title: requiredDashboards.webhooks.title,
    description: "Stripe and Paystack webhook deliveries and signature verification (protocol phase 2).",
    tags: [...tags, "webhooks"],
    panels: [
        {
            kind: "timeseries",
            title: "Deliveries by provider and outcome",
            description: "Webhook deliveries per second.",
            unit: "reqps",
            width: 12,
            queries: [
                {
                    expr: sumRate("webhookDeliveries", "5m", {}, ["provider", "outcome"]),
                    legend: "{{provider}} {{outcome}}",
                },
            ],
        },
        {
            kind: "timeseries",
            title: "Delivery failure ratio",
            description: "Share of deliveries that failed while being handled, per provider.",
            unit: "percentunit",
            width: 12,
            redFrom: 0.05,
            queries: [
                {
                    expr: ratio(sumRate("webhookDeliveries", "5m", { outcome: "failed" }, ["provider"]), sumRate("webhookDeliveries", "5m", {}, ["provider"])),
                    legend: "{{provider}}",
                },
            ],
        },
        {
            kind: "stat",
            title: "Signature verification failures (1h)",
            description: "Any value above zero is a security signal: forged or misconfigured webhook senders.",
            unit: "short",
            width: 12,
            redFrom: 1,
            queries: [{ expr: sumIncrease("signatureVerificationFailures", "1h"), legend: "failures" }],
        },
        {
            kind: "timeseries",
            title: "Signature verification failures by provider",
            description: "Rejected webhook requests per second.",
            unit: "reqps",
            width: 12,
            queries: [
                {
                    expr: sumRate("signatureVerificationFailures", "5m", {}, ["provider"]),
                    legend: "{{provider}}",
                },
            ],
        },
    ],
};

export const paymentsDashboard: DashboardSpec = {
    uid: requiredDashboards.payments.uid,
    title: requiredDashboards.payments.title,
    description: "Payments, refunds, disputes and request errors (protocol phase 3).",
    tags: [...tags, "payments"],
    panels: [
        {
            kind: "timeseries",
            title: "Payments by provider and outcome",
            description: "Payments reaching a final state, per second.",
            unit: "ops",
            width: 12,
            queries: [
                {
                    expr: sumRate("payments", "5m", {}, ["provider", "outcome", "mode"]),
                    legend: "{{provider}} {{outcome}} ({{mode}})",
                },
            ],
        },
        {
            kind: "timeseries",
            title: "Payment failure ratio",
            description: "Failed payments over all payments, per provider.",
            unit: "percentunit",
            width: 12,
            redFrom: 0.1,
            queries: [
                {
                    expr: ratio(sumRate("payments", "15m", { outcome: "failed" }, ["provider"]), sumRate("payments", "15m", {}, ["provider"])),
                    legend: "{{provider}}",
                },
            ],
        },
        {
            kind: "stat",
            title: "Refunds (24h)",
            description: "Refunds issued in the last 24 hours.",
            unit: "short",
            width: 8,
            queries: [{ expr: sumIncrease("refunds", "24h", {}, ["provider"]), legend: "{{provider}}" }],
        },
        {
            kind: "stat",
            title: "Disputes (24h)",
            description: "Disputes opened in the last 24 hours.",
            unit: "short",
            width: 8,
            redFrom: 1,
            queries: [{ expr: sumIncrease("disputes", "24h", {}, ["provider"]), legend: "{{provider}}" }],
        },
        {
            kind: "stat",
            title: "Request error rate",
            description: "HTTP 5xx responses over all responses.",
            unit: "percentunit",
            width: 8,
            redFrom: 0.02,
            queries: [
                {
                    expr: ratio(sumRate("httpRequests", "5m", { status_class: "5xx" }), sumRate("httpRequests", "5m")),
                    legend: "5xx ratio",
                },
            ],
        },
        {
            kind: "timeseries",
            title: "Request errors by route",
            description: "HTTP 5xx responses per second, per route.",
            unit: "reqps",
            width: 24,
            queries: [
                {
                    expr: sumRate("httpRequests", "5m", { status_class: "5xx" }, ["route"]),
                    legend: "{{route}}",
                },
            ],
        },
    ],
};

export const revenueDashboard: DashboardSpec = {
    uid: requiredDashboards.revenue.uid,
    title: requiredDashboards.revenue.title,
    description: "Live revenue by currency and the waitlist -> beta -> sign-up -> first payment funnel (phase 5).",
    tags: [...tags, "revenue"],
    panels: [
        {
            kind: "stat",
            title: "Revenue (24h, minor units)",
            description: "Live revenue in each currency's minor unit (cents, kobo); divide by 100 for major units.",
            unit: "short",
            width: 12,
            queries: [
                {
                    expr: sumIncrease("revenue", "24h", { mode: "live" }, ["currency"]),
                    legend: "{{currency}}",
                },
            ],
        },
        {
            kind: "timeseries",
            title: "Revenue per hour by currency (minor units)",
            description: "Live revenue collected per hour.",
            unit: "short",
            width: 12,
            queries: [
                {
                    expr: sumIncrease("revenue", "1h", { mode: "live" }, ["currency", "provider"]),
                    legend: "{{currency}} {{provider}}",
                },
            ],
        },
        {
            kind: "stat",
            title: "Funnel (7d)",
            description: "Users reaching each funnel stage in the last 7 days, in funnel order.",
            unit: "short",
            width: 12,
            queries: funnelStages.map((stage) => ({ expr: sumIncrease("funnel", "7d", { stage }), legend: stage })),
        },
        {
            kind: "stat",
            title: "Conversion (7d)",
            description: "Each stage over the stage before it.",
            unit: "percentunit",
            width: 12,
            queries: funnelStages.slice(1).map((stage, index) => ({
                expr: ratio(sumIncrease("funnel", "7d", { stage }), sumIncrease("funnel", "7d", { stage: funnelStages[index] })),
                legend: `${funnelStages[index]} -> ${stage}`,
            })),
        },
    ],
};

export const dashboardSpecs = {
    webhooks: webhooksDashboard,
    payments: paymentsDashboard,
    revenue: revenueDashboard,
} as const satisfies Record<keyof typeof requiredDashboards, DashboardSpec>;
