import type * as pulumi from "@pulumi/pulumi";
import {
    allSignals,
    dashboardKeys,
    MonitoringAlerting,
    MonitoringDashboards,
    type MonitoringAlertingArgs,
    type SignalKey,
    type SignalSettings,
} from "../components/grafana/index.js";
import { ErrorTracking } from "../components/sentry/index.js";
import { requiredDashboards } from "../policy/protocol/contract.js";
import type { MonitoringConfig, SentryConfig, StackConfig } from "./config.js";

/** Per-signal settings from `vauntico:monitoring.alerting` (thresholds, pending periods); unset keep defaults. */
export function alertSettingsFrom(alerting: MonitoringConfig["alerting"]): Partial<Record<SignalKey, Partial<SignalSettings>>> {
    const { noSuccessfulPaymentHours, ...ratios } = alerting.thresholds;
    const thresholds: Partial<Record<SignalKey, number>> = {
        ...ratios,
        ...(noSuccessfulPaymentHours !== undefined ? { noSuccessfulPayment: noSuccessfulPaymentHours } : {}),
    };
    const settings: Partial<Record<SignalKey, Partial<SignalSettings>>> = {};
    for (const key of allSignals) {
        const threshold = thresholds[key];
        const pendingPeriod = alerting.pendingPeriods[key];
        if (threshold === undefined && pendingPeriod === undefined) continue;
        settings[key] = { ...(threshold !== undefined ? { threshold } : {}), ...(pendingPeriod !== undefined ? { pendingPeriod } : {}) };
    }
    return settings;
}

/** The args of the Grafana alerting component, from the stack's monitoring config. */
export function alertingArgsFrom(
    monitoring: MonitoringConfig,
    folderUid: pulumi.Input<string>,
    slackWebhookUrl: pulumi.Input<string>,
    paymentsLive: boolean,
): MonitoringAlertingArgs {
    const { alerting } = monitoring;
    const { incidentAfterMinutes, incidentSeverity, ...targets } = alerting.escalation;
    return {
        folderUid,
        datasourceUid: monitoring.grafana.datasourceUid,
        settings: alertSettingsFrom(alerting),
        paymentsLive,
        slackWebhookUrl,
        emailAddresses: {
            Kilo: alerting.teamEmails.Kilo ?? alerting.emails,
            Cline: alerting.teamEmails.Cline ?? alerting.emails,
        },
        escalation: {
            ...targets,
            ...(incidentAfterMinutes !== undefined ? { incidentAfterSeconds: incidentAfterMinutes * 60 } : {}),
            ...(incidentSeverity !== undefined ? { incidentSeverity } : {}),
        },
        ...(alerting.evaluationIntervalSeconds !== undefined ? { evaluationIntervalSeconds: alerting.evaluationIntervalSeconds } : {}),
        dashboardLinks: {
            webhookDeliveryFailures: requiredDashboards.webhooks.uid,
            signatureVerificationFailure: requiredDashboards.webhooks.uid,
            paymentFailureRatio: requiredDashboards.payments.uid,
            errorRate: requiredDashboards.payments.uid,
            noSuccessfulPayment: requiredDashboards.revenue.uid,
        },
    };
}

/**
 * Grafana dashboards and alerting from `vauntico:monitoring`. All dashboards and rules exist as soon as the
 * section is set, so the later phases' gates (advisory until then) see them; the no-successful-payment rule
 * stays paused until payments are live.
 */
export function createMonitoring(config: StackConfig, monitoring: MonitoringConfig): { folderUid: pulumi.Output<string>; ruleUids: pulumi.Output<string[]> } {
    const slackWebhookUrl = config.credentials["vauntico:slackWebhookUrl"];
    if (slackWebhookUrl === undefined) throw new Error("vauntico:slackWebhookUrl: missing; required when vauntico:monitoring is set");
    const dashboards = new MonitoringDashboards("monitoring", {
        datasourceUid: monitoring.grafana.datasourceUid,
        folderTitle: monitoring.grafana.folder,
        dashboards: dashboardKeys,
    });
    const alerting = new MonitoringAlerting("alerting", alertingArgsFrom(monitoring, dashboards.folderUid, slackWebhookUrl, config.payments?.mode === "live"));
    return { folderUid: dashboards.folderUid, ruleUids: alerting.ruleUids };
}

/** Sentry from `vauntico:sentry`, its DSNs delivered to the production environment. */
export function createErrorTracking(
    sentry: SentryConfig,
    delivery: { repository: pulumi.Input<string>; environment: pulumi.Input<string> },
): Record<string, string> {
    const tracking = new ErrorTracking("sentry", {
        organization: sentry.organization,
        team: sentry.team,
        projects: sentry.projects,
        delivery,
        slack: sentry.slack,
        ...(sentry.metricAlertWindowMinutes !== undefined ? { metricAlertWindowMinutes: sentry.metricAlertWindowMinutes } : {}),
    });
    return tracking.dsnSecretNames;
}
