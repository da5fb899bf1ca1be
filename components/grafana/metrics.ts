/**
 * The metrics contract: every Prometheus series the application must emit for the protocol's
 * monitoring. Dashboards and alert rules are built from these definitions only (through `promql.ts`),
 * so a metric that is not here cannot appear in a panel or a rule.
 */

export type MetricType = "counter" | "gauge" | "histogram";

export interface MetricDefinition<Label extends string = string> {
    /** Prometheus name; counters end in `_total` as the exposition format requires. */
    readonly name: string;
    readonly type: MetricType;
    /** The HELP text the application exports. */
    readonly help: string;
    /** Every label the series carries, with the values it may take (`null`: free-form, bounded by the app). */
    readonly labels: { readonly [L in Label]: readonly string[] | null };
}

export const paymentProviders = ["stripe", "paystack"] as const;
export const paymentModes = ["test", "live"] as const;

/** The conversion funnel, in order: each stage is a subset of the one before. */
export const funnelStages = ["waitlist_joined", "beta_invited", "signed_up", "first_payment"] as const;
export type FunnelStage = (typeof funnelStages)[number];

function metric<Label extends string>(definition: MetricDefinition<Label>): MetricDefinition<Label> {
    return definition;
}

export const metrics = {
    payments: metric({
        name: "vauntico_payments_total",
        type: "counter",
        help: "Payment attempts that reached a final state, by provider, outcome and payment mode.",
        labels: { provider: paymentProviders, outcome: ["succeeded", "failed"], mode: paymentModes },
    }),
    refunds: metric({
        name: "vauntico_refunds_total",
        type: "counter",
        help: "Refunds issued (charge.refunded / refund.processed), by provider and payment mode.",
        labels: { provider: paymentProviders, mode: paymentModes },
    }),
    disputes: metric({
        name: "vauntico_disputes_total",
        type: "counter",
        help: "Disputes / chargebacks opened (charge.dispute.created / charge.create), by provider and payment mode.",
        labels: { provider: paymentProviders, mode: paymentModes },
    }),
    webhookDeliveries: metric({
        name: "vauntico_webhook_deliveries_total",
        type: "counter",
        help: "Webhook deliveries received, by provider and outcome (processed, or failed while handling).",
        labels: { provider: paymentProviders, outcome: ["processed", "failed"] },
    }),
    signatureVerificationFailures: metric({
        name: "vauntico_webhook_signature_failures_total",
        type: "counter",
        help: "Webhook requests rejected because their signature did not verify, by provider.",
        labels: { provider: paymentProviders },
    }),
    httpRequests: metric({
        name: "vauntico_http_requests_total",
        type: "counter",
        help: 'HTTP requests served, by route template and status class; errors are status_class="5xx".',
        labels: { route: null, status_class: ["2xx", "3xx", "4xx", "5xx"] },
    }),
    revenue: metric({
        name: "vauntico_revenue_minor_units_total",
        type: "counter",
        help: "Revenue collected in the currency's minor unit (cents, kobo), by provider, currency (ISO 4217) and mode.",
        labels: { provider: paymentProviders, currency: null, mode: paymentModes },
    }),
    funnel: metric({
        name: "vauntico_funnel_events_total",
        type: "counter",
        help: "Users reaching a funnel stage: waitlist_joined -> beta_invited -> signed_up -> first_payment.",
        labels: { stage: funnelStages },
    }),
} as const;

export type MetricKey = keyof typeof metrics;
export type LabelOf<K extends MetricKey> = keyof (typeof metrics)[K]["labels"] & string;

/** Every metric name of the contract. */
export const contractMetricNames: ReadonlySet<string> = new Set(Object.values(metrics).map((m) => m.name));
