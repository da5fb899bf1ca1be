/**
 * Every gate's id, named here so the protocol data can point at the gates that check it without importing
 * the gates (the protocol imports nothing of the project). The pack's registry must define exactly these.
 */
export const gateIds = [
    "handoff-phase-declared",
    "handoff-ledger-phase",
    "handoff-ledger-entries",
    "p1-secrets-generated",
    "p1-secret-strength",
    "p1-secrets-delivered",
    "p1-production-environment",
    "p1-production-environment-present",
    "p1-default-branch-protection",
    "p1-default-branch-protection-present",
    "p2-webhook-endpoints",
    "p2-webhook-signing-secrets-delivered",
    "p2-webhooks-dashboard",
    "p2-webhook-alerts",
    "p3-stripe-required-events",
    "p3-stripe-required-events-present",
    "p3-stripe-api-version-pinned",
    "p3-payment-keys-delivered",
    "p3-payments-dashboard",
    "p3-payment-failure-alert",
    "p4-dashboards-in-folders",
    "p4-alert-rules-complete",
    "p4-alerts-routed-to-slack-and-email",
    "p4-escalation-timings",
    "p4-sentry-projects-alerted",
    "p5-revenue-dashboard",
    "p5-revenue-alert",
    "p5-live-payment-keys-only-at-phase-5",
] as const;

export type GateId = (typeof gateIds)[number];

export function isGateId(value: string): value is GateId {
    const known: readonly string[] = gateIds;
    return known.includes(value);
}
