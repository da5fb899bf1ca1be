import { routeOf, type PolicyNode, type PolicyTree } from "../../components/grafana/index.js";
import { alertLabelKeys, sentryDsnSecretName } from "../../policy/protocol/contract.js";
import { escalationPath } from "../../policy/protocol/escalation.js";
import { isRecord, parseJson, type Props, recordOf, recordsOf, stringOf } from "../../policy/gates/read.js";
import { readAlertRule } from "../../policy/gates/stackResources.js";
import { codeSpan, markdownTable } from "../../policy/markdown/index.js";
import type { Plan, PlannedResource } from "../plan/index.js";

const types = {
    folder: "grafana:oss/folder:Folder",
    dashboard: "grafana:oss/dashboard:Dashboard",
    ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
    contactPoint: "grafana:alerting/contactPoint:ContactPoint",
    policy: "grafana:alerting/notificationPolicy:NotificationPolicy",
    escalation: "grafana:onCall/escalation:Escalation",
    alertingComponent: "vauntico:grafana:MonitoringAlerting",
    sentryProject: "sentry:index/sentryProject:SentryProject",
    sentryIssueAlert: "sentry:index/sentryIssueAlert:SentryIssueAlert",
    sentryMetricAlert: "sentry:index/sentryMetricAlert:SentryMetricAlert",
    environmentSecret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
};

/** A property as report text: strings as they are, numbers and booleans printed, anything else empty. */
function text(value: unknown): string {
    const number = typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
    return stringOf(value) ?? number ?? "";
}

function parse(value: unknown): Props {
    return recordOf(parseJson(value));
}

function byType(plan: Plan, type: string): PlannedResource[] {
    return plan.resources.filter((r) => r.type === type);
}

function minutes(seconds: number): string {
    if (seconds === 0) return "once";
    return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds / 60} min`;
}

interface Level {
    level: number;
    at: number;
    who: string;
}

/** The levels of every escalation chain, by chain ID as the steps reference it, in position order. */
function chainLevels(plan: Plan): Map<string, Level[]> {
    const byChain = new Map<string, PlannedResource[]>();
    for (const step of byType(plan, types.escalation)) {
        const chain = text(step.inputs["escalationChainId"]);
        byChain.set(chain, [...(byChain.get(chain) ?? []), step]);
    }
    const levels = new Map<string, Level[]>();
    for (const [chain, steps] of byChain) {
        let elapsed = 0;
        const found: Level[] = [];
        for (const step of [...steps].sort((a, b) => Number(a.inputs["position"]) - Number(b.inputs["position"]))) {
            const type = text(step.inputs["type"]);
            if (type === "wait") {
                elapsed += Number(step.inputs["duration"]);
                continue;
            }
            const persons = Array.isArray(step.inputs["personsToNotifies"]) ? step.inputs["personsToNotifies"].map(text) : [];
            const who =
                type === "notify_persons"
                    ? `users ${persons.join(", ")}`
                    : type === "notify_user_group"
                      ? `user group ${text(step.inputs["groupToNotify"])}`
                      : type === "declare_incident"
                        ? `declare ${text(step.inputs["severity"])} incident`
                        : type;
            found.push({ level: found.length + 1, at: elapsed, who });
        }
        levels.set(chain, found);
    }
    return levels;
}

function toNode(node: Record<string, unknown>): PolicyNode {
    return {
        contactPoint: text(node["contactPoint"]),
        matchers: recordsOf(node["matchers"]).map((m) => ({ label: text(m["label"]), match: "=", value: text(m["value"]) })),
        policies: recordsOf(node["policies"]).map(toNode),
    };
}

function policyTreeOf(plan: Plan): PolicyTree | undefined {
    const [policy] = byType(plan, types.policy);
    if (policy === undefined) return undefined;
    return {
        contactPoint: text(policy.inputs["contactPoint"]),
        groupBies: Array.isArray(policy.inputs["groupBies"]) ? policy.inputs["groupBies"].map(text) : [],
        groupWait: text(policy.inputs["groupWait"]),
        groupInterval: text(policy.inputs["groupInterval"]),
        repeatInterval: text(policy.inputs["repeatInterval"]),
        policies: recordsOf(policy.inputs["policies"]).map(toNode),
    };
}

function contactPointSummary(resource: PlannedResource | undefined): { immediate: string; escalates: boolean } {
    if (resource === undefined) return { immediate: "**no contact point**", escalates: false };
    const channels: string[] = [];
    if (recordsOf(resource.inputs["slacks"]).length > 0 || resource.secretPaths.some((p) => p.startsWith("inputs.slacks"))) channels.push("Slack");
    const addresses = recordsOf(resource.inputs["emails"]).flatMap((e) => (Array.isArray(e["addresses"]) ? e["addresses"].map(text) : []));
    if (addresses.length > 0) channels.push(`email ${addresses.join(", ")}`);
    const escalates = recordsOf(resource.inputs["oncalls"]).length > 0;
    return { immediate: `${text(resource.inputs["name"])}: ${channels.join(" + ") || "**nothing**"}`, escalates };
}

function conditionOf(models: readonly Props[]): string {
    const condition = models.find((m) => m["type"] === "threshold");
    const evaluator = condition === undefined ? undefined : recordsOf(condition["conditions"])[0]?.["evaluator"];
    if (!isRecord(evaluator) || !Array.isArray(evaluator["params"])) return "**no threshold**";
    const comparator = text(evaluator["type"]) === "lt" ? "<" : text(evaluator["type"]) === "gt" ? ">" : text(evaluator["type"]);
    return `${comparator} ${text(evaluator["params"][0])}`;
}

/** The PromQL of the rule's query (the model with an `expr`), as a code span. */
function queryOf(models: readonly Props[]): string {
    const expr = stringOf(models.find((m) => typeof m["expr"] === "string")?.["expr"]);
    return expr === undefined ? "**no query**" : codeSpan(expr);
}

function alertRuleTable(plan: Plan, lines: string[]): void {
    const tree = policyTreeOf(plan);
    const contactPoints = new Map(byType(plan, types.contactPoint).map((cp) => [text(cp.inputs["name"]), cp]));
    const levels = chainLevels(plan);
    const component = byType(plan, types.alertingComponent)[0];
    const chainIds = isRecord(component?.outputs["escalationChainIds"]) ? component.outputs["escalationChainIds"] : {};
    const rules = byType(plan, types.ruleGroup).flatMap((group) => recordsOf(group.inputs["rules"]).map((rule) => ({ group, rule })));

    lines.push("## Alert rules", "");
    if (rules.length === 0) {
        lines.push("No alert rules in this stack (set `vauntico:monitoring`).", "");
        return;
    }
    lines.push(
        'Grafana-managed rules (`grafana.alerting.RuleGroup`). "At once" is the contact point the notification policy',
        "routes the rule to; critical rules also start the owning team's Grafana IRM escalation chain, whose levels follow",
        "the protocol (L1 immediate, L2 within 1 h, L3 within 2 h, L4 if unresolved). Acknowledging or resolving the alert",
        "group in IRM stops the chain.",
        "",
    );
    const rows = rules.map(({ group, rule }) => {
        const read = readAlertRule(rule);
        const labels = read.labels;
        const team = labels[alertLabelKeys.team] ?? "";
        const target = tree === undefined ? undefined : contactPoints.get(routeOf(tree, labels));
        const { immediate, escalates } = contactPointSummary(target);
        const chain = levels.get(text(chainIds[team])) ?? [];
        const levelCells = escalationPath.map((level) => {
            if (!escalates) return "—";
            const reached = chain[level.level - 1];
            return reached === undefined ? "**missing**" : `${reached.who} (at ${minutes(reached.at)})`;
        });
        const paused = rule["isPaused"] === true ? " (paused until payments are live)" : "";
        return [
            labels[alertLabelKeys.signal] ?? "**unlabelled**",
            `${read.name}${paused}`,
            queryOf(read.models),
            conditionOf(read.models),
            read.pendingFor || "**none**",
            labels[alertLabelKeys.severity] ?? "**none**",
            team || "**none**",
            `${text(group.inputs["name"])} (${text(group.inputs["intervalSeconds"])} s)`,
            immediate,
            ...levelCells,
        ];
    });
    lines.push(
        ...markdownTable(
            ["Signal", "Rule", "Query (PromQL, instant)", "Condition", "Pending", "Severity", "Team", "Group (interval)", "At once", "L1", "L2", "L3", "L4"],
            rows,
        ),
    );
    lines.push("");
}

function notificationPolicySection(plan: Plan, lines: string[]): void {
    const tree = policyTreeOf(plan);
    lines.push("## Notification policy", "");
    if (tree === undefined) {
        lines.push("No notification policy in this stack.", "");
        return;
    }
    lines.push(
        "This tree **replaces the Grafana organisation's whole notification policy tree** (Grafana keeps one per",
        "organisation); routes added by hand in the UI are removed on the next `pulumi up`.",
        "",
        `- default: ${tree.contactPoint} (group by ${tree.groupBies.join(", ")}; repeat ${tree.repeatInterval})`,
    );
    const walk = (nodes: PolicyNode[], depth: number): void => {
        for (const node of nodes) {
            const match = node.matchers.map((m) => `${m.label}${m.match}${m.value}`).join(", ");
            lines.push(`${"  ".repeat(depth)}- ${match} → ${node.contactPoint}`);
            walk(node.policies, depth + 1);
        }
    };
    walk(tree.policies, 1);
    lines.push("");
}

function dashboardTable(plan: Plan, lines: string[]): void {
    const folders = new Map(byType(plan, types.folder).map((f) => [text(f.inputs["uid"]), text(f.inputs["title"])]));
    const dashboards = byType(plan, types.dashboard);
    lines.push("## Dashboards", "");
    if (dashboards.length === 0) {
        lines.push("No dashboards in this stack.", "");
        return;
    }
    const summary = dashboards.map((dashboard) => {
        const model = parse(dashboard.inputs["configJson"]);
        const panels = recordsOf(model["panels"]).map((p) => text(p["title"]));
        const folderUid = text(dashboard.inputs["folder"]);
        return [text(model["title"]), text(model["uid"]), folders.get(folderUid) ?? folderUid, panels.join("; ")];
    });
    lines.push(...markdownTable(["Dashboard", "UID", "Folder", "Panels"], summary), "");
    for (const dashboard of dashboards) {
        const model = parse(dashboard.inputs["configJson"]);
        const queries = recordsOf(model["panels"]).flatMap((panel) => {
            const targets = recordsOf(panel["targets"]);
            if (targets.length === 0) return [[text(panel["title"]), "—", "**no query**", "—"]];
            return targets.map((target) => {
                const expr = stringOf(target["expr"]);
                return [text(panel["title"]), text(target["refId"]), expr === undefined ? "**no query**" : codeSpan(expr), text(target["legendFormat"])];
            });
        });
        lines.push(`### ${text(model["title"])} — panel queries`, "", ...markdownTable(["Panel", "Ref", "Query (PromQL, range)", "Legend"], queries), "");
    }
}

function sentryTable(plan: Plan, lines: string[]): void {
    const projects = byType(plan, types.sentryProject);
    lines.push("## Sentry", "");
    if (projects.length === 0) {
        lines.push("No Sentry projects in this stack.", "");
        return;
    }
    const dsnSecrets = byType(plan, types.environmentSecret).map((s) => text(s.inputs["secretName"]));
    const rows = projects.map((project) => {
        const slug = text(project.inputs["slug"]);
        const issue = byType(plan, types.sentryIssueAlert).find((a) => a.inputs["project"] === slug);
        const metric = byType(plan, types.sentryMetricAlert).find((a) => a.inputs["project"] === slug);
        const secret = dsnSecrets.find((name) => name === sentryDsnSecretName(slug));
        const issueActions = issue === undefined ? [] : recordsOf(issue.inputs["actions"]).map((a) => (text(a["id"]).includes("slack") ? "Slack" : "email"));
        const trigger = metric === undefined ? undefined : recordsOf(metric.inputs["triggers"])[0];
        return [
            slug,
            text(project.inputs["platform"]),
            secret ?? "**not delivered**",
            issue === undefined ? "**missing**" : `new issue or regression in ${text(issue.inputs["environment"])} → ${issueActions.join(" + ")}`,
            metric === undefined || trigger === undefined
                ? "**missing**"
                : `${text(metric.inputs["aggregate"])} > ${text(trigger["alertThreshold"])} in ${text(metric.inputs["timeWindow"])} min → ${recordsOf(
                      trigger["actions"],
                  )
                      .map((a) => text(a["type"]))
                      .join(" + ")}`,
        ];
    });
    lines.push(...markdownTable(["Project", "Platform", "DSN delivered as", "Issue alert", "Metric alert"], rows), "");
}

/**
 * The protocol's "alert rule definitions" and "monitoring procedures" artifacts, from what the program
 * registered: every alert rule with its signal, threshold, pending period, severity and who is notified at
 * once and at each escalation level; the notification tree; every dashboard; every Sentry project.
 */
export function monitoringReport(plan: Plan): string {
    const lines = [
        "# Monitoring and alerting",
        "",
        `Stack \`${plan.stack}\` of \`${plan.project}\`, handoff phase ${plan.phase}. Generated by \`npm run report -- monitoring\`.`,
        "",
    ];
    alertRuleTable(plan, lines);
    notificationPolicySection(plan, lines);
    dashboardTable(plan, lines);
    sentryTable(plan, lines);
    return lines.join("\n");
}
