import { markdownTable } from "../../policy/markdown/index.js";
import type { FirstPaymentResult } from "./firstPaymentCheck.js";

/** What `pending_webhooks` and the rest of Stripe's v1 API can establish, and where they stop. */
export const evidenceLimits = [
    "**Proven:** a live PaymentIntent with status `succeeded`, created at or after the activation time, is the first such one in the account (`GET /v1/payment_intents`).",
    "**Proven:** Stripe created its `payment_intent.succeeded` event, and `pending_webhooks = 0` on it means every endpoint subscribed to that event answered it with a 2xx (`GET /v1/events`).",
    "**Proven:** the stack's endpoint (matched by URL) is live, enabled, subscribed to the event and older than it, so it was one of those endpoints — as far as its current state tells.",
    "**Not provable through the API:** per-endpoint delivery attempts and response codes (only the Dashboard shows them): with `pending_webhooks > 0` and several subscribed endpoints, the API cannot say which one failed.",
    "**Not provable through the API:** the endpoint's state at the time of the event (it shows only the current one), nor that the receiver verified the signature and processed the event — a 2xx only says it accepted it.",
    "**Not provable through the API:** events older than 30 days (Stripe stops returning them); Paystack payments (its API has no webhook delivery state).",
];

/** The validation report, Markdown; never contains a key or a secret. */
export function firstPaymentReport(result: FirstPaymentResult, stack: string): string {
    const lines = [
        "# Validation: first live payment",
        "",
        `Stack \`${stack}\`, revenue activated at ${result.since.toISOString()}, webhook endpoint ${result.webhookUrl}.`,
        "",
        ...markdownTable(
            ["check", "expected", "got", "result"],
            result.rows.map((row) => [row.check, row.expected, row.got, row.status]),
        ),
        "",
        result.passed ? "**Result: PASS** — the first live payment's event was delivered." : `**Result: FAIL** — ${result.failure ?? "a check failed"}.`,
        "",
        "## What Stripe's API proves here, and what it cannot",
        "",
        ...evidenceLimits.map((line) => `- ${line}`),
        "",
    ];
    return lines.join("\n");
}
