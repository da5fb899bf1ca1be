import type { Phase } from "./types.js";

const secretsReport = "npm run report -- secrets";
const validationReport = "npm run validate";
const monitoringReport = "npm run report -- monitoring";
const handoffReport = "npm run report -- handoff";
const statusReport = "npm run report -- status";

/** The protocol's five phases ("Deployment Workflow Phases"), each item checked by gates or confirmed by a team. */
export const phases: readonly Phase[] = [
    {
        number: 1,
        name: "Secrets & Merge",
        objective: "Prepare and secure the deployment environment",
        owner: "Kilo",
        handedTo: "Cline",
        responsibilities: [
            {
                text: "Generate cryptographic secrets using OpenSSL commands",
                check: { kind: "automated", gates: ["p1-secrets-generated", "p1-secret-strength"] },
            },
            {
                text: "Document all generated secrets in `SECRETS_GENERATION_REPORT.md`",
                check: {
                    kind: "manual",
                    id: "p1.secrets-documented",
                    confirmedBy: "Kilo",
                    how: `publish the output of \`${secretsReport}\` as SECRETS_GENERATION_REPORT.md`,
                },
            },
            {
                text: "Configure environment variables for production",
                check: { kind: "automated", gates: ["p1-production-environment", "p1-production-environment-present", "p1-secrets-delivered"] },
            },
            {
                text: "Prepare PR #7 for merge with all CI checks passing",
                check: { kind: "automated", gates: ["p1-default-branch-protection", "p1-default-branch-protection-present"] },
            },
            {
                text: "Verify all merge requirements are satisfied",
                check: {
                    kind: "automated",
                    gates: [
                        "handoff-phase-declared",
                        "handoff-ledger-phase",
                        "handoff-ledger-entries",
                        "p1-default-branch-protection",
                        "p1-default-branch-protection-present",
                    ],
                },
            },
            {
                text: "Document secrets configuration in deployment guide",
                check: { kind: "manual", id: "p1.secrets-config-documented", confirmedBy: "Kilo", how: "link the secrets report from the deployment guide" },
            },
        ],
        criteria: [
            { text: "All secrets generated and documented", check: { kind: "automated", gates: ["p1-secrets-generated", "p1-secret-strength"] } },
            {
                text: "PR #7 ready for merge with passing CI checks",
                check: { kind: "automated", gates: ["p1-default-branch-protection", "p1-default-branch-protection-present"] },
            },
            {
                text: "Environment variables configured and tested",
                check: { kind: "automated", gates: ["p1-production-environment", "p1-production-environment-present", "p1-secrets-delivered"] },
            },
            { text: "Secrets properly formatted and secure", check: { kind: "automated", gates: ["p1-secret-strength"] } },
        ],
        artifacts: [
            { name: "SECRETS_GENERATION_REPORT.md", source: { kind: "report", command: secretsReport } },
            {
                name: "PR #7 merge approval",
                source: {
                    kind: "manual",
                    id: "p1.pr-merge-approval",
                    producedBy: "Cline",
                    how: "an approving review on the gated pull request, required by branch protection",
                },
            },
            { name: "Environment configuration files", source: { kind: "stack", gates: ["p1-production-environment", "p1-secrets-delivered"] } },
            { name: "Deployment status report template", source: { kind: "report", command: statusReport } },
        ],
        matrix: {
            name: "1. Secrets & Merge",
            keyArtifacts: ["Secrets report", "PR approval", "Env config"],
            validationCriteria: ["Secrets generated", "PR ready", "Config tested"],
        },
        formalMeeting: true,
    },
    {
        number: 2,
        name: "Validation",
        objective: "Validate deployment readiness and functionality",
        owner: "Cline",
        handedTo: "Kilo",
        responsibilities: [
            {
                text: "Execute frontend validation tests",
                check: {
                    kind: "manual",
                    id: "p2.frontend-tests-executed",
                    confirmedBy: "Cline",
                    how: "run the frontend test suite against the deployment and attach the results",
                },
            },
            {
                text: "Perform payment flow testing (Stripe & Paystack)",
                check: {
                    kind: "manual",
                    id: "p2.payment-flows-tested",
                    confirmedBy: "Cline",
                    how: `run \`${validationReport}\` against the test-mode endpoints`,
                },
            },
            { text: "Configure and test monitoring systems", check: { kind: "automated", gates: ["p2-webhooks-dashboard"] } },
            { text: "Validate alerting mechanisms", check: { kind: "automated", gates: ["p2-webhook-alerts"] } },
            {
                text: "Test webhook endpoints and signatures",
                check: { kind: "automated", gates: ["p2-webhook-endpoints", "p2-webhook-signing-secrets-delivered"] },
            },
            {
                text: "Verify dashboard functionality",
                check: { kind: "manual", id: "p2.dashboards-verified", confirmedBy: "Cline", how: "open each dashboard and confirm its panels show data" },
            },
            {
                text: "Document validation results",
                check: {
                    kind: "manual",
                    id: "p2.validation-results-documented",
                    confirmedBy: "Cline",
                    how: `attach the output of \`${validationReport}\` to the handoff record`,
                },
            },
        ],
        criteria: [
            {
                text: "All validation tests passing",
                check: { kind: "manual", id: "p2.validation-tests-passing", confirmedBy: "Cline", how: `\`${validationReport}\` and the frontend tests pass` },
            },
            { text: "Payment flows functional", check: { kind: "automated", gates: ["p2-webhook-endpoints", "p2-webhook-signing-secrets-delivered"] } },
            { text: "Monitoring systems operational", check: { kind: "automated", gates: ["p2-webhooks-dashboard", "p2-webhook-alerts"] } },
            {
                text: "Alerting mechanisms tested",
                check: {
                    kind: "manual",
                    id: "p2.alerting-tested",
                    confirmedBy: "Cline",
                    how: "fire a test alert through each contact point and confirm delivery",
                },
            },
            {
                text: "Validation documentation complete",
                check: {
                    kind: "manual",
                    id: "p2.validation-documentation-complete",
                    confirmedBy: "Cline",
                    how: "the validation report is attached to the handoff record",
                },
            },
        ],
        artifacts: [
            { name: "Validation test results", source: { kind: "report", command: validationReport } },
            { name: "Payment flow test reports", source: { kind: "report", command: validationReport } },
            { name: "Monitoring configuration documentation", source: { kind: "report", command: monitoringReport } },
            {
                name: "Alert setup verification",
                source: {
                    kind: "manual",
                    id: "p2.alert-setup-verification",
                    producedBy: "Cline",
                    how: "record of the test alerts received on Slack and email",
                },
            },
            { name: "Validation checklist completion", source: { kind: "report", command: handoffReport } },
        ],
        matrix: {
            name: "2. Validation",
            keyArtifacts: ["Test results", "Validation reports", "Monitoring config"],
            validationCriteria: ["Tests passing", "Systems validated", "Docs complete"],
        },
        formalMeeting: false,
    },
    {
        number: 3,
        name: "Payments",
        objective: "Ensure payment systems are production-ready",
        owner: "Kilo",
        handedTo: "Cline",
        responsibilities: [
            {
                text: "Finalize payment processor integrations",
                check: { kind: "automated", gates: ["p3-payment-keys-delivered", "p3-stripe-api-version-pinned"] },
            },
            {
                text: "Configure payment webhooks and event handling",
                check: { kind: "automated", gates: ["p3-stripe-required-events", "p3-stripe-required-events-present"] },
            },
            { text: "Set up payment dashboard and reporting", check: { kind: "automated", gates: ["p3-payments-dashboard", "p3-payment-failure-alert"] } },
            {
                text: "Implement payment error handling and retries",
                check: {
                    kind: "manual",
                    id: "p3.error-handling-and-retries",
                    confirmedBy: "Kilo",
                    how: "application code review: idempotent webhook handling and retried payment calls",
                },
            },
            {
                text: "Document payment flow architecture",
                check: {
                    kind: "manual",
                    id: "p3.payment-flow-architecture-documented",
                    confirmedBy: "Kilo",
                    how: "payment flow diagram in the deployment guide",
                },
            },
            {
                text: "Verify payment data storage and security",
                check: {
                    kind: "manual",
                    id: "p3.payment-data-security-verified",
                    confirmedBy: "Kilo",
                    how: "review that no card data is stored and keys exist only as environment secrets",
                },
            },
        ],
        criteria: [
            { text: "Payment processors fully integrated", check: { kind: "automated", gates: ["p3-payment-keys-delivered", "p3-stripe-api-version-pinned"] } },
            { text: "Webhooks configured and tested", check: { kind: "automated", gates: ["p3-stripe-required-events", "p3-stripe-required-events-present"] } },
            { text: "Payment dashboard operational", check: { kind: "automated", gates: ["p3-payments-dashboard", "p3-payment-failure-alert"] } },
            {
                text: "Error handling implemented",
                check: {
                    kind: "manual",
                    id: "p3.error-handling-implemented",
                    confirmedBy: "Kilo",
                    how: "failure and retry paths exercised by `npm run validate` fault injection and code review",
                },
            },
            {
                text: "Payment documentation complete",
                check: {
                    kind: "manual",
                    id: "p3.payment-documentation-complete",
                    confirmedBy: "Kilo",
                    how: "payment integration documentation attached to the handoff record",
                },
            },
        ],
        artifacts: [
            {
                name: "Payment integration documentation",
                source: {
                    kind: "manual",
                    id: "p3.payment-integration-documentation",
                    producedBy: "Kilo",
                    how: "written from the stack's Stripe and Paystack components",
                },
            },
            { name: "Webhook configuration files", source: { kind: "stack", gates: ["p3-stripe-required-events", "p3-stripe-api-version-pinned"] } },
            { name: "Payment dashboard setup guide", source: { kind: "report", command: monitoringReport } },
            {
                name: "Error handling procedures",
                source: { kind: "manual", id: "p3.error-handling-procedures", producedBy: "Kilo", how: "runbook for failed payments and webhook retries" },
            },
            {
                name: "Payment flow diagrams",
                source: { kind: "manual", id: "p3.payment-flow-diagrams", producedBy: "Kilo", how: "diagram in the deployment guide" },
            },
        ],
        matrix: {
            name: "3. Payments",
            keyArtifacts: ["Payment docs", "Webhook config", "Dashboard setup"],
            validationCriteria: ["Payments integrated", "Webhooks tested", "Dashboard operational"],
        },
        formalMeeting: true,
    },
    {
        number: 4,
        name: "Monitoring & Alerts",
        objective: "Establish comprehensive monitoring and alerting",
        owner: "Cline",
        handedTo: "Kilo",
        responsibilities: [
            { text: "Configure Grafana dashboards for production", check: { kind: "automated", gates: ["p4-dashboards-in-folders"] } },
            { text: "Set up Sentry integration for error tracking", check: { kind: "automated", gates: ["p4-sentry-projects-alerted"] } },
            { text: "Configure alert rules and thresholds", check: { kind: "automated", gates: ["p4-alert-rules-complete"] } },
            {
                text: "Test alert triggering and notifications",
                check: {
                    kind: "manual",
                    id: "p4.alert-notifications-tested",
                    confirmedBy: "Cline",
                    how: "fire a test alert and confirm it reaches Slack and email and escalates",
                },
            },
            {
                text: "Set up notification channels (Slack, Email)",
                check: { kind: "automated", gates: ["p4-alerts-routed-to-slack-and-email", "p4-escalation-timings"] },
            },
            {
                text: "Document monitoring procedures",
                check: {
                    kind: "manual",
                    id: "p4.monitoring-procedures-documented",
                    confirmedBy: "Cline",
                    how: `publish \`${monitoringReport}\` with the on-call runbook`,
                },
            },
        ],
        criteria: [
            { text: "Grafana dashboards configured and accessible", check: { kind: "automated", gates: ["p4-dashboards-in-folders"] } },
            { text: "Sentry integration active and tested", check: { kind: "automated", gates: ["p4-sentry-projects-alerted"] } },
            { text: "Alert rules properly configured", check: { kind: "automated", gates: ["p4-alert-rules-complete", "p4-escalation-timings"] } },
            { text: "Notification channels verified", check: { kind: "automated", gates: ["p4-alerts-routed-to-slack-and-email"] } },
            {
                text: "Monitoring documentation complete",
                check: {
                    kind: "manual",
                    id: "p4.monitoring-documentation-complete",
                    confirmedBy: "Cline",
                    how: "monitoring summary and procedures attached to the handoff record",
                },
            },
        ],
        artifacts: [
            { name: "Grafana dashboard configurations", source: { kind: "stack", gates: ["p4-dashboards-in-folders"] } },
            { name: "Sentry integration documentation", source: { kind: "report", command: monitoringReport } },
            { name: "Alert rule definitions", source: { kind: "report", command: monitoringReport } },
            { name: "Notification channel setup", source: { kind: "stack", gates: ["p4-alerts-routed-to-slack-and-email", "p4-escalation-timings"] } },
            {
                name: "Monitoring procedures guide",
                source: { kind: "manual", id: "p4.monitoring-procedures-guide", producedBy: "Cline", how: "on-call runbook referencing the alert rule table" },
            },
        ],
        matrix: {
            name: "4. Monitoring",
            keyArtifacts: ["Grafana config", "Sentry setup", "Alert rules"],
            validationCriteria: ["Monitoring active", "Alerts configured", "Notifications verified"],
        },
        formalMeeting: false,
    },
    {
        number: 5,
        name: "Revenue Activation",
        objective: "Activate revenue generation systems",
        owner: "Kilo",
        handedTo: "Cline",
        responsibilities: [
            {
                text: "Process waitlist for beta candidates",
                check: { kind: "manual", id: "p5.waitlist-processed", confirmedBy: "Kilo", how: "beta candidate list exported from the waitlist" },
            },
            {
                text: "Prepare and send beta invitations",
                check: { kind: "manual", id: "p5.beta-invitations-prepared", confirmedBy: "Kilo", how: "invitation send log" },
            },
            { text: "Monitor conversion tracking", check: { kind: "automated", gates: ["p5-revenue-dashboard"] } },
            {
                text: "Process first payment and validate flow",
                check: {
                    kind: "manual",
                    id: "p5.first-payment-validated",
                    confirmedBy: "Kilo",
                    how: "first live payment seen on the revenue dashboard and in `npm run validate`",
                },
            },
            {
                text: "Activate revenue metrics and reporting",
                check: { kind: "automated", gates: ["p5-revenue-dashboard", "p5-revenue-alert", "p5-live-payment-keys-only-at-phase-5"] },
            },
            {
                text: "Document revenue activation process",
                check: {
                    kind: "manual",
                    id: "p5.revenue-activation-process-documented",
                    confirmedBy: "Kilo",
                    how: "revenue activation summary attached to the handoff record",
                },
            },
        ],
        criteria: [
            {
                text: "Beta invitations sent",
                check: { kind: "manual", id: "p5.beta-invitations-sent", confirmedBy: "Kilo", how: "invitation send log attached" },
            },
            { text: "Conversion tracking operational", check: { kind: "automated", gates: ["p5-revenue-dashboard"] } },
            {
                text: "First payment processed successfully",
                check: { kind: "manual", id: "p5.first-payment-processed", confirmedBy: "Kilo", how: "first live payment validated" },
            },
            {
                text: "Revenue metrics active",
                check: { kind: "automated", gates: ["p5-revenue-dashboard", "p5-revenue-alert", "p5-live-payment-keys-only-at-phase-5"] },
            },
            {
                text: "Revenue activation documented",
                check: { kind: "manual", id: "p5.revenue-activation-documented", confirmedBy: "Kilo", how: "revenue activation summary attached" },
            },
        ],
        artifacts: [
            {
                name: "Beta invitation logs",
                source: { kind: "manual", id: "p5.beta-invitation-logs", producedBy: "Kilo", how: "export of the invitation sends" },
            },
            {
                name: "Conversion tracking reports",
                source: { kind: "manual", id: "p5.conversion-tracking-reports", producedBy: "Kilo", how: "export from the revenue & conversion dashboard" },
            },
            { name: "First payment validation", source: { kind: "report", command: validationReport } },
            { name: "Revenue metrics dashboard", source: { kind: "stack", gates: ["p5-revenue-dashboard"] } },
            {
                name: "Revenue activation summary",
                source: { kind: "manual", id: "p5.revenue-activation-summary", producedBy: "Kilo", how: "written at the phase 5 handoff meeting" },
            },
        ],
        matrix: {
            name: "5. Revenue Activation",
            keyArtifacts: ["Beta logs", "Conversion reports", "Revenue metrics"],
            validationCriteria: ["Invitations sent", "Tracking active", "Revenue validated"],
        },
        formalMeeting: true,
    },
];
