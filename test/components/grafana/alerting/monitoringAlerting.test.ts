import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { runUnderMocks, type PlannedResource } from "../../../../cli/plan/index.js";
import { alertLabelKeys, alertSignals } from "../../../../policy/protocol/contract.js";
import { escalationPath } from "../../../../policy/protocol/escalation.js";
import {
    alertRuleSpec,
    contractMetricNames,
    defaultAlertSettings,
    grafanaRule,
    ruleQueryProblems,
    escalationSteps,
    levelStartSeconds,
    metricNamesOf,
    MonitoringAlerting,
    routeOf,
    signalsFor,
    type MonitoringAlertingArgs,
    type PolicyTree,
} from "../../../../components/grafana/index.js";
import { monitoringMocks } from "../../../support/monitoringMocks.js";
import { byType, isRecord, records } from "../../../support/values.js";

const types = {
    ruleGroup: "grafana:alerting/ruleGroup:RuleGroup",
    contactPoint: "grafana:alerting/contactPoint:ContactPoint",
    policy: "grafana:alerting/notificationPolicy:NotificationPolicy",
    chain: "grafana:onCall/escalationChain:EscalationChain",
    escalation: "grafana:onCall/escalation:Escalation",
    integration: "grafana:onCall/integration:Integration",
};

function baseArgs(): MonitoringAlertingArgs {
    return {
        folderUid: "vauntico",
        datasourceUid: "prometheus",
        slackWebhookUrl: pulumi.secret("https://hooks.slack.com/services/T000/B000/XXXX"),
        emailAddresses: { Kilo: ["dev@vauntico.com"], Cline: ["ops@vauntico.com"] },
        escalation: {
            teamLeads: { Kilo: { users: ["UKILOLEAD"] }, Cline: { users: ["UCLINELEAD"] } },
            crossTeam: { userGroup: "GCROSSTEAM" },
            executives: { users: ["UCEO", "UCTO"] },
        },
    };
}

function run(args: MonitoringAlertingArgs) {
    return runUnderMocks({ project: "p", stack: "s", mocks: monitoringMocks() }, () => new MonitoringAlerting("alerting", args));
}

let baseRun: ReturnType<typeof run> | undefined;
/** The run with `baseArgs()`, made once: the tests that read it only read it. */
function runBase(): ReturnType<typeof run> {
    baseRun ??= run(baseArgs());
    return baseRun;
}

/** Every rule of every rule group, as registered. */
function registeredRules(resources: PlannedResource[]): Record<string, unknown>[] {
    return byType(resources, types.ruleGroup).flatMap((group) => records(group.inputs["rules"]));
}

function modelOf(rule: Record<string, unknown>, refId: string): Record<string, unknown> {
    const data = records(rule["datas"]).find((d) => d["refId"] === refId);
    const model: unknown = typeof data?.["model"] === "string" ? JSON.parse(data["model"]) : undefined;
    if (!isRecord(model)) throw new Error(`rule ${String(rule["uid"])} has no model ${refId}`);
    return model;
}

function labelsOf(rule: Record<string, unknown>): Record<string, string> {
    const labels = rule["labels"];
    return isRecord(labels) ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])) : {};
}

function registeredTree(resources: PlannedResource[]): PolicyTree {
    const [policy] = byType(resources, types.policy);
    if (!policy) throw new Error("no notification policy");
    const toNode = (node: Record<string, unknown>): PolicyTree["policies"][number] => ({
        contactPoint: String(node["contactPoint"]),
        matchers: records(node["matchers"]).map((m) => ({ label: String(m["label"]), match: "=", value: String(m["value"]) })),
        policies: records(node["policies"]).map(toNode),
    });
    return {
        contactPoint: String(policy.inputs["contactPoint"]),
        groupBies: [],
        groupWait: "",
        groupInterval: "",
        repeatInterval: "",
        policies: records(policy.inputs["policies"]).map(toNode),
    };
}

describe("alert rules", () => {
    it("cover every protocol signal, each over contract metrics with a threshold, a pending period and routing labels", async () => {
        const { resources } = await runBase();
        const rules = registeredRules(resources);
        expect(rules.map((r) => labelsOf(r)[alertLabelKeys.signal]).sort()).toEqual(Object.values(alertSignals).sort());
        for (const rule of rules) {
            const expr = modelOf(rule, "A")["expr"];
            if (typeof expr !== "string") throw new Error("no expr");
            const names = metricNamesOf(expr);
            expect(names.length).toBeGreaterThan(0);
            for (const name of names) expect(contractMetricNames.has(name), name).toBe(true);
            const condition = modelOf(rule, "B");
            expect(condition["type"]).toBe("threshold");
            expect(rule["condition"]).toBe("B");
            const evaluator = records(condition["conditions"])[0]?.["evaluator"];
            expect(isRecord(evaluator) && Array.isArray(evaluator["params"]) && typeof evaluator["params"][0]).toBe("number");
            expect(rule["for"]).toMatch(/^[0-9]+(s|m|h)$/);
            const labels = labelsOf(rule);
            expect(Object.keys(labels).sort()).toEqual(Object.values(alertLabelKeys).sort());
            expect(["critical", "warning"]).toContain(labels[alertLabelKeys.severity]);
            expect(["Kilo", "Cline"]).toContain(labels[alertLabelKeys.team]);
        }
    });

    it("put the signature-verification rule on any failure (> 0)", async () => {
        const { resources } = await runBase();
        const rule = registeredRules(resources).find((r) => labelsOf(r)[alertLabelKeys.signal] === alertSignals.signatureVerificationFailure);
        if (!rule) throw new Error("no signature rule");
        expect(records(modelOf(rule, "B")["conditions"])[0]).toEqual({ evaluator: { type: "gt", params: [0] } });
    });

    it("each reach Slack and email through the notification policy tree", async () => {
        const { resources } = await runBase();
        const tree = registeredTree(resources);
        const contactPoints = new Map(byType(resources, types.contactPoint).map((cp) => [String(cp.inputs["name"]), cp]));
        for (const rule of registeredRules(resources)) {
            const target = contactPoints.get(routeOf(tree, labelsOf(rule)));
            if (!target) throw new Error(`rule ${String(rule["uid"])} routes to no contact point`);
            expect(records(target.inputs["slacks"]).length).toBeGreaterThan(0);
            const emails = records(target.inputs["emails"]);
            expect(Array.isArray(emails[0]?.["addresses"]) && emails[0]["addresses"].length).toBeGreaterThan(0);
        }
    });

    it("route by team, then severity: critical alerts of a team also reach its IRM escalation", async () => {
        const { resources } = await runBase();
        const tree = registeredTree(resources);
        expect(routeOf(tree, { team: "Kilo", severity: "critical" })).toBe("vauntico-kilo-critical");
        expect(routeOf(tree, { team: "Cline", severity: "warning" })).toBe("vauntico-cline-warning");
        expect(routeOf(tree, { team: "Nobody" })).toBe("vauntico-all");
        const critical = byType(resources, types.contactPoint).find((cp) => cp.inputs["name"] === "vauntico-kilo-critical");
        const integration = byType(resources, types.integration).find((i) => i.name === "alerting-kilo-oncall");
        expect(records(critical?.inputs["oncalls"])[0]?.["url"]).toBe(integration?.outputs["link"]);
        const warning = byType(resources, types.contactPoint).find((cp) => cp.inputs["name"] === "vauntico-kilo-warning");
        expect(warning?.inputs["oncalls"]).toBeUndefined();
    });

    it("keep the Slack webhook URL a secret", async () => {
        const { resources } = await runBase();
        for (const cp of byType(resources, types.contactPoint)) {
            expect(JSON.stringify(cp.inputs)).not.toContain("hooks.slack.com");
            expect(cp.secretPaths.some((p) => p.startsWith("inputs.slacks"))).toBe(true);
        }
    });

    it("follow the phase: signals by the phase that introduces them, no-successful-payment only once live", () => {
        expect(signalsFor(2, false)).toEqual(["webhookDeliveryFailures", "signatureVerificationFailure"]);
        expect(signalsFor(4, false)).toEqual(["webhookDeliveryFailures", "signatureVerificationFailure", "paymentFailureRatio", "errorRate"]);
        expect(signalsFor(5, false)).not.toContain("noSuccessfulPayment");
        expect(signalsFor(5, true)).toContain("noSuccessfulPayment");
    });
});

describe("escalation (Grafana IRM/OnCall chains)", () => {
    it("reaches L1–L3 exactly at the protocol's deadlines and declares an incident (L4) after L3", async () => {
        const { resources } = await runBase();
        const chains = byType(resources, types.chain);
        expect(chains).toHaveLength(2);
        for (const chain of chains) {
            const steps = byType(resources, types.escalation)
                .filter((s) => s.inputs["escalationChainId"] === chain.outputs["id"] || s.name.startsWith(`${chain.name}-`))
                .sort((a, b) => Number(a.inputs["position"]) - Number(b.inputs["position"]));
            expect(steps.map((s) => s.inputs["position"])).toEqual(steps.map((_, i) => i));
            let elapsed = 0;
            const levels: { type: string; at: number }[] = [];
            for (const step of steps) {
                if (step.inputs["type"] === "wait") elapsed += Number(step.inputs["duration"]);
                else levels.push({ type: String(step.inputs["type"]), at: elapsed });
            }
            expect(levels).toHaveLength(4);
            for (const level of escalationPath) {
                const registered = levels[level.level - 1];
                if (level.withinSeconds !== null) expect(registered?.at).toBe(level.withinSeconds);
            }
            expect(levels[3]?.type).toBe("declare_incident");
            expect(levels[3]?.at).toBeGreaterThan(levels[2]?.at ?? Infinity);
        }
    });

    it("notifies the owning team's lead at L1 and the same cross-team group and executives at L2 and L3", async () => {
        const { resources } = await runBase();
        const kilo = byType(resources, types.escalation).filter((s) => s.name.startsWith("alerting-kilo-escalation-"));
        const notify = kilo.filter((s) => s.inputs["type"] !== "wait").sort((a, b) => Number(a.inputs["position"]) - Number(b.inputs["position"]));
        expect(notify.map((s) => [s.inputs["type"], s.inputs["personsToNotifies"] ?? s.inputs["groupToNotify"] ?? s.inputs["severity"]])).toEqual([
            ["notify_persons", ["UKILOLEAD"]],
            ["notify_user_group", "GCROSSTEAM"],
            ["notify_persons", ["UCEO", "UCTO"]],
            ["declare_incident", "critical"],
        ]);
    });

    it("derives wait steps from the protocol data, so a changed deadline changes the chain", () => {
        const targets = { teamLead: { users: ["a"] }, crossTeam: { users: ["b"] }, executives: { users: ["c"] } };
        const faster = escalationPath.map((l) => (l.level === 2 ? { ...l, withinSeconds: 1800 } : l));
        expect([...levelStartSeconds(escalationSteps(targets, {}, faster))]).toEqual([
            [1, 0],
            [2, 1800],
            [3, 7200],
            [4, 10800],
        ]);
        expect(() => escalationSteps(targets, { incidentAfterSeconds: 30 })).toThrow(/outside what OnCall accepts/);
    });
});

describe("byte-stability of rules", () => {
    function ruleTexts(resources: PlannedResource[]): Map<string, string> {
        return new Map(registeredRules(resources).map((r) => [String(r["uid"]), JSON.stringify(r)]));
    }

    it("two runs give identical rules; changing one threshold changes exactly one rule", async () => {
        const first = ruleTexts((await runBase()).resources);
        const second = ruleTexts((await run(baseArgs())).resources);
        expect([...second]).toEqual([...first]);
        const changed = ruleTexts((await run({ ...baseArgs(), settings: { paymentFailureRatio: { threshold: 0.2 } } })).resources);
        const differing = [...first.keys()].filter((uid) => first.get(uid) !== changed.get(uid));
        expect(differing).toEqual([`vauntico-${alertSignals.paymentFailureRatio}`]);
    });
});

describe("bad args", () => {
    it("name each field, what was given and what is valid", async () => {
        const args = baseArgs();
        await expect(
            run({
                ...args,
                emailAddresses: { Kilo: [], Cline: ["not-an-address"] },
                settings: { errorRate: { threshold: 2, pendingPeriod: "soon" } },
                escalation: { ...args.escalation, crossTeam: { users: [] } },
            }),
        ).rejects.toThrow(
            /errorRate\.threshold: 2 is a ratio.*errorRate\.pendingPeriod: "soon".*emailAddresses\.Kilo: empty.*emailAddresses\.Cline: "not-an-address".*escalation\.crossTeam: empty/,
        );
    });
});

describe("a rule whose query is broken", () => {
    it("fails the build naming the rule, for a syntax error and for a metric outside the contract", () => {
        const spec = alertRuleSpec("errorRate", defaultAlertSettings.errorRate);
        expect(() => grafanaRule({ ...spec, expr: `${spec.expr})` }, "prom")).toThrow(
            /alert rule "Request error rate high" \(error-rate\): PromQL syntax error at column/,
        );
        expect(() => grafanaRule({ ...spec, expr: spec.expr.replace("vauntico_http_requests_total", "vauntico_http_request_total") }, "prom")).toThrow(
            /alert rule "Request error rate high" \(error-rate\): metric vauntico_http_request_total is not in the metrics contract/,
        );
        expect(ruleQueryProblems(spec)).toEqual([]);
    });

    it("sets the query's time range to the longest window it reads", () => {
        const rule = grafanaRule(alertRuleSpec("noSuccessfulPayment", defaultAlertSettings.noSuccessfulPayment), "prom");
        expect(rule.datas[0]?.relativeTimeRange).toEqual({ from: 6 * 3600, to: 0 });
    });
});

describe("the signature window", () => {
    it("refuses a pending period that with one interval reaches the rule's 10m window (N-1 passes, N fails)", async () => {
        await expect(
            run({ ...baseArgs(), evaluationIntervalSeconds: 60, settings: { signatureVerificationFailure: { pendingPeriod: "8m59s" } } }),
        ).resolves.toBeDefined();
        await expect(
            run({ ...baseArgs(), evaluationIntervalSeconds: 60, settings: { signatureVerificationFailure: { pendingPeriod: "9m" } } }),
        ).rejects.toThrow(/signatureVerificationFailure\.pendingPeriod: "9m" plus the 60s interval must stay under the rule's 600s window/);
    });
});
