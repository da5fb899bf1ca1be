import { beforeAll, describe, expect, it } from "vitest";
import { runPlan, type Plan, type PlannedResource } from "../../cli/plan/index.js";
import { StackConfigError } from "../../stacks/config.js";
import { gateContextFromConfig, phase2Gates, phase3Gates, phase4Gates, phase5Gates, type StackGate } from "../../policy/gates/index.js";
import { alertSignals } from "../../policy/protocol/contract.js";
import { messages, runStackGate } from "../support/gateHarness.js";
import type { FixtureResource } from "../support/fixtures.js";
import { monitoringMocks } from "../support/monitoringMocks.js";
import { prodValue, prodWith, projectDir } from "../support/stackFiles.js";
import { isRecord } from "../support/values.js";

const monitoringGateIds = [
    "p2-webhooks-dashboard",
    "p2-webhook-alerts",
    "p3-payments-dashboard",
    "p3-payment-failure-alert",
    "p4-dashboards-in-folders",
    "p4-alert-rules-complete",
    "p4-alerts-routed-to-slack-and-email",
    "p4-escalation-timings",
    "p4-sentry-projects-alerted",
    "p5-revenue-dashboard",
    "p5-revenue-alert",
];

const stackGates: StackGate[] = [...phase2Gates, ...phase3Gates, ...phase4Gates, ...phase5Gates].filter(
    (gate): gate is StackGate => gate.kind === "stack" && monitoringGateIds.includes(gate.id),
);

function gate(id: string): StackGate {
    const found = stackGates.find((g) => g.id === id);
    if (!found) throw new Error(`no gate ${id}`);
    return found;
}

function fixtures(resources: readonly PlannedResource[]): FixtureResource[] {
    return resources.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
}

let plan: Plan;

beforeAll(async () => {
    plan = await runPlan({ stack: "prod", projectDir, mocks: monitoringMocks(), serializeDynamicProviders: false });
});

describe("prod stack monitoring against the P2–P5 monitoring gates", () => {
    it("finds every monitoring gate it means to run", () => {
        expect(stackGates.map((g) => g.id).sort()).toEqual([...monitoringGateIds].sort());
    });

    it.each(monitoringGateIds)("%s passes", async (id) => {
        expect(messages(await runStackGate(gate(id), fixtures(plan.resources), gateContextFromConfig(plan.config)))).toEqual([]);
    });

    function withoutRuleFields(resource: FixtureResource, signal: string, field: string): FixtureResource {
        if (resource.type !== "grafana:alerting/ruleGroup:RuleGroup" || !Array.isArray(resource.props["rules"])) return resource;
        const rules = resource.props["rules"].filter(isRecord).map((rule) => {
            const labels = isRecord(rule["labels"]) ? rule["labels"] : {};
            if (labels["signal"] !== signal) return rule;
            const { [field]: _removed, ...rest } = rule;
            return rest;
        });
        return { ...resource, props: { ...resource.props, rules } };
    }

    it.each([
        [
            "p2-webhooks-dashboard",
            "the webhooks dashboard is removed",
            (rs: FixtureResource[]) => rs.filter((r) => r.name !== "monitoring-webhooks"),
            /vauntico-webhooks|Webhooks/,
        ],
        [
            "p5-revenue-dashboard",
            "the revenue dashboard is removed",
            (rs: FixtureResource[]) => rs.filter((r) => r.name !== "monitoring-revenue"),
            /vauntico-revenue|Revenue/,
        ],
        [
            "p2-webhook-alerts",
            "the Cline rule group is removed",
            (rs: FixtureResource[]) => rs.filter((r) => r.name !== "alerting-cline-rules"),
            /no alert rule for signal webhook-delivery-failures/,
        ],
        [
            "p4-alert-rules-complete",
            "the error-rate rule loses its pending period",
            (rs: FixtureResource[]) => rs.map((r) => withoutRuleFields(r, alertSignals.errorRate, "for")),
            /has no pending period/,
        ],
        [
            "p3-payment-failure-alert",
            "the payment rule loses its threshold stage",
            (rs: FixtureResource[]) => rs.map((r) => withoutRuleFields(r, alertSignals.paymentFailureRatio, "datas")),
            /has no threshold/,
        ],
    ])("%s fails when %s", async (id, _what, weaken, message) => {
        const found = messages(await runStackGate(gate(id), weaken(fixtures(plan.resources)), gateContextFromConfig(plan.config)));
        expect(
            found.some((m) => message.test(m)),
            found.join("\n"),
        ).toBe(true);
    });

    it("fails the routing gate when a critical contact point loses its email", async () => {
        const weakened = fixtures(plan.resources).map((r) => (r.props["name"] === "vauntico-kilo-critical" ? { ...r, props: { ...r.props, emails: [] } } : r));
        const found = messages(await runStackGate(gate("p4-alerts-routed-to-slack-and-email"), weakened, gateContextFromConfig(plan.config)));
        expect(found.some((m) => /does not reach email/.test(m))).toBe(true);
    });

    it("fails the escalation gate when L2 comes late", async () => {
        const weakened = fixtures(plan.resources).map((r) => (r.name === "alerting-kilo-escalation-1" ? { ...r, props: { ...r.props, duration: 5400 } } : r));
        const found = messages(await runStackGate(gate("p4-escalation-timings"), weakened, gateContextFromConfig(plan.config)));
        expect(found.some((m) => /L2 .* is reached after 5400 s/.test(m))).toBe(true);
    });

    it("fails the Sentry gate when a project's metric alert is removed", async () => {
        const weakened = fixtures(plan.resources).filter((r) => r.name !== "sentry-backend-metric-alert");
        const found = messages(await runStackGate(gate("p4-sentry-projects-alerted"), weakened, gateContextFromConfig(plan.config)));
        expect(found.some((m) => /Sentry project backend lacks a metric alert/.test(m))).toBe(true);
    });
});

describe("monitoring config", () => {
    function rules(resources: readonly PlannedResource[]): Map<string, string> {
        return new Map(
            resources
                .filter((r) => r.type === "grafana:alerting/ruleGroup:RuleGroup")
                .flatMap((group) => (Array.isArray(group.inputs["rules"]) ? group.inputs["rules"] : []))
                .filter(isRecord)
                .map((rule) => [String(rule["uid"]), JSON.stringify(rule)]),
        );
    }

    function dashboardJsons(resources: readonly PlannedResource[]): string[] {
        return resources.filter((r) => r.type === "grafana:oss/dashboard:Dashboard").map((r) => String(r.inputs["configJson"]));
    }

    it("changing one threshold in the stack config changes exactly one rule", async () => {
        const monitoring = prodValue("vauntico:monitoring");
        if (!isRecord(monitoring) || !isRecord(monitoring["alerting"])) throw new Error("prod has no monitoring.alerting");
        const alerting = monitoring["alerting"];
        const thresholds = isRecord(alerting["thresholds"]) ? alerting["thresholds"] : {};
        const changed = { ...monitoring, alerting: { ...alerting, thresholds: { ...thresholds, errorRate: 0.05 } } };
        const before = rules(plan.resources);
        const second = await runPlan({
            stack: "prod",
            projectDir,
            stackFile: prodWith({ "vauntico:monitoring": changed }),
            mocks: monitoringMocks(),
            serializeDynamicProviders: false,
        });
        const after = rules(second.resources);
        expect([...after.keys()]).toEqual([...before.keys()]);
        expect([...before.keys()].filter((uid) => before.get(uid) !== after.get(uid))).toEqual([`vauntico-${alertSignals.errorRate}`]);
        // Another run of the program: the dashboards' JSON is byte-identical.
        expect(dashboardJsons(second.resources)).toEqual(dashboardJsons(plan.resources));
        expect(dashboardJsons(plan.resources)).toHaveLength(3);
    });

    it("names the key of a bad threshold and of a missing escalation level", async () => {
        const monitoring = prodValue("vauntico:monitoring");
        if (!isRecord(monitoring) || !isRecord(monitoring["alerting"]) || !isRecord(monitoring["alerting"]["escalation"])) throw new Error("no escalation");
        const { executives: _executives, ...escalation } = monitoring["alerting"]["escalation"];
        const broken = { ...monitoring, alerting: { ...monitoring["alerting"], thresholds: { errorRate: 2 }, escalation } };
        const attempt = runPlan({
            stack: "prod",
            projectDir,
            stackFile: prodWith({ "vauntico:monitoring": broken }),
            mocks: monitoringMocks(),
            serializeDynamicProviders: false,
        });
        await expect(attempt).rejects.toBeInstanceOf(StackConfigError);
        await expect(attempt).rejects.toThrow(/vauntico:monitoring\.alerting\.thresholds\.errorRate.*ratio below 1/s);
        await expect(attempt).rejects.toThrow(/vauntico:monitoring\.alerting\.escalation\.executives/);
    });
});
