import { describe, expect, it } from "vitest";
import { blocksDeployment, evaluatePlan, type Verdict } from "../../cli/analyzer/index.js";
import { runPlan, type Plan } from "../../cli/plan/index.js";
import { activationRecordKind } from "../../components/revenue/index.js";
import { StackConfigError } from "../../stacks/config.js";
import { livePaymentKeysOnlyAtPhase5 } from "../../policy/gates/phase5.js";
import { componentTypes, dynamicKindProperty, dynamicResourceType, stripeWebhookEndpointKind } from "../../policy/protocol/contract.js";
import { evaluateInProcess } from "../support/inProcessPack.js";
import { prodValue, prodWith } from "../support/stackFiles.js";

/**
 * Every phase 1–5 × test/live keys for Stripe and Paystack: the program carries the keys' mode into what the
 * gates read, and the pack gives the verdict. Live keys below phase 5 are a mandatory violation naming the
 * phase; keys of different modes are refused before anything registers.
 *
 * The matrix is judged by the pack's Analyzer served in this process (`evaluateInProcess`: the policy SDK's
 * own handlers over the gates assembled from the stack config), not a pack process per case (≈ 1 s CPU each
 * to start); the last block witnesses that the pack started as the CLI starts it gives the same verdicts.
 * Plans skip serializing dynamic providers' code, as the commands do: no gate reads it.
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

const plans = new Map<string, Promise<Plan>>();

/** The plan for a stack file; one run per distinct file (cases that judge the same config share it, and never change it). */
function plan(file: ReturnType<typeof stackFile>): Promise<Plan> {
    const key = JSON.stringify(file);
    let planned = plans.get(key);
    if (planned === undefined) {
        planned = runPlan({ stack: "prod", stackFile: file, serializeDynamicProviders: false });
        plans.set(key, planned);
    }
    return planned;
}

function withoutMonitoring(file: ReturnType<typeof stackFile>): ReturnType<typeof stackFile> {
    const config = { ...file.config };
    for (const key of ["vauntico:monitoring", "grafana:url", "vauntico:slackWebhookUrl"]) delete config[key];
    return { ...file, config };
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
        it(mode === "live" && phase < 5
            ? "mandatory violation naming the phase, on the config and on each payment resource"
            : "no live-key violation", async () => {
            const planned = await plan(stackFile(phase, mode, mode, mode));
            const { stripe, paystack } = paymentResources(planned);
            // The program carries the keys' mode to what the gates read.
            expect(stripe).toHaveLength(1);
            expect(paystack).toHaveLength(1);
            expect(stripe.map((r) => r.inputs["mode"])).toEqual([mode]);
            expect(paystack.map((r) => r.outputs["mode"])).toEqual([mode]);
            // Revenue activation is recorded only for live payments at phase 5.
            const records = planned.resources.filter((r) => r.inputs[dynamicKindProperty] === activationRecordKind);
            expect(records).toHaveLength(mode === "live" && phase === 5 ? 1 : 0);

            const verdicts = await evaluateInProcess(planned);
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

    describe.each([
        ["live", "test"],
        ["test", "live"],
    ] as const)("Stripe key %s, Paystack key %s", (stripeKeyMode, paystackKeyMode) => {
        it.each(modes)("with vauntico:payments.mode %s: refused before any resource, naming the key that contradicts it", async (mode) => {
            const file = stackFile(phase, mode, stripeKeyMode, paystackKeyMode);
            const error = await plan(file).then(
                () => undefined,
                (e: unknown) => e,
            );
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
        const error = await plan(withRestrictedKey(2, "test")).then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(error instanceof StackConfigError ? error.problems.map((p) => p.key) : error).toEqual(["vauntico:stripeSecretKey"]);
    });

    it("under mode live at phase 2 it is a mandatory violation naming phase 2", async () => {
        const found = liveKeyVerdicts(await evaluateInProcess(await plan(withRestrictedKey(2, "live"))));
        expect(found.length).toBeGreaterThan(0);
        expect(found.every((v) => v.enforcement === "mandatory" && v.message.includes("at phase 2"))).toBe(true);
    }, 120_000);
});

describe("live at phase 5 needs the revenue dashboard and the no-successful-payment alert", () => {
    it("with monitoring configured both exist and their gates pass", async () => {
        const verdicts = await evaluateInProcess(await plan(stackFile(5, "live", "live", "live")));
        expect(verdicts.filter((v) => v.policy === "p5-revenue-dashboard" || v.policy === "p5-revenue-alert")).toEqual([]);
    }, 120_000);

    it("without monitoring both gates are mandatory violations", async () => {
        const verdicts = await evaluateInProcess(await plan(withoutMonitoring(stackFile(5, "live", "live", "live"))));
        const revenueGates = verdicts.filter((v) => v.policy === "p5-revenue-dashboard" || v.policy === "p5-revenue-alert");
        expect([...new Set(revenueGates.map((v) => v.policy))].sort()).toEqual(["p5-revenue-alert", "p5-revenue-dashboard"]);
        expect(revenueGates.every((v) => v.enforcement === "mandatory")).toBe(true);
    }, 120_000);
});

describe("the pack started as the CLI starts it gives the verdicts judged in this process", () => {
    // The witness of the in-process judging above, across the real boundary: live keys before phase 5, and
    // live at phase 5 without monitoring (each with mandatory findings, so the comparison has something to see).
    it.each([
        ["phase 2, live keys", stackFile(2, "live", "live", "live")],
        ["phase 5, live keys, no monitoring", withoutMonitoring(stackFile(5, "live", "live", "live"))],
    ])(
        "%s",
        async (_, file) => {
            const planned = await plan(file);
            const [inProcess, pack] = await Promise.all([evaluateInProcess(planned), evaluatePlan(planned)]);
            expect(blocksDeployment(pack)).toBe(true);
            expect(pack).toEqual(inProcess);
        },
        120_000,
    );
});
