import { describe, expect, it } from "vitest";
import { blocksDeployment, evaluatePlan, type Verdict } from "../../cli/analyzer/index.js";
import { runPlan, type Plan } from "../../cli/plan/index.js";
import { activationRecordKind } from "../../components/revenue/index.js";
import { StackConfigError } from "../../stacks/config.js";
import { livePaymentKeysOnlyAtPhase5 } from "../../policy/gates/phase5.js";
import { componentTypes, dynamicKindProperty, dynamicResourceType, stripeWebhookEndpointKind } from "../../policy/protocol/contract.js";
import { prodValue, prodWith } from "../support/stackFiles.js";

/**
 * Every phase 1–5 × test/live keys for Stripe and Paystack: the program carries the keys' mode into what the
 * gates read, and the pack (started as the CLI starts it) gives the verdict. Live keys below phase 5 are a
 * mandatory violation naming the phase; keys of different modes are refused before anything registers.
 */

type Mode = "test" | "live";
const phases = [1, 2, 3, 4, 5] as const;
const modes: readonly Mode[] = ["test", "live"];
const liveKeysGate = livePaymentKeysOnlyAtPhase5.id;

function keyOf(mode: Mode, vendor: string, phase: number): string {
    return `sk_${mode}_${vendor}Matrix${phase}`;
}

function stackFile(phase: number, mode: Mode, stripeKeyMode: Mode, paystackKeyMode: Mode) {
    const payments = prodValue("vauntico:payments");
    return prodWith({
        "vauntico:phase": phase,
        "vauntico:payments": { ...(typeof payments === "object" ? payments : {}), mode },
        "vauntico:stripeSecretKey": keyOf(stripeKeyMode, "stripe", phase),
        "vauntico:paystackSecretKey": keyOf(paystackKeyMode, "paystack", phase),
    });
}

function paymentResources(plan: Plan) {
    const stripe = plan.resources.filter((r) => r.type === dynamicResourceType && r.inputs[dynamicKindProperty] === stripeWebhookEndpointKind);
    const paystack = plan.resources.filter((r) => r.type === componentTypes.paystackWebhook);
    return { stripe, paystack };
}

function liveKeyVerdicts(verdicts: readonly Verdict[]): Verdict[] {
    return verdicts.filter((v) => v.policy === liveKeysGate);
}

describe.each(phases)("phase %i", (phase) => {
    describe.each(modes)("Stripe and Paystack keys both %s", (mode) => {
        it(mode === "live" && phase < 5 ? "mandatory violation naming the phase, on the config and on each payment resource" : "no live-key violation", async () => {
            const plan = await runPlan({ stack: "prod", stackFile: stackFile(phase, mode, mode, mode) });
            const { stripe, paystack } = paymentResources(plan);
            // The program carries the keys' mode to what the gates read.
            expect(stripe).toHaveLength(1);
            expect(paystack).toHaveLength(1);
            expect(stripe.map((r) => r.inputs["mode"])).toEqual([mode]);
            expect(paystack.map((r) => r.outputs["mode"])).toEqual([mode]);
            // Revenue activation is recorded only for live payments at phase 5.
            const records = plan.resources.filter((r) => r.inputs[dynamicKindProperty] === activationRecordKind);
            expect(records).toHaveLength(mode === "live" && phase === 5 ? 1 : 0);

            const verdicts = await evaluatePlan(plan);
            const found = liveKeyVerdicts(verdicts);
            if (mode === "live" && phase < 5) {
                expect(found.map((v) => v.urn).sort()).toEqual([null, ...stripe.map((r) => r.urn), ...paystack.map((r) => r.urn)].sort());
                for (const verdict of found) {
                    expect(verdict.enforcement).toBe("mandatory");
                    expect(verdict.message).toContain(`at phase ${phase}`);
                    expect(verdict.message).toContain("use test-mode keys");
                }
                expect(blocksDeployment(verdicts)).toBe(true);
            } else {
                expect(found).toEqual([]);
            }
            if (phase === 5) {
                // At phase 5 every earlier phase's gate is mandatory too: nothing is merely advisory any more.
                expect(verdicts.filter((v) => v.enforcement === "advisory")).toEqual([]);
            }
        }, 120_000);
    });

    describe.each([["live", "test"], ["test", "live"]] as const)("Stripe key %s, Paystack key %s", (stripeKeyMode, paystackKeyMode) => {
        it.each(modes)("with vauntico:payments.mode %s: refused before any resource, naming the key that contradicts it", async (mode) => {
            const file = stackFile(phase, mode, stripeKeyMode, paystackKeyMode);
            const error = await runPlan({ stack: "prod", stackFile: file }).then(() => undefined, (e: unknown) => e);
            expect(error).toBeInstanceOf(StackConfigError);
            const problems = error instanceof StackConfigError ? error.problems : [];
            const contradicting = stripeKeyMode === mode ? "vauntico:paystackSecretKey" : "vauntico:stripeSecretKey";
            expect(problems.map((p) => p.key)).toEqual([contradicting]);
            expect(problems[0]?.expected).toContain(`vauntico:payments.mode is "${mode}"`);
            const message = error instanceof Error ? error.message : "";
            for (const key of [file.config["vauntico:stripeSecretKey"], file.config["vauntico:paystackSecretKey"]]) expect(message).not.toContain(key);
        });
    });
});

describe("a Stripe restricted key (rk_live_) counts as live", () => {
    function withRestrictedKey(phase: number, mode: Mode) {
        const file = stackFile(phase, mode, mode, mode);
        return { ...file, config: { ...file.config, "vauntico:stripeSecretKey": `rk_live_restrictedMatrix${phase}` } };
    }

    it("under mode test it is refused, naming vauntico:stripeSecretKey", async () => {
        const error = await runPlan({ stack: "prod", stackFile: withRestrictedKey(2, "test") }).then(() => undefined, (e: unknown) => e);
        expect(error instanceof StackConfigError ? error.problems.map((p) => p.key) : error).toEqual(["vauntico:stripeSecretKey"]);
    });

    it("under mode live at phase 2 it is a mandatory violation naming phase 2", async () => {
        const plan = await runPlan({ stack: "prod", stackFile: withRestrictedKey(2, "live") });
        const found = liveKeyVerdicts(await evaluatePlan(plan));
        expect(found.length).toBeGreaterThan(0);
        expect(found.every((v) => v.enforcement === "mandatory" && v.message.includes("at phase 2"))).toBe(true);
    }, 120_000);
});

describe("live at phase 5 needs the revenue dashboard and the no-successful-payment alert", () => {
    it("with monitoring configured both exist and their gates pass", async () => {
        const verdicts = await evaluatePlan(await runPlan({ stack: "prod", stackFile: stackFile(5, "live", "live", "live") }));
        expect(verdicts.filter((v) => v.policy === "p5-revenue-dashboard" || v.policy === "p5-revenue-alert")).toEqual([]);
    }, 120_000);

    it("without monitoring both gates are mandatory violations", async () => {
        const file = stackFile(5, "live", "live", "live");
        const config = { ...file.config };
        for (const key of ["vauntico:monitoring", "grafana:url", "vauntico:slackWebhookUrl"]) delete config[key];
        const verdicts = await evaluatePlan(await runPlan({ stack: "prod", stackFile: { ...file, config } }));
        const revenueGates = verdicts.filter((v) => v.policy === "p5-revenue-dashboard" || v.policy === "p5-revenue-alert");
        expect([...new Set(revenueGates.map((v) => v.policy))].sort()).toEqual(["p5-revenue-alert", "p5-revenue-dashboard"]);
        expect(revenueGates.every((v) => v.enforcement === "mandatory")).toBe(true);
    }, 120_000);
});
