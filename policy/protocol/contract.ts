/**
 * Names shared by the program (which creates resources) and the gates (which look for them). The gates
 * cannot import components, so the names both sides agree on live here, beside the protocol they serve.
 */

/** GitHub environment secret names for credentials delivered to the application. */
export const deliveredSecretNames = {
    stripeSecretKey: "STRIPE_SECRET_KEY",
    stripeWebhookSecret: "STRIPE_WEBHOOK_SECRET",
    paystackSecretKey: "PAYSTACK_SECRET_KEY",
} as const;

/** The environment secret that carries a Sentry project's DSN, e.g. `SENTRY_DSN_BACKEND`. */
export function sentryDsnSecretName(projectSlug: string): string {
    return `SENTRY_DSN_${projectSlug.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`;
}

/**
 * Dynamic resources all share the type `pulumi-nodejs:dynamic:Resource`; ours carry this input so gates
 * can recognise them.
 */
export const dynamicKindProperty = "vaunticoKind";
export const stripeWebhookEndpointKind = "stripe:WebhookEndpoint";

/** Events every Stripe webhook endpoint must enable. */
export const requiredStripeEvents: readonly string[] = [
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "charge.refunded",
    "charge.dispute.created",
    "checkout.session.completed",
    "invoice.paid",
    "invoice.payment_failed",
];

export type PaymentMode = "test" | "live";

/** Dashboards the protocol asks for, by the UID their Grafana JSON carries, and the phase that needs them. */
export const requiredDashboards = {
    webhooks: { uid: "vauntico-webhooks", title: "Webhooks", phase: 2 },
    payments: { uid: "vauntico-payments", title: "Payments", phase: 3 },
    revenue: { uid: "vauntico-revenue", title: "Revenue & conversion", phase: 5 },
} as const;

/** Labels every Grafana alert rule carries, used for routing and by the gates. */
export const alertLabelKeys = { signal: "signal", severity: "severity", team: "team" } as const;

/** The alert signals the protocol's monitoring needs, as `signal` label values. */
export const alertSignals = {
    paymentFailureRatio: "payment-failure-ratio",
    webhookDeliveryFailures: "webhook-delivery-failures",
    signatureVerificationFailure: "signature-verification-failure",
    errorRate: "error-rate",
    noSuccessfulPayment: "no-successful-payment",
} as const;

/** The type every dynamic resource shares; ours are told apart by `dynamicKindProperty`. */
export const dynamicResourceType = "pulumi-nodejs:dynamic:Resource";

/** Component type tokens the gates look for (the program's components register under these). */
export const componentTypes = {
    deploymentSecrets: "vauntico:secrets:DeploymentSecrets",
    productionEnvironment: "vauntico:github:ProductionEnvironment",
    mergeProtection: "vauntico:github:MergeProtection",
    stripeWebhookEndpoint: "vauntico:stripe:WebhookEndpoint",
    /** Registers outputs `{ webhookUrl, mode }`. */
    paystackWebhook: "vauntico:paystack:Webhook",
    /** Carries the stack's phase into the stack: registers outputs `{ phase, paymentsMode }`. */
    handoffPhase: "vauntico:protocol:HandoffPhase",
    /** Carries the stack's handoff ledger into the stack: registers outputs `{ stack, entryCount, ledger }`, `ledger` the JSON of `{ records, evidence }`. */
    handoffLedger: "vauntico:protocol:HandoffLedger",
} as const;

/** Smallest secret the protocol accepts: 32 bytes, 256 bits. */
export const minimumSecretBits = 256;

/*
 * Escalation and alerting contract, as refined by the monitoring research (docs/monitoring.md):
 * - One Grafana IRM escalation chain per team (`grafana.oncall.EscalationChain`), its steps
 *   `grafana.oncall.Escalation` with `escalationChainId`; in `position` order the non-`wait` steps are L1–L4,
 *   the `wait` durations before a level add up to escalationPath[level].withinSeconds, L4 follows a further
 *   wait. OnCall accepts waits of 60–86400 s. A chain stops once its alert group is acknowledged or resolved
 *   (IRM's semantics; the protocol's "if unresolved" is approximated, see the docs).
 * - Each chain is fed by a `grafana.oncall.Integration` of type `grafana_alerting`; the team's critical
 *   contact point (`vauntico-<team>-critical`) carries it under `oncalls` besides Slack and email.
 * - The `no-successful-payment` rule exists from the first monitoring phase but has `isPaused: true` until
 *   `vauntico:payments.mode` is live; a gate wanting it active should check `isPaused` at phase 5.
 */

/** Escalation step types that open a full incident (L4) in Grafana OnCall. */
export const incidentEscalationTypes: readonly string[] = ["declare_incident", "trigger_webhook", "trigger_action"];
