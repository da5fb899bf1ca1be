import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import type { TeamName } from "../../../policy/protocol/teams.js";
import type { EscalationStep } from "./escalation.js";
import { grafanaRule } from "./grafanaRule.js";
import { contactPointName, fallbackContactPointName, policyTree, type PolicyNode } from "./policyTree.js";
import { type AlertRuleSpec, severities, type SignalKey } from "./rules.js";

/*
 * The children of MonitoringAlerting, one function per kind: OnCall escalation chains, contact points, rule
 * groups, the notification policy. Each takes the component as parent and names children from its name.
 */

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

/** OnCall: one escalation chain per team, fed by a Grafana Alerting integration that critical contact points post to. */
export function escalationChains(name: string, parent: pulumi.Resource, teamNames: readonly TeamName[], steps: Partial<Record<TeamName, EscalationStep[]>>) {
    const integrationLinks: Partial<Record<TeamName, pulumi.Output<string>>> = {};
    const chainIds: Record<string, pulumi.Output<string>> = {};
    for (const team of teamNames) {
        const chain = new grafana.oncall.EscalationChain(
            `${name}-${team.toLowerCase()}-escalation`,
            { name: `vauntico-${team.toLowerCase()}-protocol-escalation` },
            { parent },
        );
        chainIds[team] = chain.id;
        let previous: pulumi.Resource | undefined;
        for (const step of steps[team] ?? []) {
            // Steps are created in order: OnCall shifts positions when two steps claim the same one.
            previous = new grafana.oncall.Escalation(
                `${name}-${team.toLowerCase()}-escalation-${step.position}`,
                { escalationChainId: chain.id, ...stepInputs(step) },
                { parent, ...(previous !== undefined ? { dependsOn: [previous] } : {}) },
            );
        }
        const integration = new grafana.oncall.Integration(
            `${name}-${team.toLowerCase()}-oncall`,
            {
                name: `vauntico-${team.toLowerCase()}-grafana-alerting`,
                type: "grafana_alerting",
                defaultRoute: { escalationChainId: chain.id },
            },
            { parent },
        );
        integrationLinks[team] = integration.link;
    }
    return { integrationLinks, chainIds };
}

/** Slack + email contact points: a fallback to everyone, and one per team and severity (critical also pages OnCall). */
export function contactPoints(
    name: string,
    parent: pulumi.Resource,
    teamNames: readonly TeamName[],
    args: {
        slackWebhookUrl: pulumi.Input<string>;
        emailAddresses: Record<TeamName, readonly string[]>;
        integrationLinks: Partial<Record<TeamName, pulumi.Output<string>>>;
    },
): grafana.alerting.ContactPoint[] {
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
            { parent },
        );
    const points: grafana.alerting.ContactPoint[] = [];
    const allAddresses = [...new Set(teamNames.flatMap((team) => args.emailAddresses[team]))].sort();
    points.push(contactPoint(fallbackContactPointName, allAddresses));
    for (const team of teamNames) {
        for (const severity of severities) {
            const oncall = severity === "critical" ? args.integrationLinks[team] : undefined;
            points.push(contactPoint(contactPointName(team, severity), args.emailAddresses[team], oncall));
        }
    }
    return points;
}

/** One rule group per team holding that team's rules; the no-successful-payment rule paused until payments are live. */
export function ruleGroups(
    name: string,
    parent: pulumi.Resource,
    teamNames: readonly TeamName[],
    specs: readonly AlertRuleSpec[],
    args: {
        folderUid: pulumi.Input<string>;
        datasourceUid: pulumi.Input<string>;
        interval: number;
        paymentsLive: boolean;
        dashboardLinks?: Partial<Record<SignalKey, string>> | undefined;
    },
): grafana.alerting.RuleGroup[] {
    return teamNames.flatMap((team) => {
        const teamSpecs = specs.filter((spec) => spec.team === team);
        if (teamSpecs.length === 0) return [];
        return [
            new grafana.alerting.RuleGroup(
                `${name}-${team.toLowerCase()}-rules`,
                {
                    name: `vauntico-${team.toLowerCase()}`,
                    folderUid: args.folderUid,
                    intervalSeconds: args.interval,
                    rules: pulumi
                        .output(args.datasourceUid)
                        .apply((uid) =>
                            teamSpecs.map((spec) =>
                                grafanaRule(spec, uid, args.dashboardLinks?.[spec.key], spec.key === "noSuccessfulPayment" && !args.paymentsLive),
                            ),
                        ),
                },
                { parent },
            ),
        ];
    });
}

/** The notification policy is a singleton: it replaces the organisation's whole routing tree. */
export function notificationPolicy(
    name: string,
    parent: pulumi.Resource,
    teamNames: readonly TeamName[],
    dependsOn: pulumi.Resource[],
): grafana.alerting.NotificationPolicy {
    const tree = policyTree(teamNames);
    return new grafana.alerting.NotificationPolicy(
        `${name}-policy`,
        {
            contactPoint: tree.contactPoint,
            groupBies: tree.groupBies,
            groupWait: tree.groupWait,
            groupInterval: tree.groupInterval,
            repeatInterval: tree.repeatInterval,
            policies: tree.policies.map(toPolicyInput),
        },
        { parent, dependsOn },
    );
}
