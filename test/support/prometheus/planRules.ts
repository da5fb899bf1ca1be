import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { runUnderMocks, type PlannedResource } from "../../../cli/plan/index.js";
import { MonitoringAlerting, type MonitoringAlertingArgs } from "../../../components/grafana/index.js";
import { alertLabelKeys, alertSignals } from "../../../policy/protocol/contract.js";
import { monitoringMocks } from "../monitoringMocks.js";
import { grafanaRuleSchema, type GrafanaRuleGroup } from "./grafanaToPrometheus.js";

const ruleGroupType = "grafana:alerting/ruleGroup:RuleGroup";
const groupInputs = z.object({ name: z.string(), intervalSeconds: z.number(), rules: z.array(grafanaRuleSchema) });

/** The rule groups a run registered, as the Grafana provider receives them. */
export function ruleGroupsOf(resources: readonly PlannedResource[]): GrafanaRuleGroup[] {
    return resources.filter((r) => r.type === ruleGroupType).map((r) => groupInputs.parse(r.inputs));
}

/** The signal key (`paymentFailureRatio`, …) a rule's labels route, from its `signal` label. */
export function signalKeyOf(labels: Record<string, string>): string | undefined {
    const signal = labels[alertLabelKeys.signal];
    return Object.entries(alertSignals).find(([, value]) => value === signal)?.[0];
}

/** Arguments for a live-payments alerting component (every rule evaluated). */
export function liveAlertingArgs(overrides: Partial<MonitoringAlertingArgs> = {}): MonitoringAlertingArgs {
    return {
        folderUid: "vauntico",
        datasourceUid: "prometheus",
        paymentsLive: true,
        slackWebhookUrl: pulumi.secret("https://hooks.slack.com/services/T000/B000/XXXX"),
        emailAddresses: { Kilo: ["dev@vauntico.com"], Cline: ["ops@vauntico.com"] },
        escalation: {
            teamLeads: { Kilo: { users: ["UKILOLEAD"] }, Cline: { users: ["UCLINELEAD"] } },
            crossTeam: { userGroup: "GCROSSTEAM" },
            executives: { users: ["UCEO"] },
        },
        ...overrides,
    };
}

/** The rule groups the alerting component registers for these arguments. */
export async function componentRuleGroups(args: MonitoringAlertingArgs): Promise<GrafanaRuleGroup[]> {
    const run = await runUnderMocks({ project: "p", stack: "s", mocks: monitoringMocks() }, () => new MonitoringAlerting("alerting", args));
    return ruleGroupsOf(run.resources);
}
