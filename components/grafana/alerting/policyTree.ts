import { alertLabelKeys } from "../../../policy/protocol/contract.js";
import type { TeamName } from "../../../policy/protocol/teams.js";
import { type Severity, severities } from "./rules.js";

export interface RouteMatcher {
    label: string;
    match: "=";
    value: string;
}

/** A notification policy node, shaped like `grafana.alerting.NotificationPolicy` / its `policies`. */
export interface PolicyNode {
    contactPoint: string;
    matchers: RouteMatcher[];
    groupBies?: string[];
    repeatInterval?: string;
    policies: PolicyNode[];
}

/** The root of the tree: its contact point is the fallback for anything no child matches. */
export interface PolicyTree {
    contactPoint: string;
    groupBies: string[];
    groupWait: string;
    groupInterval: string;
    repeatInterval: string;
    policies: PolicyNode[];
}

/** Contact point names are stable and derive from team and severity. */
export function contactPointName(team: TeamName, severity: Severity): string {
    return `vauntico-${team.toLowerCase()}-${severity}`;
}
export const fallbackContactPointName = "vauntico-all";

/**
 * Routing by team, then by severity: `team=T` → `severity=S` → contact point of (T, S). Critical alerts
 * repeat every hour (the protocol's escalation step), warnings every 4 hours.
 */
export function policyTree(teams: readonly TeamName[]): PolicyTree {
    return {
        contactPoint: fallbackContactPointName,
        groupBies: ["alertname", "grafana_folder", alertLabelKeys.signal],
        groupWait: "30s",
        groupInterval: "5m",
        repeatInterval: "4h",
        policies: teams.map((team) => ({
            contactPoint: contactPointName(team, "warning"),
            matchers: [{ label: alertLabelKeys.team, match: "=", value: team }],
            policies: severities.map((severity) => ({
                contactPoint: contactPointName(team, severity),
                matchers: [{ label: alertLabelKeys.severity, match: "=", value: severity }],
                repeatInterval: severity === "critical" ? "1h" : "4h",
                policies: [],
            })),
        })),
    };
}

function matches(node: { matchers: RouteMatcher[] }, labels: Record<string, string>): boolean {
    return node.matchers.every((m) => labels[m.label] === m.value);
}

/**
 * The contact point an alert with these labels reaches, walking the tree as Alertmanager does (first
 * matching child wins, `continue` is never set here, the deepest match decides).
 */
export function routeOf(tree: PolicyTree, labels: Record<string, string>): string {
    let contactPoint = tree.contactPoint;
    let children = tree.policies;
    for (;;) {
        const next = children.find((child) => matches(child, labels));
        if (next === undefined) return contactPoint;
        contactPoint = next.contactPoint;
        children = next.policies;
    }
}
