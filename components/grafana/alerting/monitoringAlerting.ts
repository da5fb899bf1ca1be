import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { TeamName, teams } from "../../../policy/protocol/teams.js";
import { escalationSteps, EscalationOptions, EscalationTarget, EscalationStep } from "./escalation.js";
import { longestRangeSeconds } from "../promqlParse.js";
import { grafanaRule } from "./grafanaRule.js";
import { contactPointName, fallbackContactPointName, policyTree, PolicyNode } from "./policyTree.js";
import {
    alertRuleSpec,
    AlertRuleSpec,
    AlertSettings,
    defaultAlertSettings,
    severities,
    ruleQueryProblems,
    settingsProblems,
    SignalKey,
    SignalSettings,
} from "./rules.js";

export interface EscalationArgs extends EscalationOptions {
    /** L1 (immediate) per team: the lead of the team that owns the alert. */
    teamLeads: Record<TeamName, EscalationTarget>;
    /** L2 (within 1 h): the cross-team coordination group. */
    crossTeam: EscalationTarget;
    /** L3 (within 2 h): the executives. */
    executives: EscalationTarget;
}

export interface MonitoringAlertingArgs {
    /** UID of the Grafana folder the rule groups live in (MonitoringDashboards.folderUid). */
    folderUid: pulumi.Input<string>;
    /** UID of the Prometheus data source the rules query. */
    datasourceUid: pulumi.Input<string>;
    /** The signals to alert on (see `signalsFor(phase, live)`); default: all five. */
    signals?: readonly SignalKey[];
    /** Per-signal threshold, pending period, severity and team; unset fields keep `defaultAlertSettings`. */
    settings?: Partial<Record<SignalKey, Partial<SignalSettings>>>;
    /**
     * Whether live payments are being taken; default false. The no-successful-payment rule exists either
     * way (so its gate sees it) but is paused until payments are live.
     */
    paymentsLive?: boolean;
    /** How often every rule group is evaluated, in seconds; default 60. */
    evaluationIntervalSeconds?: number;
    /** Slack incoming-webhook URL (a Pulumi secret); every contact point posts to it. */
    slackWebhookUrl: pulumi.Input<string>;
    /** Email recipients per team; every contact point of a team mails them. */
    emailAddresses: Record<TeamName, readonly string[]>;
    /** The protocol's escalation path as Grafana IRM/OnCall escalation chains (one per team). */
    escalation: EscalationArgs;
    /** Dashboard UID to link from rules of a signal (annotation `dashboard_uid`), optional. */
    dashboardLinks?: Partial<Record<SignalKey, string>>;
}

export const monitoringAlertingType = "vauntico:grafana:MonitoringAlerting";
export const allSignals: readonly SignalKey[] = [
    "webhookDeliveryFailures",
    "signatureVerificationFailure",
    "paymentFailureRatio",
    "errorRate",
    "noSuccessfulPayment",
];

/** Settings with defaults filled in. */
export function resolveSettings(overrides: MonitoringAlertingArgs["settings"] = {}): AlertSettings {
    const resolved: Partial<AlertSettings> = {};
    for (const key of allSignals) resolved[key] = { ...defaultAlertSettings[key], ...(overrides[key] ?? {}) };
    return { ...defaultAlertSettings, ...resolved };
}

/** The rule specs of the given signals, in a stable order. */
export function alertRuleSpecs(signals: readonly SignalKey[], settings: AlertSettings): AlertRuleSpec[] {
    return allSignals.filter((key) => signals.includes(key)).map((key) => alertRuleSpec(key, settings[key]));
}

export function durationSeconds(duration: string): number {
    const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };
    let total = 0;
    for (const match of duration.matchAll(/([0-9]+)(ms|s|m|h|d)/g)) total += Number(match[1]) * (units[match[2] ?? "s"] ?? 1);
    return total;
}

const emailPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

type PolicyInput = grafana.types.input.alerting.NotificationPolicyPolicy;
type ChildPolicyInput = grafana.types.input.alerting.NotificationPolicyPolicyPolicy;

function matchersOf(node: PolicyNode): { label: string; match: string; value: string }[] {
    return node.matchers.map((m) => ({ label: m.label, match: m.match, value: m.value }));
}

function leafPolicyInput(node: PolicyNode): ChildPolicyInput {
    if (node.policies.length > 0) throw new Error(`policy for ${node.contactPoint}: only two levels are mapped`);
    return {
        contactPoint: node.contactPoint,
        matchers: matchersOf(node),
        ...(node.repeatInterval !== undefined ? { repeatInterval: node.repeatInterval } : {}),
    };
}

/** The provider types each nesting level separately; our tree has two (team, then severity). */
function toPolicyInput(node: PolicyNode): PolicyInput {
    return {
        contactPoint: node.contactPoint,
        matchers: matchersOf(node),
        ...(node.repeatInterval !== undefined ? { repeatInterval: node.repeatInterval } : {}),
        policies: node.policies.map(leafPolicyInput),
    };
}

function stepInputs(step: EscalationStep): Omit<grafana.oncall.EscalationArgs, "escalationChainId"> {
    switch (step.type) {
        case "wait":
            return { position: step.position, type: step.type, duration: step.duration };
        case "notify_persons":
            return { position: step.position, type: step.type, personsToNotifies: step.personsToNotifies, important: step.important };
        case "notify_user_group":
            return { position: step.position, type: step.type, groupToNotify: step.groupToNotify, important: step.important };
        case "declare_incident":
            return { position: step.position, type: step.type, severity: step.severity };
    }
}

/**
 * Grafana alerting for the protocol: rule groups over the metrics contract, Slack + email contact points,
 * the organisation's notification policy tree (routing by team, then severity) and, for critical alerts,
 * a Grafana IRM/OnCall escalation chain per team that follows the protocol's L1–L4 path.
 */
export class MonitoringAlerting extends pulumi.ComponentResource {
    public readonly ruleUids: pulumi.Output<string[]>;
    public readonly contactPointNames: pulumi.Output<string[]>;
    public readonly escalationChainIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: MonitoringAlertingArgs, opts?: pulumi.ComponentResourceOptions) {
        super(monitoringAlertingType, name, args, opts);
        const settings = resolveSettings(args.settings);
        const problems = settingsProblems(settings);
        const interval = args.evaluationIntervalSeconds ?? 60;
        if (!Number.isInteger(interval) || interval < 10) {
            problems.push(`evaluationIntervalSeconds: ${interval} must be a whole number of seconds >= 10`);
        }
        // The signature rule counts failures over its window: pending period + one interval must fit in it, or
        // a single failure could leave the window before the rule fires.
        const signatureSpec = alertRuleSpec("signatureVerificationFailure", settings.signatureVerificationFailure);
        const signaturePending = durationSeconds(settings.signatureVerificationFailure.pendingPeriod);
        const signatureWindowSeconds = ruleQueryProblems(signatureSpec).length === 0 ? longestRangeSeconds(signatureSpec.expr) : 0;
        if (signaturePending + interval >= signatureWindowSeconds) {
            problems.push(
                `signatureVerificationFailure.pendingPeriod: "${settings.signatureVerificationFailure.pendingPeriod}" plus the ${interval}s interval must stay under the rule's ${signatureWindowSeconds}s window`,
            );
        }
        const signals = args.signals ?? allSignals;
        for (const signal of signals) {
            if (!allSignals.includes(signal)) problems.push(`signals: unknown "${signal}"; valid: ${allSignals.join(", ")}`);
        }
        if (problems.length === 0) for (const spec of alertRuleSpecs(signals, settings)) problems.push(...ruleQueryProblems(spec));
        const teamNames = Object.keys(teams).filter((team): team is TeamName => team in teams);
        for (const team of teamNames) {
            const addresses = args.emailAddresses[team] ?? [];
            if (addresses.length === 0) problems.push(`emailAddresses.${team}: empty; give at least one address`);
            for (const address of addresses) {
                if (!emailPattern.test(address)) problems.push(`emailAddresses.${team}: "${address}" is not an email address`);
            }
        }
        const targets: [string, EscalationTarget][] = [
            ...teamNames.map((team): [string, EscalationTarget] => [`escalation.teamLeads.${team}`, args.escalation.teamLeads[team]]),
            ["escalation.crossTeam", args.escalation.crossTeam],
            ["escalation.executives", args.escalation.executives],
        ];
        for (const [field, target] of targets) {
            if (target === undefined) problems.push(`${field}: missing; give { users: [...] } or { userGroup: "..." }`);
            else if ("users" in target ? target.users.length === 0 : target.userGroup.trim() === "") {
                problems.push(`${field}: empty; give IRM user IDs or a user group ID`);
            }
        }
        const stepsByTeam: Partial<Record<TeamName, EscalationStep[]>> = {};
        if (problems.length === 0) {
            for (const team of teamNames) {
                try {
                    stepsByTeam[team] = escalationSteps(
                        {
                            teamLead: args.escalation.teamLeads[team],
                            crossTeam: args.escalation.crossTeam,
                            executives: args.escalation.executives,
                        },
                        args.escalation,
                    );
                } catch (error) {
                    problems.push(`escalation.incidentAfterSeconds: ${error instanceof Error ? error.message : String(error)}`);
                    break;
                }
            }
        }
        if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);

        // OnCall: one chain per team, fed by a Grafana Alerting integration that critical contact points post to.
        const integrationLinks: Partial<Record<TeamName, pulumi.Output<string>>> = {};
        const chainIds: Record<string, pulumi.Output<string>> = {};
        for (const team of teamNames) {
            const chain = new grafana.oncall.EscalationChain(
                `${name}-${team.toLowerCase()}-escalation`,
                { name: `vauntico-${team.toLowerCase()}-protocol-escalation` },
                { parent: this },
            );
            chainIds[team] = chain.id;
            let previous: pulumi.Resource | undefined;
            for (const step of stepsByTeam[team] ?? []) {
                // Steps are created in order: OnCall shifts positions when two steps claim the same one.
                previous = new grafana.oncall.Escalation(
                    `${name}-${team.toLowerCase()}-escalation-${step.position}`,
                    { escalationChainId: chain.id, ...stepInputs(step) },
                    { parent: this, ...(previous !== undefined ? { dependsOn: [previous] } : {}) },
                );
            }
            const integration = new grafana.oncall.Integration(
                `${name}-${team.toLowerCase()}-oncall`,
                {
                    name: `vauntico-${team.toLowerCase()}-grafana-alerting`,
                    type: "grafana_alerting",
                    defaultRoute: { escalationChainId: chain.id },
                },
                { parent: this },
            );
            integrationLinks[team] = integration.link;
        }

        const slackUrl = pulumi.secret(args.slackWebhookUrl);
        const contactPoint = (cpName: string, addresses: readonly string[], oncallUrl?: pulumi.Output<string>) =>
            new grafana.alerting.ContactPoint(
                `${name}-${cpName}`,
                {
                    name: cpName,
                    slacks: [{ url: slackUrl, title: "{{ .CommonLabels.signal }} ({{ .CommonLabels.severity }})" }],
                    emails: [{ addresses: [...addresses], singleEmail: true }],
                    ...(oncallUrl !== undefined ? { oncalls: [{ url: oncallUrl }] } : {}),
                },
                { parent: this },
            );
        const contactPoints: grafana.alerting.ContactPoint[] = [];
        const allAddresses = [...new Set(teamNames.flatMap((team) => args.emailAddresses[team]))].sort();
        contactPoints.push(contactPoint(fallbackContactPointName, allAddresses));
        for (const team of teamNames) {
            for (const severity of severities) {
                const oncall = severity === "critical" ? integrationLinks[team] : undefined;
                contactPoints.push(contactPoint(contactPointName(team, severity), args.emailAddresses[team], oncall));
            }
        }

        const specs = alertRuleSpecs(signals, settings);
        const ruleGroups: grafana.alerting.RuleGroup[] = [];
        for (const team of teamNames) {
            const teamSpecs = specs.filter((spec) => spec.team === team);
            if (teamSpecs.length === 0) continue;
            ruleGroups.push(
                new grafana.alerting.RuleGroup(
                    `${name}-${team.toLowerCase()}-rules`,
                    {
                        name: `vauntico-${team.toLowerCase()}`,
                        folderUid: args.folderUid,
                        intervalSeconds: interval,
                        rules: pulumi
                            .output(args.datasourceUid)
                            .apply((uid) =>
                                teamSpecs.map((spec) =>
                                    grafanaRule(spec, uid, args.dashboardLinks?.[spec.key], spec.key === "noSuccessfulPayment" && args.paymentsLive !== true),
                                ),
                            ),
                    },
                    { parent: this },
                ),
            );
        }

        // The notification policy is a singleton: it replaces the organisation's whole routing tree.
        const tree = policyTree(teamNames);
        new grafana.alerting.NotificationPolicy(
            `${name}-policy`,
            {
                contactPoint: tree.contactPoint,
                groupBies: tree.groupBies,
                groupWait: tree.groupWait,
                groupInterval: tree.groupInterval,
                repeatInterval: tree.repeatInterval,
                policies: tree.policies.map(toPolicyInput),
            },
            { parent: this, dependsOn: contactPoints },
        );

        this.ruleUids = pulumi.output(specs.map((spec) => spec.uid));
        this.contactPointNames = pulumi.all(contactPoints.map((cp) => cp.name));
        this.escalationChainIds = pulumi.all(chainIds);
        this.registerOutputs({
            ruleUids: this.ruleUids,
            contactPointNames: this.contactPointNames,
            escalationChainIds: this.escalationChainIds,
        });
    }
}
