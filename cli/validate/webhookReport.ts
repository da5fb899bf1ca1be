import type { ManualItemId } from "../../policy/protocol/types.js";
import { inlineText, markdownTable } from "../../policy/markdown/index.js";
import type { WebhookProvider } from "./webhookCases.js";

/** The outcome of one case against one endpoint. Holds no secret. */
export interface WebhookCaseResult {
    provider: WebhookProvider;
    url: string;
    caseName: string;
    expected: "2xx" | "4xx";
    /** The HTTP status, or why there was none. */
    got: string;
    passed: boolean;
}

/** How a result says the receiver's answer was cut off (what `got` carries after the status). */
export function answerTooLarge(limitBytes: number): string {
    return `(answer over ${limitBytes} bytes, not read further)`;
}

/** The protocol's validation results for phase 2 ("test webhook endpoints and signatures") as Markdown. */
export function webhookValidationReport(results: readonly WebhookCaseResult[], source: string): string {
    const failed = results.filter((r) => !r.passed);
    const endpoints = [...new Set(results.map((r) => `${r.provider} ${r.url}`))];
    const lines = [
        "# Webhook validation",
        "",
        `Endpoints from ${source}. Each endpoint gets a correctly signed test event (expected 2xx) and requests a ` +
            "receiver must reject (expected 4xx): a forged signature, a stale timestamp (Stripe, beyond its 300 s " +
            "tolerance) and a missing signature header.",
        "",
        `**Result: ${failed.length === 0 ? "PASS" : "FAIL"}** — ${results.length - failed.length} of ${results.length} cases passed on ${endpoints.length} endpoint${endpoints.length === 1 ? "" : "s"}.`,
        "",
        ...markdownTable(
            ["endpoint", "provider", "case", "expected", "got", "result"],
            results.map((r) => [r.url, r.provider, r.caseName, r.expected, r.got, r.passed ? "pass" : "**FAIL**"]),
        ),
    ];
    if (failed.length > 0) {
        lines.push("", "## Failed cases", "");
        for (const r of failed) {
            const why = /^\d{3} \(answer over/.test(r.got)
                ? "the receiver streamed an answer larger than a webhook sender reads: answer with a status and a short body"
                : !/^\d{3}$/.test(r.got)
                  ? "no HTTP answer: check the URL is reachable from here"
                  : r.expected === "4xx" && /^2\d\d$/.test(r.got)
                    ? "the receiver accepted a request it must reject: it does not verify signatures (or the timestamp) correctly"
                    : r.expected === "2xx"
                      ? "the receiver rejected a correctly signed event: check the secret it verifies with and that it reads the raw body"
                      : "the receiver did not answer with a 4xx";
            lines.push(inlineText(`- ${r.provider} ${r.url} — ${r.caseName}: expected ${r.expected}, got ${r.got}; ${why}.`));
        }
    }
    return `${lines.join("\n")}\n`;
}

/**
 * The manual items a webhook report answers (for `--record`): the results documented, always; payment flows
 * tested only when every case passed, and only their webhook leg (the checkout itself is not exercised).
 */
export function webhookEvidenceItems(passed: boolean): [{ id: ManualItemId; note?: string }[], string[]] {
    const items: { id: ManualItemId; note?: string }[] = [{ id: "p2.validation-results-documented" }];
    const notAnswered: string[] = [];
    if (passed)
        items.push({
            id: "p2.payment-flows-tested",
            note: "covers the webhook leg of both providers' payment flows (signed events accepted, forged/stale/unsigned refused), not the checkout",
        });
    else notAnswered.push("p2.payment-flows-tested: a webhook case failed");
    notAnswered.push("p2.validation-tests-passing: needs the frontend tests too, which this command does not run");
    return [items, notAnswered];
}
