import * as pulumi from "@pulumi/pulumi";
import { type TeamName, teams } from "../../../policy/protocol/teams.js";
import { alertingProblems, stepsByTeam } from "./alertingProblems.js";
import { contactPoints, escalationChains, notificationPolicy, ruleGroups } from "./alertingResources.js";
import type { EscalationOptions, EscalationTarget } from "./escalation.js";
import { alertRuleSpec, type AlertRuleSpec, type AlertSettings, defaultAlertSettings, type SignalKey, type SignalSettings } from "./rules.js";

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
        const interval = args.evaluationIntervalSeconds ?? 60;
        const signals = args.signals ?? allSignals;
        const teamNames = Object.keys(teams).filter((team): team is TeamName => team in teams);
        const problems = alertingProblems({
            settings,
            interval,
            signals,
            knownSignals: allSignals,
            teamNames,
            emailAddresses: args.emailAddresses,
            escalation: args.escalation,
        });
        const escalation = problems.length === 0 ? stepsByTeam(teamNames, args.escalation) : { steps: {} };
        if (escalation.problem !== undefined) problems.push(escalation.problem);
        if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);

        const { integrationLinks, chainIds } = escalationChains(name, this, teamNames, escalation.steps);
        const points = contactPoints(name, this, teamNames, { slackWebhookUrl: args.slackWebhookUrl, emailAddresses: args.emailAddresses, integrationLinks });
        const specs = alertRuleSpecs(signals, settings);
        ruleGroups(name, this, teamNames, specs, {
            folderUid: args.folderUid,
            datasourceUid: args.datasourceUid,
            interval,
            paymentsLive: args.paymentsLive === true,
            dashboardLinks: args.dashboardLinks,
        });
        notificationPolicy(name, this, teamNames, points);

        this.ruleUids = pulumi.output(specs.map((spec) => spec.uid));
        this.contactPointNames = pulumi.all(points.map((cp) => cp.name));
        this.escalationChainIds = pulumi.all(chainIds);
        this.registerOutputs({
            ruleUids: this.ruleUids,
            contactPointNames: this.contactPointNames,
            escalationChainIds: this.escalationChainIds,
        });
    }
}
