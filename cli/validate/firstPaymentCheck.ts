import type Stripe from "stripe";

/**
 * Phase 5's "process first payment and validate flow", as far as Stripe's API can prove it: the first live
 * PaymentIntent that succeeded after revenue activation, and whether its `payment_intent.succeeded` event
 * reached the stack's webhook endpoint.
 */

export const succeededEventType = "payment_intent.succeeded";
/** Upper bound on objects read per list, so a busy account cannot make the check run unbounded. */
export const maxListedObjects = 10_000;

export type CheckStatus = "pass" | "fail" | "not run";

export interface CheckRow {
    check: string;
    expected: string;
    got: string;
    status: CheckStatus;
}

export interface FirstPaymentInput {
    stripe: Stripe;
    /** Mode of the key the client uses (from its prefix); live payments need a live key. */
    keyMode: "test" | "live" | undefined;
    /** Revenue activation time: payments before it are not the first live payment. */
    since: Date;
    /** Where the stack's webhook endpoint receives events. */
    webhookUrl: string;
}

export interface FirstPaymentResult {
    passed: boolean;
    /** The first failing check's reason, or undefined when every check passed. */
    failure: string | undefined;
    since: Date;
    webhookUrl: string;
    rows: CheckRow[];
    endpointId?: string;
    paymentIntentId?: string;
    eventId?: string;
}

export function isoOf(unixSeconds: number): string {
    return new Date(unixSeconds * 1000).toISOString();
}

function receives(endpoint: Stripe.WebhookEndpoint, eventType: string): boolean {
    return endpoint.enabled_events.includes("*") || endpoint.enabled_events.includes(eventType);
}

function objectIdOf(event: Stripe.Event): string | undefined {
    const object: unknown = event.data.object;
    return typeof object === "object" && object !== null && "id" in object && typeof object.id === "string" ? object.id : undefined;
}

async function collect<T>(list: AsyncIterable<T>, keep: (item: T) => boolean): Promise<{ kept: T[]; truncated: boolean }> {
    const kept: T[] = [];
    let seen = 0;
    for await (const item of list) {
        if (++seen > maxListedObjects) return { kept, truncated: true };
        if (keep(item)) kept.push(item);
    }
    return { kept, truncated: false };
}

/** Runs the checks in order; the first failure stops the later ones (they are reported as not run). */
export async function checkFirstPayment(input: FirstPaymentInput): Promise<FirstPaymentResult> {
    const { stripe, since, webhookUrl } = input;
    const sinceSeconds = Math.floor(since.getTime() / 1000);
    const sinceText = since.toISOString();
    const rows: CheckRow[] = [];
    const result: FirstPaymentResult = { passed: false, failure: undefined, since, webhookUrl, rows };
    const planned = [
        { check: "API key mode", expected: "live (sk_live_… or rk_live_…)" },
        { check: "webhook endpoint", expected: `an enabled live endpoint at ${webhookUrl} receiving ${succeededEventType}` },
        { check: "first live payment", expected: `a succeeded live PaymentIntent created at or after ${sinceText}` },
        { check: "its event delivered", expected: `its ${succeededEventType} event with pending_webhooks = 0` },
    ];
    const fail = (got: string, failure: string): FirstPaymentResult => {
        const current = planned[rows.length];
        if (current) rows.push({ ...current, got, status: "fail" });
        for (const later of planned.slice(rows.length)) rows.push({ ...later, got: "—", status: "not run" });
        result.failure = failure;
        return result;
    };
    const pass = (got: string): void => {
        const current = planned[rows.length];
        if (current) rows.push({ ...current, got, status: "pass" });
    };

    if (input.keyMode !== "live") {
        return fail(
            input.keyMode ?? "not a Stripe secret or restricted key",
            `the Stripe key is ${input.keyMode === "test" ? "a test-mode key" : "not a Stripe secret or restricted key"}; live payments are read with the stack's live key`,
        );
    }
    pass("live");

    const liveEndpoints = (await collect(stripe.webhookEndpoints.list({ limit: 100 }), (e) => e.livemode)).kept;
    const endpoint = liveEndpoints.find((e) => e.url === webhookUrl);
    if (!endpoint) return fail("none", `no live webhook endpoint at ${webhookUrl}`);
    result.endpointId = endpoint.id;
    if (endpoint.status !== "enabled") return fail(`${endpoint.id}, ${endpoint.status}`, `webhook endpoint ${endpoint.id} is ${endpoint.status}`);
    if (!receives(endpoint, succeededEventType)) {
        return fail(`${endpoint.id}, not subscribed to ${succeededEventType}`, `webhook endpoint ${endpoint.id} does not receive ${succeededEventType}`);
    }
    pass(`${endpoint.id}, enabled, created ${isoOf(endpoint.created)}`);

    const payments = await collect(
        stripe.paymentIntents.list({ created: { gte: sinceSeconds }, limit: 100 }),
        (pi) => pi.livemode && pi.status === "succeeded",
    );
    // Stripe lists newest first: the first payment is the last one listed with the earliest `created`.
    const first = payments.kept.reduce<Stripe.PaymentIntent | undefined>(
        (earliest, pi) => (earliest === undefined || pi.created <= earliest.created ? pi : earliest),
        undefined,
    );
    if (!first) {
        const scope = payments.truncated ? ` among the ${maxListedObjects} most recent PaymentIntents` : "";
        return fail("none", `no live payment since ${sinceText}${scope}`);
    }
    result.paymentIntentId = first.id;
    pass(`${first.id}, created ${isoOf(first.created)}, ${first.amount} ${first.currency.toUpperCase()} (minor units)`);

    const events = await collect(
        stripe.events.list({ type: succeededEventType, created: { gte: first.created }, limit: 100 }),
        (e) => objectIdOf(e) === first.id,
    );
    const event = events.kept[events.kept.length - 1];
    if (!event) {
        return fail("none", `no ${succeededEventType} event for ${first.id} (Stripe keeps events for 30 days)`);
    }
    result.eventId = event.id;
    if (event.created < endpoint.created) {
        return fail(
            `${event.id} at ${isoOf(event.created)}, before the endpoint existed`,
            `event ${event.id} (${succeededEventType} for ${first.id}) predates webhook endpoint ${endpoint.id}, so it was never sent there`,
        );
    }
    if (event.pending_webhooks > 0) {
        const subscribed = liveEndpoints.filter((e) => e.status === "enabled" && receives(e, succeededEventType)).length;
        return fail(
            `${event.id}, pending_webhooks = ${event.pending_webhooks}`,
            `event ${event.id} (${succeededEventType} for ${first.id}) failed delivery: ${event.pending_webhooks} of ${subscribed} subscribed live endpoint(s) ` +
                "have not answered it with a 2xx (Stripe retries for up to 3 days; the Dashboard shows each attempt)",
        );
    }
    pass(`${event.id}, pending_webhooks = 0`);
    result.passed = true;
    return result;
}
