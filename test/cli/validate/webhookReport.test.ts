import { describe, expect, it } from "vitest";
import { answerTooLarge, type WebhookCaseResult, webhookEvidenceItems, webhookValidationReport } from "../../../cli/validate/webhookReport.js";

const url = "https://api.vauntico.com/webhooks/stripe";

function result(overrides: Partial<WebhookCaseResult> = {}): WebhookCaseResult {
    return { provider: "stripe", url, caseName: "signed event", expected: "2xx", got: "200", passed: true, ...overrides };
}

/** The one "Failed cases" line of a report with a single failing result. */
function failedLine(failing: WebhookCaseResult): string {
    const report = webhookValidationReport([failing], "the command line");
    const lines = report.split("\n");
    const heading = lines.indexOf("## Failed cases");
    expect(heading).toBeGreaterThan(0);
    const listed = lines.slice(heading + 1).filter((line) => line.startsWith("- "));
    expect(listed).toHaveLength(1);
    return listed[0] ?? "";
}

describe("webhookValidationReport: the result line", () => {
    it("passes when every case passed, counting cases and endpoints (one endpoint: singular)", () => {
        const report = webhookValidationReport([result(), result({ caseName: "forged signature", expected: "4xx", got: "400" })], "the command line");
        expect(report.startsWith("# Webhook validation\n\nEndpoints from the command line. ")).toBe(true);
        expect(report).toContain("**Result: PASS** — 2 of 2 cases passed on 1 endpoint.\n");
        expect(report).not.toContain("## Failed cases");
        expect(report.endsWith("\n")).toBe(true);
        expect(report.endsWith("\n\n")).toBe(false);
    });

    it("fails when one case failed, counting the passed ones; endpoints are told apart by provider and URL", () => {
        const report = webhookValidationReport(
            [
                result(),
                result({ caseName: "forged signature", expected: "4xx", got: "200", passed: false }),
                result({ provider: "paystack" }),
                result({ url: `${url}/v2` }),
            ],
            "the command line",
        );
        expect(report).toContain("**Result: FAIL** — 3 of 4 cases passed on 3 endpoints.\n");
        expect(report).toContain("\n## Failed cases\n\n- stripe");
    });

    it("tabulates each case with its result", () => {
        const report = webhookValidationReport([result(), result({ caseName: "forged signature", expected: "4xx", got: "200", passed: false })], "x");
        expect(report).toContain(`| ${url} | stripe | signed event | 2xx | 200 | pass |`);
        expect(report).toContain(`| ${url} | stripe | forged signature | 4xx | 200 | **FAIL** |`);
    });
});

describe("webhookValidationReport: the whole report", () => {
    it("a failing run, line by line", () => {
        const report = webhookValidationReport(
            [result(), result({ caseName: "missing signature header", expected: "4xx", got: "200", passed: false })],
            "the `webhookEndpoints` output of stack prod",
        );
        expect(report.split("\n")).toEqual([
            "# Webhook validation",
            "",
            "Endpoints from the `webhookEndpoints` output of stack prod. Each endpoint gets a correctly signed test event (expected 2xx) and requests a receiver must reject (expected 4xx): a forged signature, a stale timestamp (Stripe, beyond its 300 s tolerance) and a missing signature header.",
            "",
            "**Result: FAIL** — 1 of 2 cases passed on 1 endpoint.",
            "",
            "| endpoint | provider | case | expected | got | result |",
            "| --- | --- | --- | --- | --- | --- |",
            `| ${url} | stripe | signed event | 2xx | 200 | pass |`,
            `| ${url} | stripe | missing signature header | 4xx | 200 | **FAIL** |`,
            "",
            "## Failed cases",
            "",
            `- stripe ${url} — missing signature header: expected 4xx, got 200; the receiver accepted a request it must reject: it does not verify signatures (or the timestamp) correctly.`,
            "",
        ]);
    });
});

describe("webhookValidationReport: why a case failed", () => {
    it.each([
        ["an answer cut off", { expected: "2xx", got: `200 ${answerTooLarge(65536)}` }, "the receiver streamed an answer larger than a webhook sender reads"],
        ["no answer", { expected: "4xx", got: "no response (ECONNREFUSED)" }, "no HTTP answer: check the URL is reachable from here"],
        ["a 2xx where a 4xx was due (200)", { expected: "4xx", got: "200" }, "the receiver accepted a request it must reject"],
        ["a 2xx where a 4xx was due (299)", { expected: "4xx", got: "299" }, "the receiver accepted a request it must reject"],
        ["a redirect where a 4xx was due", { expected: "4xx", got: "302" }, "the receiver did not answer with a 4xx"],
        ["a server error where a 4xx was due", { expected: "4xx", got: "500" }, "the receiver did not answer with a 4xx"],
        ["a 4xx where a 2xx was due", { expected: "2xx", got: "400" }, "the receiver rejected a correctly signed event"],
        ["a redirect where a 2xx was due", { expected: "2xx", got: "302" }, "the receiver rejected a correctly signed event"],
    ] as const)("%s", (_title, failing, why) => {
        const line = failedLine(result({ caseName: "the case", passed: false, ...failing }));
        expect(line.startsWith(`- stripe ${url} — the case: expected ${failing.expected}, got ${failing.got}; ${why}`)).toBe(true);
        expect(line.endsWith(".")).toBe(true);
    });

    it("reads the status from the whole answer: three digits alone, or three digits then the cut-off note", () => {
        expect(failedLine(result({ expected: "4xx", got: "2000", passed: false }))).toContain("no HTTP answer");
        expect(failedLine(result({ expected: "4xx", got: "x200", passed: false }))).toContain("no HTTP answer");
        expect(failedLine(result({ expected: "4xx", got: "no response (200 (answer over", passed: false }))).toContain("no HTTP answer");
        expect(failedLine(result({ expected: "2xx", got: "2000 (answer over 1 bytes)", passed: false }))).toContain("no HTTP answer");
    });
});

describe("answerTooLarge", () => {
    it("names the limit it read up to", () => {
        expect(answerTooLarge(65536)).toBe("(answer over 65536 bytes, not read further)");
    });
});

describe("webhookEvidenceItems", () => {
    it("a passing run answers the documented results and the payment flows' webhook leg", () => {
        const [items, notAnswered] = webhookEvidenceItems(true);
        expect(items.map((i) => i.id)).toEqual(["p2.validation-results-documented", "p2.payment-flows-tested"]);
        expect(items[0]?.note).toBeUndefined();
        expect(items[1]?.note).toBe(
            "covers the webhook leg of both providers' payment flows (signed events accepted, forged/stale/unsigned refused), not the checkout",
        );
        expect(notAnswered).toEqual(["p2.validation-tests-passing: needs the frontend tests too, which this command does not run"]);
    });

    it("a failing run answers the documented results only, and says why not the payment flows", () => {
        const [items, notAnswered] = webhookEvidenceItems(false);
        expect(items).toEqual([{ id: "p2.validation-results-documented" }]);
        expect(notAnswered).toEqual([
            "p2.payment-flows-tested: a webhook case failed",
            "p2.validation-tests-passing: needs the frontend tests too, which this command does not run",
        ]);
    });
});
