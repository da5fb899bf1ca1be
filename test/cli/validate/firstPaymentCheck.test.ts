import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { pinnedClientApiVersion } from "../../../components/stripe/index.js";
import { checkFirstPayment, type FirstPaymentResult, isoOf, maxListedObjects } from "../../../cli/validate/firstPaymentCheck.js";

// The checks against canned list pages, in-process through the Stripe SDK (its pagination included). The
// real HTTP boundary (the spec-checked Stripe double, the command) is witnessed by firstPayment.stripeDouble.test.ts.

const webhookUrl = "https://api.vauntico.com/webhooks/stripe";
const since = new Date("2026-11-20T09:00:00.500Z");
const sinceSeconds = 1_795_165_200;

type Listed = { id: string } & Record<string, unknown>;

interface Lists {
    endpoints?: Listed[];
    intents?: Listed[];
    events?: Listed[];
}

/** A Stripe client whose list calls page through `lists` (newest first, as Stripe lists); every request URL is kept. */
function cannedStripe(lists: Lists, requests: URL[] = []): Stripe {
    const fetchImpl: typeof fetch = async (input) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        requests.push(url);
        const all = { "/v1/webhook_endpoints": lists.endpoints, "/v1/payment_intents": lists.intents, "/v1/events": lists.events }[url.pathname] ?? [];
        const limit = Number(url.searchParams.get("limit") ?? "10");
        const after = url.searchParams.get("starting_after");
        const start = after === null ? 0 : all.findIndex((item) => item.id === after) + 1;
        const page = { object: "list", url: url.pathname, data: all.slice(start, start + limit), has_more: start + limit < all.length };
        return new Response(JSON.stringify(page), { status: 200, headers: { "content-type": "application/json" } });
    };
    return new Stripe("sk_live_canned", {
        apiVersion: pinnedClientApiVersion,
        telemetry: false,
        maxNetworkRetries: 0,
        httpClient: Stripe.createFetchHttpClient(fetchImpl),
    });
}

const endpoint = (overrides: Record<string, unknown> = {}): Listed => ({
    id: "we_1",
    object: "webhook_endpoint",
    url: webhookUrl,
    livemode: true,
    status: "enabled",
    enabled_events: ["payment_intent.succeeded"],
    created: sinceSeconds - 86_400,
    ...overrides,
});
const intent = (id: string, created: number, overrides: Record<string, unknown> = {}): Listed => ({
    id,
    object: "payment_intent",
    livemode: true,
    status: "succeeded",
    created,
    amount: 2000,
    currency: "zar",
    ...overrides,
});
const event = (id: string, objectId: string, created: number, pendingWebhooks = 0): Listed => ({
    id,
    object: "event",
    type: "payment_intent.succeeded",
    created,
    pending_webhooks: pendingWebhooks,
    data: { object: { id: objectId, object: "payment_intent" } },
});

/** The checks with a live key, unless `keyMode` is given (an absent key mode is `{ keyMode: undefined }`). */
function check(lists: Lists, options: { keyMode?: "test" | "live" | undefined; requests?: URL[] } = {}): Promise<FirstPaymentResult> {
    const keyMode = "keyMode" in options ? options.keyMode : "live";
    return checkFirstPayment({ stripe: cannedStripe(lists, options.requests), keyMode, since, webhookUrl });
}

const statuses = (result: FirstPaymentResult) => result.rows.map((r) => r.status);

describe("checkFirstPayment: a delivered first payment", () => {
    it("passes with every row, naming the endpoint, the payment and the event", async () => {
        const requests: URL[] = [];
        const result = await check(
            {
                endpoints: [endpoint()],
                intents: [intent("pi_2", sinceSeconds + 60), intent("pi_1", sinceSeconds)],
                events: [event("evt_1", "pi_1", sinceSeconds)],
            },
            { requests },
        );
        expect(result).toMatchObject({ passed: true, failure: undefined, endpointId: "we_1", paymentIntentId: "pi_1", eventId: "evt_1", since, webhookUrl });
        expect(result.rows).toEqual([
            { check: "API key mode", expected: "live (sk_live_… or rk_live_…)", got: "live", status: "pass" },
            {
                check: "webhook endpoint",
                expected: `an enabled live endpoint at ${webhookUrl} receiving payment_intent.succeeded`,
                got: `we_1, enabled, created ${isoOf(sinceSeconds - 86_400)}`,
                status: "pass",
            },
            {
                check: "first live payment",
                expected: "a succeeded live PaymentIntent created at or after 2026-11-20T09:00:00.500Z",
                got: `pi_1, created ${isoOf(sinceSeconds)}, 2000 ZAR (minor units)`,
                status: "pass",
            },
            {
                check: "its event delivered",
                expected: "its payment_intent.succeeded event with pending_webhooks = 0",
                got: "evt_1, pending_webhooks = 0",
                status: "pass",
            },
        ]);
        const asked = requests.map((u) => `${u.pathname}?${decodeURIComponent(u.searchParams.toString())}`);
        expect(asked).toEqual([
            "/v1/webhook_endpoints?limit=100",
            `/v1/payment_intents?created[gte]=${sinceSeconds}&limit=100`,
            `/v1/events?type=payment_intent.succeeded&created[gte]=${sinceSeconds}&limit=100`,
        ]);
    });

    it("isoOf reads Unix seconds", () => {
        expect(isoOf(sinceSeconds)).toBe("2026-11-20T09:00:00.000Z");
    });
});

describe("checkFirstPayment: the key", () => {
    it.each([
        ["test", "test", "the Stripe key is a test-mode key; live payments are read with the stack's live key"],
        [
            undefined,
            "not a Stripe secret or restricted key",
            "the Stripe key is not a Stripe secret or restricted key; live payments are read with the stack's live key",
        ],
    ] as const)("%s: fails the first row, runs nothing else, asks Stripe nothing", async (keyMode, got, failure) => {
        const requests: URL[] = [];
        const result = await check({ endpoints: [endpoint()] }, { keyMode, requests });
        expect(result.passed).toBe(false);
        expect(result.failure).toBe(failure);
        expect(result.rows[0]).toMatchObject({ got, status: "fail" });
        expect(result.rows.slice(1).map((r) => [r.got, r.status])).toEqual([
            ["—", "not run"],
            ["—", "not run"],
            ["—", "not run"],
        ]);
        expect(requests).toEqual([]);
    });
});

describe("checkFirstPayment: the endpoint", () => {
    it("only a live endpoint at exactly the stack's URL counts", async () => {
        for (const other of [endpoint({ livemode: false }), endpoint({ url: `${webhookUrl}/` })]) {
            const result = await check({ endpoints: [other] });
            expect(result.failure).toBe(`no live webhook endpoint at ${webhookUrl}`);
            expect(result.rows[1]).toMatchObject({ got: "none", status: "fail" });
            expect(statuses(result)).toEqual(["pass", "fail", "not run", "not run"]);
            expect(result.endpointId).toBeUndefined();
        }
    });

    it("a disabled endpoint, or one not subscribed to the event, fails; '*' subscribes to everything", async () => {
        const disabled = await check({ endpoints: [endpoint({ status: "disabled" })] });
        expect(disabled.failure).toBe("webhook endpoint we_1 is disabled");
        expect(disabled.rows[1]?.got).toBe("we_1, disabled");
        expect(disabled.endpointId).toBe("we_1");
        const unsubscribed = await check({ endpoints: [endpoint({ enabled_events: ["charge.refunded"] })] });
        expect(unsubscribed.failure).toBe("webhook endpoint we_1 does not receive payment_intent.succeeded");
        expect(unsubscribed.rows[1]?.got).toBe("we_1, not subscribed to payment_intent.succeeded");
        const everything = await check({ endpoints: [endpoint({ enabled_events: ["*"] })] });
        expect(everything.rows[1]?.status).toBe("pass");
    });
});

describe("checkFirstPayment: the first payment", () => {
    it("is the earliest live succeeded one; of equal times, the one listed last", async () => {
        const result = await check({
            endpoints: [endpoint()],
            intents: [
                intent("pi_test", sinceSeconds + 1, { livemode: false }),
                intent("pi_failed", sinceSeconds + 2, { status: "requires_payment_method" }),
                intent("pi_later", sinceSeconds + 30),
                intent("pi_tie_newer", sinceSeconds + 10),
                intent("pi_tie_older", sinceSeconds + 10),
                intent("pi_test_earliest", sinceSeconds, { livemode: false }),
            ],
            events: [event("evt_1", "pi_tie_older", sinceSeconds + 10)],
        });
        expect(result.paymentIntentId).toBe("pi_tie_older");
        expect(result.passed).toBe(true);
    });

    it("is the earliest even when the list is not newest first", async () => {
        const result = await check({
            endpoints: [endpoint()],
            intents: [intent("pi_early", sinceSeconds + 5), intent("pi_late", sinceSeconds + 20)],
            events: [event("evt_early", "pi_early", sinceSeconds + 5), event("evt_late", "pi_late", sinceSeconds + 20)],
        });
        expect(result.paymentIntentId).toBe("pi_early");
        expect(result.eventId).toBe("evt_early");
    });

    it("none: fails the third row", async () => {
        const result = await check({ endpoints: [endpoint()], intents: [intent("pi_test", sinceSeconds, { livemode: false })] });
        expect(result.failure).toBe("no live payment since 2026-11-20T09:00:00.500Z");
        expect(statuses(result)).toEqual(["pass", "pass", "fail", "not run"]);
        expect(result.rows[2]?.got).toBe("none");
        expect(result.paymentIntentId).toBeUndefined();
    });

    it(`reads at most ${maxListedObjects} PaymentIntents, and says so when it stopped there`, async () => {
        const unpaid = (count: number) => Array.from({ length: count }, (_, i) => intent(`pi_${i}`, sinceSeconds + i, { status: "canceled" }));
        const all = await check({ endpoints: [endpoint()], intents: unpaid(maxListedObjects) });
        expect(all.failure).toBe("no live payment since 2026-11-20T09:00:00.500Z");
        const cut = await check({ endpoints: [endpoint()], intents: [...unpaid(maxListedObjects), intent("pi_beyond", sinceSeconds)] });
        expect(cut.failure).toBe(`no live payment since 2026-11-20T09:00:00.500Z among the ${maxListedObjects} most recent PaymentIntents`);
    });
});

describe("checkFirstPayment: its event", () => {
    const lists = (events: Listed[], endpoints: Listed[] = [endpoint()]): Lists => ({ endpoints, intents: [intent("pi_1", sinceSeconds + 60)], events });

    it("is the payment's own event (the one listed last); without one the check fails", async () => {
        const result = await check(
            lists([
                event("evt_other", "pi_other", sinceSeconds + 61),
                event("evt_retry", "pi_1", sinceSeconds + 62),
                event("evt_1", "pi_1", sinceSeconds + 60),
            ]),
        );
        expect(result.eventId).toBe("evt_1");
        const none = await check(
            lists([event("evt_other", "pi_other", sinceSeconds + 61), { ...event("evt_x", "pi_1", sinceSeconds + 60), data: { object: {} } }]),
        );
        expect(none.failure).toBe("no payment_intent.succeeded event for pi_1 (Stripe keeps events for 30 days)");
        expect(statuses(none)).toEqual(["pass", "pass", "pass", "fail"]);
        expect(none.rows[3]?.got).toBe("none");
        expect(none.eventId).toBeUndefined();
    });

    it("an event whose object is not an object is skipped, not read", async () => {
        for (const object of [null, "pi_1"]) {
            const result = await check(
                lists([event("evt_1", "pi_1", sinceSeconds + 60), { ...event("evt_odd", "pi_1", sinceSeconds + 61), data: { object } }]),
            );
            expect(result.eventId, String(object)).toBe("evt_1");
            expect(result.passed).toBe(true);
        }
    });

    it("an event older than the endpoint was never sent there; one made the same second was", async () => {
        const created = sinceSeconds + 60;
        const older = await check(lists([event("evt_1", "pi_1", created - 1)], [endpoint({ created })]));
        expect(older.failure).toBe("event evt_1 (payment_intent.succeeded for pi_1) predates webhook endpoint we_1, so it was never sent there");
        expect(older.rows[3]?.got).toBe(`evt_1 at ${isoOf(created - 1)}, before the endpoint existed`);
        expect(older.eventId).toBe("evt_1");
        expect((await check(lists([event("evt_1", "pi_1", created)], [endpoint({ created })]))).passed).toBe(true);
    });

    it("pending webhooks fail it, counting the enabled live endpoints subscribed to the event", async () => {
        const endpoints = [
            endpoint(),
            endpoint({ id: "we_2", url: "https://other.example/hook", enabled_events: ["*"] }),
            endpoint({ id: "we_3", url: "https://other.example/off", status: "disabled" }),
            endpoint({ id: "we_4", url: "https://other.example/refunds", enabled_events: ["charge.refunded"] }),
            endpoint({ id: "we_5", url: "https://other.example/test", livemode: false }),
        ];
        const result = await check(lists([event("evt_1", "pi_1", sinceSeconds + 60, 1)], endpoints));
        expect(result.failure).toBe(
            "event evt_1 (payment_intent.succeeded for pi_1) failed delivery: 1 of 2 subscribed live endpoint(s) have not answered it with a 2xx (Stripe retries for up to 3 days; the Dashboard shows each attempt)",
        );
        expect(result.rows[3]).toMatchObject({ got: "evt_1, pending_webhooks = 1", status: "fail" });
        expect(result.passed).toBe(false);
    });
});
