import { type GateReportInput, describeState, itemState, messageParts, phaseItems, sortedVerdicts } from "../analyzer/index.js";
import type { Plan } from "../plan/index.js";
import { activationRecordKind } from "../../components/revenue/activationRecord.js";
import { revenueActivatedAtOutput } from "../../components/revenue/outputs.js";
import { gates } from "../../policy/gates/index.js";
import { markdownTable } from "../../policy/markdown/index.js";
import { parseJson, recordOf, recordsOf, stringOf } from "../../policy/gates/read.js";
import {
    alertSignals,
    componentTypes,
    dynamicKindProperty,
    dynamicResourceType,
    requiredDashboards,
    stripeWebhookEndpointKind,
} from "../../policy/protocol/contract.js";

const revenuePhase = 5;
const succeededEvent = "payment_intent.succeeded";

/** What the plan says about revenue activation, read from the resources the program registers. */
export interface RevenueFacts {
    phase: number;
    /** `vauntico:payments.mode`, or undefined when payments are not configured. */
    mode: "test" | "live" | undefined;
    stripeEndpoints: { url: string; mode: string; receivesSucceeded: boolean }[];
    paystackWebhooks: { url: string; mode: string }[];
    revenueDashboard: boolean;
    noPaymentAlert: { name: string; pendingFor: string; paused: boolean } | undefined;
    /** The plan holds the activation record (live at phase 5). */
    activationRecorded: boolean;
}

/** Reads the facts from a plan; pure. */
export function revenueFacts(plan: Plan): RevenueFacts {
    const resources = plan.resources;
    const stripeEndpoints = resources
        .filter((r) => r.type === dynamicResourceType && r.inputs[dynamicKindProperty] === stripeWebhookEndpointKind)
        .map((r) => {
            const events = r.inputs["enabledEvents"];
            const list = Array.isArray(events) ? events : [];
            return {
                url: stringOf(r.inputs["url"]) ?? "?",
                mode: stringOf(r.inputs["mode"]) ?? "?",
                receivesSucceeded: list.includes(succeededEvent) || list.includes("*"),
            };
        });
    const paystackWebhooks = resources
        .filter((r) => r.type === componentTypes.paystackWebhook)
        .map((r) => ({ url: stringOf(r.outputs["webhookUrl"]) ?? "?", mode: stringOf(r.outputs["mode"]) ?? "?" }));
    const revenueDashboard = resources.some(
        (r) => r.type === "grafana:oss/dashboard:Dashboard" && recordOf(parseJson(r.inputs["configJson"]))["uid"] === requiredDashboards.revenue.uid,
    );
    const rule = resources
        .filter((r) => r.type === "grafana:alerting/ruleGroup:RuleGroup")
        .flatMap((r) => recordsOf(r.inputs["rules"]))
        .find((candidate) => recordOf(candidate["labels"])["signal"] === alertSignals.noSuccessfulPayment);
    const mode = plan.stackConfig.payments?.mode;
    return {
        phase: plan.phase,
        mode,
        stripeEndpoints,
        paystackWebhooks,
        revenueDashboard,
        noPaymentAlert: rule ? { name: stringOf(rule["name"]) ?? "?", pendingFor: stringOf(rule["for"]) ?? "?", paused: rule["isPaused"] === true } : undefined,
        activationRecorded: resources.some((r) => r.inputs[dynamicKindProperty] === activationRecordKind),
    };
}

function revenueState(facts: RevenueFacts): string {
    if (facts.mode === undefined) return "not configured: `vauntico:payments` is not set";
    if (facts.mode === "test") return "not activated: payments are in test mode";
    return facts.phase === revenuePhase ? "activated: payments are live at phase 5" : `blocked: payments are live at phase ${facts.phase}, before phase 5`;
}

/** The protocol's revenue activation summary (phase 5), Markdown; the same input gives the same bytes. */
export function revenueReport(input: GateReportInput, facts: RevenueFacts): string {
    const { protocol, plan } = input;
    const verdicts = sortedVerdicts(input.verdicts);
    const phase = protocol.phases.find((p) => p.number === revenuePhase);
    const lines = [
        `# Revenue Activation Summary — stack ${plan.stack} (${plan.project})`,
        "",
        `Phase ${revenuePhase}${phase ? ` (${phase.name}, ${phase.owner} → ${phase.handedTo})` : ""}. The stack is at phase ${plan.phase}.`,
        "",
        `**Revenue**: ${revenueState(facts)}.`,
        "",
        ...markdownTable(
            ["Item", "State"],
            [
                ["Payment mode", `${facts.mode === undefined ? "not configured" : `\`${facts.mode}\``} — live keys are accepted only at phase ${revenuePhase}`],
                ...(facts.stripeEndpoints.length === 0
                    ? [["Stripe webhook endpoint", "none"]]
                    : facts.stripeEndpoints.map((e) => [
                          "Stripe webhook endpoint",
                          `${e.url} (${e.mode} mode); receives ${succeededEvent}: ${e.receivesSucceeded ? "yes" : "**no**"}`,
                      ])),
                ...(facts.paystackWebhooks.length === 0
                    ? [["Paystack webhook", "none"]]
                    : facts.paystackWebhooks.map((w) => ["Paystack webhook", `${w.url} (${w.mode} mode); the URL is set in the Paystack dashboard (manual)`])),
                ["Revenue & conversion dashboard", facts.revenueDashboard ? `present (uid \`${requiredDashboards.revenue.uid}\`)` : "**missing**"],
                [
                    "No-successful-payment alert",
                    facts.noPaymentAlert
                        ? `"${facts.noPaymentAlert.name}", pending ${facts.noPaymentAlert.pendingFor}, ${facts.noPaymentAlert.paused ? "paused until payments are live" : "active"}`
                        : "**missing**",
                ],
                [
                    "Activation time",
                    facts.activationRecorded
                        ? `recorded by the \`pulumi up\` that applies this plan: \`pulumi stack output ${revenueActivatedAtOutput}\``
                        : "not recorded (revenue is not activated)",
                ],
                [
                    "First live payment",
                    facts.activationRecorded ? "after activation: `npm run validate -- first-payment`" : "not yet (needs live payments at phase 5)",
                ],
            ],
        ),
        "",
        `## Phase ${revenuePhase} gates`,
        "",
        ...markdownTable(
            ["Gate", "Enforcement", "Finding"],
            gates
                .filter((g) => g.phase === revenuePhase)
                .flatMap((gate) => {
                    const found = verdicts.filter((v) => v.policy === gate.id);
                    const enforcement = gate.alwaysMandatory === true || plan.phase >= gate.phase ? "mandatory" : "advisory";
                    return found.length === 0
                        ? [[gate.id, enforcement, "passes"]]
                        : found.map((v) => [gate.id, v.enforcement, messageParts(v.message).problem]);
                }),
        ),
    ];
    lines.push(
        "",
        `## Phase ${revenuePhase} criteria and responsibilities`,
        "",
        ...markdownTable(
            ["Item", "State"],
            (phase ? phaseItems(phase) : []).map((item) => [item.text, describeState(itemState(item, verdicts))]),
        ),
    );
    lines.push("");
    return lines.join("\n");
}
