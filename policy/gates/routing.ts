import * as grafana from "@pulumiverse/grafana";
import type { PolicyResource } from "@pulumi/policy";
import { type Props, arrayOf, recordOf, recordsOf, stringOf } from "./read.js";

/** The integrations of each contact point, by contact point name. */
export function contactPointIntegrations(resources: readonly PolicyResource[]): Map<string, { slack: boolean; email: boolean }> {
    const byName = new Map<string, { slack: boolean; email: boolean }>();
    for (const resource of resources) {
        if (!resource.isType(grafana.alerting.ContactPoint)) continue;
        const props: Props = resource.props;
        const name = stringOf(props["name"]) ?? resource.name;
        const previous = byName.get(name) ?? { slack: false, email: false };
        byName.set(name, {
            slack: previous.slack || arrayOf(props["slacks"]).length > 0,
            email: previous.email || arrayOf(props["emails"]).length > 0,
        });
    }
    return byName;
}

/** Alertmanager regex matchers are anchored; an invalid pattern matches nothing (Grafana would reject it). */
function fullMatch(pattern: string, text: string): boolean | undefined {
    try {
        return new RegExp(`^(?:${pattern})$`).test(text);
    } catch {
        return undefined;
    }
}

function matches(matcher: Props, labels: Readonly<Record<string, string>>): boolean {
    const label = stringOf(matcher["label"]) ?? "";
    const value = stringOf(matcher["value"]) ?? "";
    const actual = labels[label] ?? "";
    switch (stringOf(matcher["match"])) {
        case "=":
            return actual === value;
        case "!=":
            return actual !== value;
        case "=~":
            return fullMatch(value, actual) === true;
        case "!~":
            return fullMatch(value, actual) === false;
        default:
            return false;
    }
}

/**
 * The contact points an alert with `labels` reaches through a notification policy tree, as Grafana routes:
 * child policies are tried in order, the first match takes the alert unless it sets `continue`, a policy
 * without a contact point inherits its parent's, and an alert no child matches stays with the parent.
 */
export function routeContactPoints(policy: Props, labels: Readonly<Record<string, string>>, inherited?: string): string[] {
    const contactPoint = stringOf(policy["contactPoint"]) ?? inherited;
    const reached: string[] = [];
    let matchedChild = false;
    for (const child of recordsOf(policy["policies"])) {
        if (!recordsOf(child["matchers"]).every((m) => matches(m, labels))) continue;
        matchedChild = true;
        reached.push(...routeContactPoints(child, labels, contactPoint));
        if (child["continue"] !== true) break;
    }
    if (!matchedChild && contactPoint !== undefined) reached.push(contactPoint);
    return [...new Set(reached)];
}

/** The stack's notification policy trees (Grafana keeps one per organisation). */
export function notificationPolicies(resources: readonly PolicyResource[]): { resource: PolicyResource; tree: Props }[] {
    return resources.filter((r) => r.isType(grafana.alerting.NotificationPolicy)).map((resource) => ({ resource, tree: recordOf(resource.props) }));
}
