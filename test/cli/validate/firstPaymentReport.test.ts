import { describe, expect, it } from "vitest";
import type { FirstPaymentResult } from "../../../cli/validate/firstPaymentCheck.js";
import { evidenceLimits, firstPaymentReport } from "../../../cli/validate/firstPaymentReport.js";

const since = new Date("2026-11-20T09:00:00.000Z");
const webhookUrl = "https://api.vauntico.com/webhooks/stripe";

function result(overrides: Partial<FirstPaymentResult> = {}): FirstPaymentResult {
    return {
        passed: true,
        failure: undefined,
        since,
        webhookUrl,
        rows: [{ check: "API key mode", expected: "live (sk_live_… or rk_live_…)", got: "live", status: "pass" }],
        ...overrides,
    };
}

describe("firstPaymentReport", () => {
    it("a pass: the stack, the activation time, the endpoint, each row, the result and what the API cannot prove", () => {
        expect(firstPaymentReport(result(), "prod").split("\n")).toEqual([
            "# Validation: first live payment",
            "",
            `Stack \`prod\`, revenue activated at 2026-11-20T09:00:00.000Z, webhook endpoint ${webhookUrl}.`,
            "",
            "| check | expected | got | result |",
            "| --- | --- | --- | --- |",
            "| API key mode | live (sk_live_… or rk_live_…) | live | pass |",
            "",
            "**Result: PASS** — the first live payment's event was delivered.",
            "",
            "## What Stripe's API proves here, and what it cannot",
            "",
            ...evidenceLimits.map((line) => `- ${line}`),
            "",
        ]);
        expect(evidenceLimits).toHaveLength(6);
    });

    it("a fail names the first failure, or says a check failed", () => {
        const failing = result({ passed: false, failure: "no live webhook endpoint at x" });
        expect(firstPaymentReport(failing, "staging")).toContain("\n**Result: FAIL** — no live webhook endpoint at x.\n");
        expect(firstPaymentReport(failing, "staging")).toContain("Stack `staging`,");
        expect(firstPaymentReport(result({ passed: false }), "prod")).toContain("\n**Result: FAIL** — a check failed.\n");
    });
});
