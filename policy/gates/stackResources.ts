import * as github from "@pulumi/github";
import * as grafana from "@pulumiverse/grafana";
import type { PolicyResource } from "@pulumi/policy";
import { componentTypes, dynamicKindProperty, dynamicResourceType, stripeWebhookEndpointKind } from "../protocol/index.js";
import { type Props, numberOf, parseJson, readKnown, recordOf, recordsOf, stringOf } from "./read.js";

/** The environment secrets delivered to `environment`, by secret name. */
export function deliveredSecrets(resources: readonly PolicyResource[], environment: string): Map<string, PolicyResource[]> {
    const byName = new Map<string, PolicyResource[]>();
    for (const resource of resources) {
        const secret = resource.asType(github.ActionsEnvironmentSecret);
        if (!secret || secret.environment !== environment) continue;
        byName.set(secret.secretName, [...(byName.get(secret.secretName) ?? []), resource]);
    }
    return byName;
}

export function isStripeEndpoint(type: string, props: Props): boolean {
    return type === dynamicResourceType && props[dynamicKindProperty] === stripeWebhookEndpointKind;
}

export interface StripeEndpoint {
    resource: PolicyResource;
    url: string | undefined;
    enabledEvents: readonly unknown[];
    apiVersion: string | undefined;
    mode: string | undefined;
}

export function stripeEndpoints(resources: readonly PolicyResource[]): StripeEndpoint[] {
    return resources
        .filter((r) => isStripeEndpoint(r.type, r.props))
        .map((resource) => {
            const props: Props = resource.props;
            return {
                resource,
                url: stringOf(props["url"]),
                enabledEvents: Array.isArray(props["enabledEvents"]) ? props["enabledEvents"] : [],
                apiVersion: stringOf(props["apiVersion"]),
                mode: stringOf(props["mode"]),
            };
        });
}

export interface PaystackWebhook {
    resource: PolicyResource;
    webhookUrl: string | undefined;
    mode: string | undefined;
}

/** Paystack webhooks: components whose registered outputs carry the expected URL and the key's mode. */
export function paystackWebhooks(resources: readonly PolicyResource[]): PaystackWebhook[] {
    return resources
        .filter((r) => r.type === componentTypes.paystackWebhook)
        .map((resource) => {
            const props: Props = resource.props;
            return { resource, webhookUrl: stringOf(props["webhookUrl"]), mode: stringOf(props["mode"]) };
        });
}

export interface Dashboard {
    resource: PolicyResource;
    uid: string | undefined;
    title: string | undefined;
    folder: string | undefined;
}

export function dashboards(resources: readonly PolicyResource[]): Dashboard[] {
    return resources.flatMap((resource) => {
        const dashboard = resource.asType(grafana.oss.Dashboard);
        if (!dashboard) return [];
        const model = recordOf(parseJson(dashboard.configJson));
        // A new folder's uid is unknown during preview; the dashboard is still placed in a folder.
        const folderRead = readKnown(() => stringOf(dashboard.folder));
        const folder = folderRead.known ? folderRead.value : "(folder created in this update)";
        return [{ resource, uid: stringOf(model["uid"]), title: stringOf(model["title"]), folder: folder === "" ? undefined : folder }];
    });
}

export interface AlertRule {
    group: PolicyResource;
    name: string;
    labels: Readonly<Record<string, string>>;
    pendingFor: string | undefined;
    /** Contact point named by the rule's own notification settings (simplified routing), if any. */
    contactPoint: string | undefined;
    models: readonly Props[];
}

/** One rule of a rule group's `rules` property, read from its untyped JSON (gates and reports share this). */
export function readAlertRule(rule: Props): Omit<AlertRule, "group"> {
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(recordOf(rule["labels"]))) {
        if (typeof value === "string") labels[key] = value;
    }
    return {
        name: stringOf(rule["name"]) ?? "(unnamed rule)",
        labels,
        pendingFor: stringOf(rule["for"]),
        contactPoint: stringOf(recordOf(rule["notificationSettings"])["contactPoint"]),
        models: recordsOf(rule["datas"]).map((data) => recordOf(parseJson(data["model"]))),
    };
}

export function alertRules(resources: readonly PolicyResource[]): AlertRule[] {
    return resources.flatMap((group) => {
        if (!group.isType(grafana.alerting.RuleGroup)) return [];
        const props: Props = group.props;
        return recordsOf(props["rules"]).map((rule) => ({ group, ...readAlertRule(rule) }));
    });
}

/** Seconds of a Grafana duration such as `5m`, `1h30m` or `90s`; undefined when unreadable. */
export function durationSeconds(text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text.trim()) return undefined;
    const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
    return parts.reduce((sum, p) => sum + Number(p[1]) * (unit[p[2] ?? "s"] ?? 0), 0);
}

/** A rule has a threshold when one of its expressions is a threshold or classic condition with a numeric bound. */
export function hasThreshold(rule: AlertRule): boolean {
    return rule.models.some((model) => {
        const type = stringOf(model["type"]);
        if (type === "threshold" || type === "classic_conditions") {
            return recordsOf(model["conditions"]).some((condition) => {
                const params = recordOf(condition["evaluator"])["params"];
                return Array.isArray(params) && params.some((p) => numberOf(p) !== undefined);
            });
        }
        return false;
    });
}
