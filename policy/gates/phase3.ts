import type { ResourceValidation } from "@pulumi/policy";
import { alertSignals, deliveredSecretNames, dynamicResourceType, requiredDashboards, requiredStripeEvents } from "../protocol/index.js";
import { type ResourceGate, type StackGate, violationMessage } from "./gate.js";
import { dashboardGate, signalGate } from "./monitoringRules.js";
import { requireDelivered } from "./phase2.js";
import { presenceGate } from "./presence.js";
import { type Props, stringsOf, stringOf } from "./read.js";
import { isStripeEndpoint, paystackWebhooks, stripeEndpoints } from "./stackResources.js";

/** Runs `check` on Stripe webhook endpoints only (dynamic resources are told apart by a property). */
function onStripeEndpoints(check: (props: Props, report: (message: string) => void) => void): ResourceValidation {
    const validate: ResourceValidation = (args, reportViolation) => {
        const props: Props = args.props;
        if (isStripeEndpoint(args.type, props)) check(props, (message) => reportViolation(message));
    };
    // The type tag validateResourceOfType attaches: the pack then skips other types without deserializing them.
    return Object.assign(validate, { __pulumiType: dynamicResourceType });
}

export const stripeRequiredEvents: ResourceGate = {
    kind: "resource",
    id: "p3-stripe-required-events",
    description: "Every Stripe webhook endpoint enables the events the payment flow depends on.",
    phase: 3,
    criterion: "Webhooks configured and tested",
    owner: "Kilo",
    artifact: "Webhook configuration files",
    severity: "critical",
    blockerCategory: "Payment processing failures",
    validateResource: () =>
        onStripeEndpoints((props, report) => {
            const enabled = stringsOf(props["enabledEvents"]);
            if (enabled.includes("*")) return;
            const missing = requiredStripeEvents.filter((event) => !enabled.includes(event));
            if (missing.length > 0) {
                report(
                    violationMessage(
                        stripeRequiredEvents,
                        `Stripe webhook endpoint ${stringOf(props["url"]) ?? ""} does not enable ${missing.join(", ")}`,
                        "leave vauntico:payments.stripe.events unset (the required set) or include these events",
                    ),
                );
            }
        }),
};

export const stripeRequiredEventsPresent = presenceGate(
    stripeRequiredEvents,
    {
        id: "p3-stripe-required-events-present",
        description: "The stack has a Stripe webhook endpoint.",
    },
    () => ({
        what: "Stripe webhook endpoint",
        found: (resource) => isStripeEndpoint(resource.type, resource.props),
        fix: "configure vauntico:payments.stripe so the Stripe WebhookEndpoint component is created",
    }),
);

const stripeApiVersionPattern = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

export const stripeApiVersionPinned: ResourceGate = {
    kind: "resource",
    id: "p3-stripe-api-version-pinned",
    description: "Every Stripe webhook endpoint pins the API version its events are rendered in.",
    phase: 3,
    criterion: "Payment processors fully integrated",
    owner: "Kilo",
    artifact: "Webhook configuration files",
    severity: "high",
    blockerCategory: "Payment processing failures",
    validateResource: () =>
        onStripeEndpoints((props, report) => {
            const version = stringOf(props["apiVersion"]);
            if (version === undefined || !stripeApiVersionPattern.test(version)) {
                report(
                    violationMessage(
                        stripeApiVersionPinned,
                        `Stripe webhook endpoint ${stringOf(props["url"]) ?? ""} has API version ${JSON.stringify(version ?? null)}, not a pinned version`,
                        "set the endpoint's apiVersion to a dated Stripe API version such as 2026-10-28.endive",
                    ),
                );
            }
        }),
};

export const paymentKeysDelivered: StackGate = {
    kind: "stack",
    id: "p3-payment-keys-delivered",
    description: "Each payment processor's API key is delivered to the production environment (as a secret: proven by preflight and tests).",
    phase: 3,
    criterion: "Payment processors fully integrated",
    owner: "Kilo",
    artifact: "Payment integration documentation",
    severity: "critical",
    blockerCategory: "Payment processing failures",
    validateStack: (context) => (args, reportViolation) => {
        const stripe = context.stripeConfigured || stripeEndpoints(args.resources).length > 0;
        const paystack = context.paystackConfigured || paystackWebhooks(args.resources).length > 0;
        const needed = [
            ...(stripe ? [{ name: deliveredSecretNames.stripeSecretKey, because: "the application calls Stripe with it" }] : []),
            ...(paystack ? [{ name: deliveredSecretNames.paystackSecretKey, because: "the application calls Paystack with it" }] : []),
        ];
        requireDelivered(paymentKeysDelivered, context, args.resources, reportViolation, needed, "no payment processor in the stack");
    },
};

export const paymentsDashboard = dashboardGate(
    {
        id: "p3-payments-dashboard",
        description: "The payments dashboard exists, in a folder.",
        phase: 3,
        criterion: "Payment dashboard operational",
        owner: "Kilo",
        artifact: "Payment dashboard setup guide",
        severity: "high",
        blockerCategory: "Payment processing failures",
    },
    requiredDashboards.payments,
);

export const paymentFailureAlert = signalGate(
    {
        id: "p3-payment-failure-alert",
        description: "An alert rule watches the payment failure ratio.",
        phase: 3,
        criterion: "Payment dashboard operational",
        owner: "Kilo",
        artifact: "Payment dashboard setup guide",
        severity: "high",
        blockerCategory: "Payment processing failures",
    },
    [alertSignals.paymentFailureRatio],
);

export const phase3Gates = [
    stripeRequiredEvents,
    stripeRequiredEventsPresent,
    stripeApiVersionPinned,
    paymentKeysDelivered,
    paymentsDashboard,
    paymentFailureAlert,
] as const;
