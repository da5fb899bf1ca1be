import { describe, expect, it } from "vitest";
import { runUnderMocks } from "../../../cli/plan/mockEngine.js";
import type { PaystackWebhookArgs } from "../../../components/paystack/index.js";
import {
    modeOfPaystackKey,
    paystackDashboardInstruction,
    paystackKeyProblem,
    paystackWebhookManualCriterion,
} from "../../../components/paystack/index.js";
import { deliveredSecretNames } from "../../../policy/protocol/contract.js";

const secretKey = "sk_test_paystackComponentKey9";
const baseArgs: PaystackWebhookArgs = { webhookUrl: "https://api.vauntico.example/webhooks/paystack", secretKey, mode: "test" };

async function run(args: PaystackWebhookArgs) {
    const { PaystackWebhook } = await import("../../../components/paystack/index.js");
    return runUnderMocks({ project: "vauntico-deploy", stack: "test" }, () => {
        const webhook = new PaystackWebhook("paystack", args);
        return { criterion: webhook.manualCriterion, delivered: webhook.deliveredSecretNames };
    });
}

describe("the Paystack webhook component", () => {
    it("registers { webhookUrl, mode } and exposes the manual criterion", async () => {
        const { resources, result } = await run(baseArgs);
        const component = resources.find((r) => r.type === "vauntico:paystack:Webhook");
        expect(component?.outputs).toEqual({ webhookUrl: baseArgs.webhookUrl, mode: "test" });
        expect(result.criterion).toBe("webhook URL set in the Paystack dashboard (test and live)");
        expect(result.delivered).toEqual([]);
    });

    it("delivers PAYSTACK_SECRET_KEY as a secret, the key never in plaintext", async () => {
        const { resources, result } = await run({ ...baseArgs, delivery: { repository: "vauntico-app", environment: "production" } });
        const delivered = resources.filter((r) => r.type === "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret");
        expect(delivered).toHaveLength(1);
        // plaintextValue's secret-ness is @pulumi/github's (test/components/github/productionEnvironment.test.ts).
        expect(delivered[0]?.inputs).toMatchObject({ secretName: deliveredSecretNames.paystackSecretKey, environment: "production" });
        expect(delivered[0]?.parent).toBe(resources.find((r) => r.type === "vauntico:paystack:Webhook")?.urn);
        expect(result.delivered).toEqual(["PAYSTACK_SECRET_KEY"]);
        expect(JSON.stringify(resources)).not.toContain(secretKey);
    });

    it.each([
        [{ webhookUrl: "http://api.vauntico.example/hook" }, /webhookUrl: .* uses http:/],
        [{ webhookUrl: "https://[fd00:ec2::254]/hook" }, /webhookUrl: .* a cloud metadata address/],
        [{ webhookUrl: "https://ops:paystackComponentKey9@api.vauntico.example/hook" }, /webhookUrl: "https:\/\/api\.vauntico\.example\/hook" carries a user name or password/],
        [{ secretKey: "sk_live_paystackComponentKey9" }, /secretKey: a live-mode key was given but the payment mode is "test"/],
        [{ secretKey: "pk_test_public" }, /secretKey: not a Paystack secret key/],
    ])("rejects %o naming the field, never echoing the key", async (override, message) => {
        const attempt = run({ ...baseArgs, ...override });
        await expect(attempt).rejects.toThrow(message);
        await attempt.catch((error: unknown) => expect(String(error)).not.toContain("paystackComponentKey9"));
    });
});

describe("pure helpers", () => {
    it("reads the key's mode and words the dashboard instruction", () => {
        expect(modeOfPaystackKey("sk_live_abc1")).toBe("live");
        expect(modeOfPaystackKey("rk_live_abc1")).toBeUndefined();
        expect(paystackKeyProblem("sk_test_abc1", "test")).toBeUndefined();
        expect(paystackDashboardInstruction("https://x.example/p", "live")).toContain("live webhook URL to https://x.example/p");
        expect(paystackWebhookManualCriterion).toContain("(test and live)");
    });
});
