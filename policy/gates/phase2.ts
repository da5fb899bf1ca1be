import { alertSignals, deliveredSecretNames, requiredDashboards } from "../protocol/index.js";
import type { GateContext } from "./context.js";
import { type StackGate, violationMessage } from "./gate.js";
import { dashboardGate, signalGate } from "./monitoringRules.js";
import { deliveredSecrets, paystackWebhooks, stripeEndpoints } from "./stackResources.js";
import type { PolicyResource, ReportViolation } from "@pulumi/policy";

/**
 * Why a webhook URL fails the gate, or undefined. The pack stands alone, so it cannot share the program's URL
 * rules (components/urls); this is the pack's own check of what the protocol asks: HTTPS, and no credential
 * in a URL (it would reach plaintext outputs and messages).
 */
function webhookUrlFailure(text: string | undefined): string | undefined {
    if (text === undefined || !URL.canParse(text)) return "is not HTTPS";
    const url = new URL(text);
    if (url.protocol !== "https:") return "is not HTTPS";
    return url.username !== "" || url.password !== "" ? "carries a user name or password" : undefined;
}

/** The URL as a message may show it: without `user:password@`, and nothing of text that is no http(s) URL. */
function shownUrl(text: string | undefined): string {
    if (text === undefined) return "(none)";
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) return "(not an http(s) URL)";
    url.username = "";
    url.password = "";
    return url.href;
}

export const webhookEndpoints: StackGate = {
    kind: "stack",
    id: "p2-webhook-endpoints",
    description: "Every configured payment processor has a webhook endpoint, and every endpoint URL is HTTPS.",
    phase: 2,
    criterion: "Payment flows functional",
    owner: "Cline",
    artifact: "Payment flow test reports",
    severity: "high",
    blockerCategory: "Payment processing failures",
    validateStack: (context: GateContext) => (args, reportViolation) => {
        const stripe = stripeEndpoints(args.resources);
        const paystack = paystackWebhooks(args.resources);
        if (stripe.length + paystack.length === 0) {
            reportViolation(
                violationMessage(
                    webhookEndpoints,
                    "no webhook endpoint (Stripe or Paystack) in the stack",
                    "configure vauntico:payments.stripe and/or vauntico:payments.paystack so their webhook components are created",
                ),
            );
        }
        if (context.stripeConfigured && stripe.length === 0) {
            reportViolation(
                violationMessage(
                    webhookEndpoints,
                    "vauntico:payments.stripe is configured but the stack has no Stripe webhook endpoint",
                    "create the Stripe WebhookEndpoint component",
                ),
            );
        }
        if (context.paystackConfigured && paystack.length === 0) {
            reportViolation(
                violationMessage(
                    webhookEndpoints,
                    "vauntico:payments.paystack is configured but the stack has no Paystack webhook",
                    "create the Paystack Webhook component",
                ),
            );
        }
        for (const endpoint of stripe) {
            const failure = webhookUrlFailure(endpoint.url);
            if (failure !== undefined) {
                reportViolation(
                    violationMessage(
                        webhookEndpoints,
                        `Stripe webhook endpoint URL ${shownUrl(endpoint.url)} ${failure}`,
                        "set vauntico:payments.stripe.webhookUrl to an https:// URL without credentials",
                    ),
                    endpoint.resource.urn,
                );
            }
        }
        for (const webhook of paystack) {
            const failure = webhookUrlFailure(webhook.webhookUrl);
            if (failure !== undefined) {
                reportViolation(
                    violationMessage(
                        webhookEndpoints,
                        `Paystack webhook URL ${shownUrl(webhook.webhookUrl)} ${failure}`,
                        "set vauntico:payments.paystack.webhookUrl to an https:// URL without credentials",
                    ),
                    webhook.resource.urn,
                );
            }
        }
    },
};

/** Reports each `name` not delivered to the environment, or a missing processor when there is none. */
export function requireDelivered(
    gate: StackGate,
    context: GateContext,
    resources: readonly PolicyResource[],
    reportViolation: ReportViolation,
    needed: readonly { name: string; because: string }[],
    noneProblem: string,
): void {
    if (needed.length === 0) {
        reportViolation(violationMessage(gate, noneProblem, "configure vauntico:payments so the webhook components are created"));
        return;
    }
    const delivered = deliveredSecrets(resources, context.environmentName);
    for (const { name, because } of needed) {
        if ((delivered.get(name)?.length ?? 0) === 0) {
            reportViolation(
                violationMessage(
                    gate,
                    `${name} is not delivered to the "${context.environmentName}" environment (${because})`,
                    `deliver ${name} as an environment secret of "${context.environmentName}"`,
                ),
            );
        }
    }
}

export const webhookSigningSecretsDelivered: StackGate = {
    kind: "stack",
    id: "p2-webhook-signing-secrets-delivered",
    description: "The secret each webhook's signatures are verified with is delivered to the production environment.",
    phase: 2,
    criterion: "Payment flows functional",
    owner: "Cline",
    artifact: "Validation test results",
    severity: "critical",
    blockerCategory: "Security vulnerabilities",
    validateStack: (context) => (args, reportViolation) => {
        const needed = [
            ...(stripeEndpoints(args.resources).length > 0
                ? [{ name: deliveredSecretNames.stripeWebhookSecret, because: "it verifies Stripe webhook signatures" }]
                : []),
            ...(paystackWebhooks(args.resources).length > 0
                ? [{ name: deliveredSecretNames.paystackSecretKey, because: "Paystack signs webhooks with the secret key" }]
                : []),
        ];
        requireDelivered(
            webhookSigningSecretsDelivered,
            context,
            args.resources,
            reportViolation,
            needed,
            "no webhook endpoint whose signing secret could be delivered",
        );
    },
};

export const webhooksDashboard = dashboardGate(
    {
        id: "p2-webhooks-dashboard",
        description: "The webhooks dashboard exists, in a folder.",
        phase: 2,
        criterion: "Monitoring systems operational",
        owner: "Cline",
        artifact: "Monitoring configuration documentation",
        severity: "high",
        blockerCategory: "Production outages",
    },
    requiredDashboards.webhooks,
);

export const webhookAlerts = signalGate(
    {
        id: "p2-webhook-alerts",
        description: "Alert rules watch webhook delivery failures and signature verification failures.",
        phase: 2,
        criterion: "Monitoring systems operational",
        owner: "Cline",
        artifact: "Alert setup verification",
        severity: "high",
        blockerCategory: "Production outages",
    },
    [alertSignals.webhookDeliveryFailures, alertSignals.signatureVerificationFailure],
);

export const phase2Gates = [webhookEndpoints, webhookSigningSecretsDelivered, webhooksDashboard, webhookAlerts] as const;
