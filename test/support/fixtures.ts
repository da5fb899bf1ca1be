import * as github from "@pulumi/github";
import * as random from "@pulumi/random";
import * as grafana from "@pulumiverse/grafana";
import * as sentry from "@pulumiverse/sentry";
import {
    alertSignals, componentTypes, deliveredSecretNames, dynamicKindProperty, dynamicResourceType, requiredDashboards,
    requiredStripeEvents, sentryDsnSecretName, stripeWebhookEndpointKind,
} from "../../policy/protocol/index.js";

/** A resource as a gate test states it: type token, name, properties. */
export interface FixtureResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
}

/** The type token a resource class carries, as the policy SDK reads it. */
export function typeOfClass(resourceClass: object): string | undefined {
    return "__pulumiType" in resourceClass && typeof resourceClass.__pulumiType === "string" ? resourceClass.__pulumiType : undefined;
}

function tokenOf(resourceClass: object): string {
    const token = typeOfClass(resourceClass);
    if (token === undefined) throw new Error("resource class without a type token");
    return token;
}

/** Type tokens read from the SDK classes, so a renamed token fails here rather than silently. */
export const types = {
    randomBytes: tokenOf(random.RandomBytes),
    environment: tokenOf(github.RepositoryEnvironment),
    environmentSecret: tokenOf(github.ActionsEnvironmentSecret),
    branchProtection: tokenOf(github.BranchProtection),
    folder: tokenOf(grafana.oss.Folder),
    dashboard: tokenOf(grafana.oss.Dashboard),
    ruleGroup: tokenOf(grafana.alerting.RuleGroup),
    contactPoint: tokenOf(grafana.alerting.ContactPoint),
    notificationPolicy: tokenOf(grafana.alerting.NotificationPolicy),
    escalationChain: tokenOf(grafana.oncall.EscalationChain),
    escalation: tokenOf(grafana.oncall.Escalation),
    sentryProject: tokenOf(sentry.SentryProject),
    sentryKey: tokenOf(sentry.SentryKey),
    sentryIssueAlert: tokenOf(sentry.SentryIssueAlert),
    sentryMetricAlert: tokenOf(sentry.SentryMetricAlert),
} as const;

export const prodConfig: Record<string, string> = {
    "vauntico:phase": "1",
    "vauntico:environment": JSON.stringify({ name: "production", reviewers: { teams: ["ops"], users: [] } }),
    "vauntico:mergeProtection": JSON.stringify({ branch: "main", requiredChecks: ["ci/test", "ci/gates"], requiredApprovals: 2 }),
    "vauntico:secrets": JSON.stringify([{ name: "JWT_SECRET", bytes: 32, encoding: "hex" }, { name: "SESSION_SECRET", bytes: 64, encoding: "base64" }]),
};

export function withConfig(overrides: Record<string, string | undefined>): Record<string, string> {
    const merged: Record<string, string> = { ...prodConfig };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) delete merged[key];
        else merged[key] = value;
    }
    return merged;
}

const secretValue = "[secret]";

export function randomBytes(name: string, length = 32): FixtureResource {
    return { type: types.randomBytes, name: `secrets-${name.toLowerCase()}`, props: { length, keepers: { name, rotation: "1" } } };
}

export function environmentSecret(secretName: string, environment = "production"): FixtureResource {
    return { type: types.environmentSecret, name: `env-secret-${secretName.toLowerCase()}`, props: { repository: "vauntico", environment, secretName, plaintextValue: secretValue } };
}

export function productionEnvironment(overrides: Record<string, unknown> = {}): FixtureResource {
    return {
        type: types.environment,
        name: "env-environment",
        props: {
            repository: "vauntico",
            environment: "production",
            reviewers: [{ teams: [42], users: [] }],
            canAdminsBypass: false,
            preventSelfReview: true,
            deploymentBranchPolicy: { protectedBranches: true, customBranchPolicies: false },
            ...overrides,
        },
    };
}

export function branchProtection(overrides: Record<string, unknown> = {}, reviewOverrides: Record<string, unknown> = {}): FixtureResource {
    return {
        type: types.branchProtection,
        name: "merge-main",
        props: {
            repositoryId: "vauntico",
            pattern: "main",
            enforceAdmins: true,
            requiredStatusChecks: [{ strict: true, contexts: ["ci/test", "ci/gates"] }],
            requiredPullRequestReviews: [{ requiredApprovingReviewCount: 2, dismissStaleReviews: true, requireCodeOwnerReviews: true, requireLastPushApproval: true, ...reviewOverrides }],
            requireConversationResolution: true,
            allowsForcePushes: false,
            allowsDeletions: false,
            ...overrides,
        },
    };
}

export function phase1Stack(): FixtureResource[] {
    return [
        randomBytes("JWT_SECRET"), randomBytes("SESSION_SECRET", 64),
        productionEnvironment(),
        environmentSecret("JWT_SECRET"), environmentSecret("SESSION_SECRET"),
        branchProtection(),
    ];
}

export function stripeEndpoint(overrides: Record<string, unknown> = {}): FixtureResource {
    return {
        type: dynamicResourceType,
        name: "stripe-endpoint",
        props: {
            [dynamicKindProperty]: stripeWebhookEndpointKind,
            url: "https://api.vauntico.com/webhooks/stripe",
            enabledEvents: [...requiredStripeEvents],
            apiVersion: "2026-10-28.endive",
            mode: "test",
            ...overrides,
        },
    };
}

export function paystackWebhook(overrides: Record<string, unknown> = {}): FixtureResource {
    return { type: componentTypes.paystackWebhook, name: "paystack", props: { webhookUrl: "https://api.vauntico.com/webhooks/paystack", mode: "test", ...overrides } };
}

export function dashboard(uid: string, title: string, folder: string | null = "folder-uid"): FixtureResource {
    return { type: types.dashboard, name: `dashboard-${uid}`, props: { configJson: JSON.stringify({ uid, title, panels: [] }), ...(folder === null ? {} : { folder }) } };
}

const thresholdModel = JSON.stringify({ type: "threshold", expression: "A", conditions: [{ evaluator: { type: "gt", params: [0.05] } }] });

export function rule(signal: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: `${signal} alert`,
        for: "5m",
        labels: { signal, severity: "critical", team: "cline" },
        condition: "B",
        datas: [
            { refId: "A", datasourceUid: "prom", model: JSON.stringify({ expr: "rate(x[5m])" }), relativeTimeRange: { from: 600, to: 0 } },
            { refId: "B", datasourceUid: "__expr__", model: thresholdModel, relativeTimeRange: { from: 0, to: 0 } },
        ],
        ...overrides,
    };
}

export function ruleGroup(rules: Record<string, unknown>[], name = "vauntico-alerts"): FixtureResource {
    return { type: types.ruleGroup, name, props: { name, folderUid: "folder-uid", intervalSeconds: 60, rules } };
}

export function contactPoint(name: string, slack: boolean, email: boolean): FixtureResource {
    return {
        type: types.contactPoint,
        name: `contact-${name}`,
        props: { name, ...(slack ? { slacks: [{ url: secretValue }] } : {}), ...(email ? { emails: [{ addresses: ["ops@vauntico.com"] }] } : {}) },
    };
}

export function notificationPolicy(tree: Record<string, unknown>): FixtureResource {
    return { type: types.notificationPolicy, name: "routing", props: { groupBies: ["alertname"], ...tree } };
}

/** Steps of a chain: L1 now, wait 1 h, L2, wait 1 h, L3, wait 1 h, L4 incident. */
export function escalationSteps(chainId = "chain-1", waits: readonly number[] = [3600, 3600, 3600], lastType = "declare_incident"): FixtureResource[] {
    const types_ = ["notify_persons", "wait", "notify_user_group", "wait", "notify_persons", "wait", lastType];
    let waitIndex = 0;
    return types_.map((type, position) => ({
        type: types.escalation,
        name: `escalation-${chainId}-${position}`,
        props: { escalationChainId: chainId, position, type, ...(type === "wait" ? { duration: waits[waitIndex++] } : {}) },
    }));
}

export function sentryProject(slug: string, parts: { key?: boolean; issue?: boolean; metric?: boolean; dsn?: boolean } = {}): FixtureResource[] {
    const { key = true, issue = true, metric = true, dsn = true } = parts;
    return [
        { type: types.sentryProject, name: `sentry-${slug}`, props: { organization: "vauntico", name: slug, slug, teams: ["ops"] } },
        ...(key ? [{ type: types.sentryKey, name: `sentry-${slug}-key`, props: { organization: "vauntico", project: slug } }] : []),
        ...(issue ? [{ type: types.sentryIssueAlert, name: `sentry-${slug}-issues`, props: { organization: "vauntico", project: slug } }] : []),
        ...(metric ? [{ type: types.sentryMetricAlert, name: `sentry-${slug}-errors`, props: { organization: "vauntico", project: slug } }] : []),
        ...(dsn ? [environmentSecret(sentryDsnSecretName(slug))] : []),
    ];
}

export const allSignals = Object.values(alertSignals);

/** A stack that satisfies every gate of every phase (test-mode payments). */
export function completeStack(): FixtureResource[] {
    return [
        ...phase1Stack(),
        stripeEndpoint(),
        paystackWebhook(),
        environmentSecret(deliveredSecretNames.stripeWebhookSecret),
        environmentSecret(deliveredSecretNames.stripeSecretKey),
        environmentSecret(deliveredSecretNames.paystackSecretKey),
        { type: types.folder, name: "folder", props: { title: "Vauntico production", uid: "folder-uid" } },
        dashboard(requiredDashboards.webhooks.uid, requiredDashboards.webhooks.title),
        dashboard(requiredDashboards.payments.uid, requiredDashboards.payments.title),
        dashboard(requiredDashboards.revenue.uid, requiredDashboards.revenue.title),
        ruleGroup(allSignals.map((signal) => rule(signal))),
        contactPoint("ops-slack-and-email", true, true),
        notificationPolicy({ contactPoint: "ops-slack-and-email", policies: [{ matchers: [{ label: "team", match: "=", value: "cline" }], contactPoint: "ops-slack-and-email" }] }),
        { type: types.escalationChain, name: "chain", props: { name: "vauntico" } },
        ...escalationSteps(),
        ...sentryProject("backend"),
    ];
}
