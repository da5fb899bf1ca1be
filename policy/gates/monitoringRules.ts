import type { GateContext } from "./context.js";
import { type GateMetadata, type StackGate, violationMessage } from "./gate.js";
import { alertRules, dashboards, durationSeconds, hasThreshold } from "./stackResources.js";
import { alertLabelKeys } from "../protocol/index.js";

/** A gate requiring the dashboard with `uid` inside a folder. */
export function dashboardGate(metadata: GateMetadata, dashboard: { uid: string; title: string }): StackGate {
    const gate: StackGate = {
        ...metadata,
        kind: "stack",
        validateStack: (_context: GateContext) => (args, reportViolation) => {
            const found = dashboards(args.resources).filter((d) => d.uid === dashboard.uid);
            if (found.length === 0) {
                reportViolation(
                    violationMessage(
                        gate,
                        `no ${dashboard.title} dashboard (Grafana uid ${dashboard.uid}) in the stack`,
                        `add a grafana.oss.Dashboard whose JSON has uid "${dashboard.uid}" to the monitoring component`,
                    ),
                );
            }
            for (const d of found) {
                if (d.folder === undefined) {
                    reportViolation(
                        violationMessage(gate, `the ${dashboard.title} dashboard is not in a folder`, "set its folder to the deployment's grafana.oss.Folder"),
                        d.resource.urn,
                    );
                }
            }
        },
    };
    return gate;
}

/** A gate requiring, for each signal, an alert rule labelled with it that has a pending period and a threshold. */
export function signalGate(metadata: GateMetadata, signals: readonly string[]): StackGate {
    const gate: StackGate = {
        ...metadata,
        kind: "stack",
        validateStack: () => (args, reportViolation) => {
            const rules = alertRules(args.resources);
            for (const signal of signals) {
                const matching = rules.filter((r) => r.labels[alertLabelKeys.signal] === signal);
                if (matching.length === 0) {
                    reportViolation(
                        violationMessage(
                            gate,
                            `no alert rule for signal ${signal}`,
                            `add a grafana.alerting.RuleGroup rule labelled ${alertLabelKeys.signal}=${signal} with a threshold and a pending period`,
                        ),
                    );
                }
                for (const rule of matching) {
                    if (!((durationSeconds(rule.pendingFor) ?? 0) > 0)) {
                        reportViolation(
                            violationMessage(gate, `alert rule "${rule.name}" (${signal}) has no pending period`, `set its "for" to a duration such as 5m`),
                            rule.group.urn,
                        );
                    }
                    if (!hasThreshold(rule)) {
                        reportViolation(
                            violationMessage(gate, `alert rule "${rule.name}" (${signal}) has no threshold`, "add a threshold expression with a numeric bound"),
                            rule.group.urn,
                        );
                    }
                }
            }
        },
    };
    return gate;
}
