import type { PolicyResource } from "@pulumi/policy";
import { alertSignals, requiredDashboards } from "../protocol/index.js";
import { type StackGate, violationMessage } from "./gate.js";
import { dashboardGate, signalGate } from "./monitoringRules.js";
import { paystackWebhooks, stripeEndpoints } from "./stackResources.js";

export const revenueDashboard = dashboardGate(
    {
        id: "p5-revenue-dashboard",
        description: "The revenue & conversion dashboard exists, in a folder.",
        phase: 5,
        criterion: "Revenue metrics active",
        owner: "Kilo",
        artifact: "Revenue metrics dashboard",
        severity: "high",
        blockerCategory: "Data integrity issues",
    },
    requiredDashboards.revenue,
);

export const revenueAlert = signalGate(
    {
        id: "p5-revenue-alert",
        description: "An alert rule fires when no payment succeeds.",
        phase: 5,
        criterion: "Revenue metrics active",
        owner: "Kilo",
        artifact: "Revenue metrics dashboard",
        severity: "high",
        blockerCategory: "Data integrity issues",
    },
    [alertSignals.noSuccessfulPayment],
);

/** Live payment keys are mandatory-forbidden before phase 5, whatever phase the stack is in. */
export const livePaymentKeysOnlyAtPhase5: StackGate = {
    kind: "stack",
    id: "p5-live-payment-keys-only-at-phase-5",
    description: "Live payment keys are used only once the stack is at phase 5 (revenue activation).",
    phase: 5,
    criterion: "Revenue metrics active",
    owner: "Kilo",
    artifact: "Revenue activation summary",
    severity: "critical",
    blockerCategory: "Compliance violations",
    alwaysMandatory: true,
    validateStack: (context) => (args, reportViolation) => {
        if (context.declaredPhase === 5) return;
        const at = context.declaredPhase === null ? "no declared phase (vauntico:phase is missing)" : `phase ${context.declaredPhase}`;
        const fix = 'use test-mode keys (sk_test_…) and vauntico:payments.mode "test" until the stack is at phase 5 with phases 1–4 green';
        if (context.paymentsMode === "live") {
            reportViolation(violationMessage(livePaymentKeysOnlyAtPhase5, `vauntico:payments.mode is "live" at ${at}`, fix));
        }
        const live: { what: string; resource: PolicyResource }[] = [
            ...stripeEndpoints(args.resources)
                .filter((e) => e.mode === "live")
                .map((e) => ({ what: "Stripe webhook endpoint", resource: e.resource })),
            ...paystackWebhooks(args.resources)
                .filter((w) => w.mode === "live")
                .map((w) => ({ what: "Paystack webhook", resource: w.resource })),
        ];
        for (const { what, resource } of live) {
            reportViolation(violationMessage(livePaymentKeysOnlyAtPhase5, `${what} ${resource.name} uses a live key at ${at}`, fix), resource.urn);
        }
    },
};

export const phase5Gates = [revenueDashboard, revenueAlert, livePaymentKeysOnlyAtPhase5] as const;
