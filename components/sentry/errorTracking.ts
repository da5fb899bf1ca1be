import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as sentry from "@pulumiverse/sentry";
import { sentryDsnSecretName } from "../../policy/protocol/contract.js";

export interface SentryProjectSpec {
    /** Project slug, e.g. `backend`; also names the DSN secret (`SENTRY_DSN_BACKEND`). */
    slug: string;
    /** Sentry platform id, e.g. `node`, `javascript-react`. */
    platform: string;
    /** Metric alert: errors in the time window above which it fires; default `defaultErrorCountThreshold`. */
    errorCountThreshold?: number;
}

export interface ErrorTrackingArgs {
    /** Sentry organization slug. */
    organization: string;
    /** Slug of the team created to own the projects and receive email alerts. */
    team: string;
    /** The projects, one per deployable (e.g. frontend, backend). */
    projects: readonly SentryProjectSpec[];
    /** Where each DSN is delivered as a GitHub Actions environment secret. */
    delivery: { repository: pulumi.Input<string>; environment: pulumi.Input<string> };
    /** Sentry environment the alerts watch; default `production`. */
    environment?: string;
    /**
     * Slack: the ID of the Slack integration installed in Sentry (the number in Settings → Integrations →
     * Slack → Configurations, `/settings/integrations/slack/<id>/`) and the channel alerts go to. The
     * integration itself cannot be installed from code (it is an OAuth flow).
     */
    slack: { integrationId: string; channel: string };
    /** Metric alert window in minutes (Sentry accepts 1, 5, 10, 15, 30, 60, 120, 240, 1440); default 60. */
    metricAlertWindowMinutes?: number;
}

export const errorTrackingType = "vauntico:sentry:ErrorTracking";
export const defaultErrorCountThreshold = 50;
/** Metric alert windows Sentry accepts, in minutes. */
export const metricAlertWindows = [1, 5, 10, 15, 30, 60, 120, 240, 1440] as const;
/** Sentry organization, team and project slugs: lowercase letters, digits, '-' or '_', at most 50 characters. */
export const sentrySlugPattern = /^[a-z0-9][a-z0-9_-]{0,49}$/;
/** A Slack channel as Sentry's Slack action takes it, with or without its `#`. */
export const slackChannelPattern = /^#?[a-z0-9_-]{1,80}$/;
/** The numeric ID of Sentry's Slack integration. */
export const slackIntegrationIdPattern = /^[0-9]+$/;

/** The GitHub environment secrets the component delivers: one DSN per project, in order. */
export function errorTrackingSecretNames(projects: readonly Pick<SentryProjectSpec, "slug">[]): string[] {
    return projects.map((project) => sentryDsnSecretName(project.slug));
}

function isMetricAlertWindow(minutes: number): boolean {
    return metricAlertWindows.some((window) => window === minutes);
}

/** Sentry rule ids of the issue alert: the bridge only takes them as untyped string maps. */
export const issueAlertConditions = [
    { id: "sentry.rules.conditions.first_seen_event.FirstSeenEventCondition", name: "A new issue is created" },
    { id: "sentry.rules.conditions.regression_event.RegressionEventCondition", name: "The issue changes state from resolved to unresolved" },
] as const;
export const slackActionId = "sentry.integrations.slack.notify_action.SlackNotifyServiceAction";
export const emailActionId = "sentry.mail.actions.NotifyEmailAction";

/** Problems with the args, each naming its field; empty when valid. */
export function errorTrackingProblems(args: ErrorTrackingArgs): string[] {
    const problems: string[] = [];
    if (!sentrySlugPattern.test(args.organization)) problems.push(`organization: "${args.organization}" is not a Sentry slug`);
    if (!sentrySlugPattern.test(args.team)) problems.push(`team: "${args.team}" is not a Sentry slug`);
    if (args.projects.length === 0) problems.push("projects: empty; give at least one project (e.g. frontend, backend)");
    const seen = new Set<string>();
    args.projects.forEach((project, index) => {
        if (!sentrySlugPattern.test(project.slug)) problems.push(`projects[${index}].slug: "${project.slug}" is not a Sentry slug`);
        const secretName = sentryDsnSecretName(project.slug);
        if (seen.has(secretName)) problems.push(`projects[${index}].slug: "${project.slug}" gives ${secretName} twice`);
        seen.add(secretName);
        const threshold = project.errorCountThreshold ?? defaultErrorCountThreshold;
        if (!Number.isInteger(threshold) || threshold < 1) {
            problems.push(`projects[${index}].errorCountThreshold: ${threshold} must be a whole number >= 1`);
        }
    });
    const window = args.metricAlertWindowMinutes ?? 60;
    if (!isMetricAlertWindow(window)) {
        problems.push(`metricAlertWindowMinutes: ${window}; valid: ${metricAlertWindows.join(", ")}`);
    }
    if (!slackChannelPattern.test(args.slack.channel)) problems.push(`slack.channel: "${args.slack.channel}" is not a Slack channel`);
    if (!slackIntegrationIdPattern.test(args.slack.integrationId)) {
        problems.push(`slack.integrationId: "${args.slack.integrationId}" is not the numeric ID of Sentry's Slack integration`);
    }
    return problems;
}

/** The channel as Sentry's Slack action wants it: with its leading `#`. */
export function slackChannel(channel: string): string {
    return channel.startsWith("#") ? channel : `#${channel}`;
}

/**
 * Sentry for the protocol's phase 4: a team, a project per deployable with a client key whose DSN is
 * delivered to the GitHub environment, an issue alert (new issue or regression in production → Slack and
 * the team by email) and a metric alert (error count over a window) per project.
 */
export class ErrorTracking extends pulumi.ComponentResource {
    /** Project slug → the name of the GitHub environment secret holding its DSN. */
    public readonly dsnSecretNames: Record<string, string>;

    constructor(name: string, args: ErrorTrackingArgs, opts?: pulumi.ComponentResourceOptions) {
        super(errorTrackingType, name, args, opts);
        const problems = errorTrackingProblems(args);
        if (problems.length > 0) throw new pulumi.ResourceError(problems.join("; "), this);

        const environment = args.environment ?? "production";
        const window = args.metricAlertWindowMinutes ?? 60;
        const channel = slackChannel(args.slack.channel);

        const team = new sentry.SentryTeam(`${name}-team`, { organization: args.organization, name: args.team, slug: args.team }, { parent: this });

        const dsnSecretNames: Record<string, string> = {};
        for (const spec of args.projects) {
            const prefix = `${name}-${spec.slug}`;
            const project = new sentry.SentryProject(
                prefix,
                { organization: args.organization, name: spec.slug, slug: spec.slug, platform: spec.platform, teams: [team.slug] },
                { parent: this },
            );
            const key = new sentry.SentryKey(
                `${prefix}-key`,
                { organization: args.organization, project: project.slug, name: `${spec.slug}-deploy` },
                { parent: this },
            );
            const secretName = sentryDsnSecretName(spec.slug);
            dsnSecretNames[spec.slug] = secretName;
            new github.ActionsEnvironmentSecret(
                `${prefix}-dsn`,
                {
                    repository: args.delivery.repository,
                    environment: args.delivery.environment,
                    secretName,
                    // The bridge does not mark dsnPublic secret; the DSN is a credential for the ingest endpoint.
                    plaintextValue: pulumi.secret(key.dsnPublic),
                },
                { parent: this },
            );

            new sentry.SentryIssueAlert(
                `${prefix}-issue-alert`,
                {
                    organization: args.organization,
                    project: project.slug,
                    name: `${spec.slug}: new issue or regression in ${environment}`,
                    environment,
                    actionMatch: "any",
                    filterMatch: "all",
                    frequency: 30,
                    conditions: issueAlertConditions.map((condition) => ({ ...condition })),
                    actions: [
                        { id: slackActionId, workspace: args.slack.integrationId, channel, tags: "environment,release" },
                        { id: emailActionId, targetType: "Team", targetIdentifier: team.internalId, fallthroughType: "ActiveMembers" },
                    ],
                },
                { parent: this },
            );

            const threshold = spec.errorCountThreshold ?? defaultErrorCountThreshold;
            new sentry.SentryMetricAlert(
                `${prefix}-metric-alert`,
                {
                    organization: args.organization,
                    project: project.slug,
                    name: `${spec.slug}: more than ${threshold} errors in ${window} min (${environment})`,
                    environment,
                    dataset: "events",
                    eventTypes: ["error"],
                    query: "event.type:error",
                    aggregate: "count()",
                    timeWindow: window,
                    // 0 = "above": fire when the count rises above the threshold.
                    thresholdType: 0,
                    owner: pulumi.interpolate`team:${team.internalId}`,
                    triggers: [
                        {
                            label: "critical",
                            alertThreshold: threshold,
                            thresholdType: 0,
                            actions: [
                                { type: "slack", targetType: "specific", targetIdentifier: channel, integrationId: Number(args.slack.integrationId) },
                                { type: "email", targetType: "team", targetIdentifier: team.internalId },
                            ],
                        },
                    ],
                },
                { parent: this },
            );
        }
        this.dsnSecretNames = dsnSecretNames;
        this.registerOutputs({ dsnSecretNames });
    }
}
