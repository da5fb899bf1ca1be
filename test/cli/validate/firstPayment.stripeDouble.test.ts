import Stripe from "stripe";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pinnedClientApiVersion } from "../../../components/stripe/endpointProvider.js";
import { stripeAnswerLimitBytes } from "../../../components/shared/boundedFetch.js";
import { type FirstPaymentDeps, firstPaymentCommand } from "../../../cli/validate/firstPayment.js";
import { startEndlessServer } from "../../doubles/endlessServer.js";
import { startStripeDouble, type StripeDouble } from "../../doubles/stripe.js";
import { addPaymentRoutes, type StripePayments } from "../../doubles/stripePayments.js";
import { projectDir } from "../../support/stackFiles.js";

const liveKey = "sk_live_vaunticoAccount1";
const testKey = "sk_test_vaunticoAccount1";
/** The prod stack file's `vauntico:payments.stripe.webhookUrl`. */
const webhookUrl = "https://api.vauntico.com/webhooks/stripe";
const activatedAt = new Date("2026-11-20T09:00:00.000Z");
const activation = Math.floor(activatedAt.getTime() / 1000);

let double: StripeDouble;
let payments: StripePayments;
/** The double's clock (endpoint `created`): by default the endpoint was made the day before activation. */
let clockMs = 0;

function client(key = liveKey): Stripe {
    return new Stripe(key, { apiVersion: pinnedClientApiVersion, telemetry: false, ...double.apiBase });
}

async function liveEndpoint(
    enabledEvents: Stripe.WebhookEndpointCreateParams.EnabledEvent[] = ["payment_intent.succeeded", "charge.refunded"],
): Promise<Stripe.WebhookEndpoint> {
    return client().webhookEndpoints.create({ url: webhookUrl, enabled_events: enabledEvents, api_version: pinnedClientApiVersion });
}

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

async function validate(
    argv: string[] = [],
    env: NodeJS.ProcessEnv = { STRIPE_SECRET_KEY: liveKey, REVENUE_ACTIVATED_AT: activatedAt.toISOString() },
    stackOutput?: string,
): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const deps: FirstPaymentDeps = {
        env,
        projectDir,
        stackOutput: async () => stackOutput,
        configValue: async () => undefined,
        apiBase: double.apiBase,
        stdout: (text) => {
            stdout += text;
        },
        stderr: (text) => {
            stderr += text;
        },
    };
    const code = await firstPaymentCommand(argv, deps);
    return { code, stdout, stderr };
}

beforeAll(async () => {
    // Loads spec3's closure once for the file (seconds), outside any one test's timing.
    const warmUp = await startStripeDouble();
    addPaymentRoutes(warmUp);
    await warmUp.stop();
});

beforeEach(async () => {
    clockMs = activatedAt.getTime() - 86_400_000;
    double = await startStripeDouble({ now: () => clockMs });
    payments = addPaymentRoutes(double);
});

afterEach(async () => {
    expect(double.specErrors).toEqual([]);
    expect(payments.specErrors).toEqual([]);
    await double.stop();
});

describe("a live succeeded payment whose event was delivered", () => {
    it("passes, exit 0, naming the payment, its event and the endpoint", async () => {
        const endpoint = await liveEndpoint();
        payments.succeededPayment(liveKey, { created: activation - 3600, pendingWebhooks: 0 }); // before activation: not the first
        const { paymentIntent, event } = payments.succeededPayment(liveKey, { created: activation + 60, pendingWebhooks: 0 });
        payments.succeededPayment(liveKey, { created: activation + 7200, pendingWebhooks: 1 }); // a later one's delivery does not matter

        const run = await validate();
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
        expect(run.stdout).toContain("**Result: PASS**");
        expect(run.stdout).toContain(
            `| first live payment | a succeeded live PaymentIntent created at or after ${activatedAt.toISOString()} | ${paymentIntent.id}, created ${new Date((activation + 60) * 1000).toISOString()}`,
        );
        expect(run.stdout).toContain(
            `| its event delivered | its payment_intent.succeeded event with pending_webhooks = 0 | ${event.id}, pending_webhooks = 0 | pass |`,
        );
        expect(run.stdout).toContain(`${endpoint.id}, enabled`);
    });

    it("skips test-mode payments, payments that did not succeed and other accounts' payments", async () => {
        await liveEndpoint();
        payments.succeededPayment(testKey, { created: activation + 10 });
        payments.addPaymentIntent(liveKey, { created: activation + 20, status: "requires_payment_method" });
        payments.succeededPayment("sk_live_someoneElse1", { created: activation + 30 });
        const { paymentIntent } = payments.succeededPayment(liveKey, { created: activation + 40 });
        const run = await validate();
        expect(run.code).toBe(0);
        expect(run.stdout).toContain(`| ${paymentIntent.id}, created`);
    });

    it("finds the first payment and its event across pages of Stripe's lists", async () => {
        await liveEndpoint();
        const { paymentIntent } = payments.succeededPayment(liveKey, { created: activation + 1 });
        for (let i = 0; i < 150; i++) payments.succeededPayment(liveKey, { created: activation + 100 + i });
        const run = await validate();
        expect(run.code).toBe(0);
        expect(run.stdout).toContain(`| ${paymentIntent.id}, created`);
        expect(double.requestCount({ route: "payment_intents.list" })).toBeGreaterThan(1);
    });

    it("reads the activation time from --since, else the environment, else the stack output", async () => {
        await liveEndpoint();
        payments.succeededPayment(liveKey, { created: activation + 60 });
        const later = new Date((activation + 3600) * 1000).toISOString();
        expect((await validate(["--since", later])).stdout).toContain("no live payment since");
        expect((await validate([], { STRIPE_SECRET_KEY: liveKey }, activatedAt.toISOString())).code).toBe(0);
        const none = await validate([], { STRIPE_SECRET_KEY: liveKey });
        expect(none.code).toBe(2);
        expect(none.stderr).toContain("no revenue activation time");
    });
});

describe("no live payment since activation", () => {
    it('fails, exit 1: "no live payment since …"', async () => {
        await liveEndpoint();
        payments.succeededPayment(liveKey, { created: activation - 60 });
        payments.succeededPayment(testKey, { created: activation + 60 });
        const run = await validate();
        expect(run.code).toBe(1);
        expect(run.stdout).toContain(`**Result: FAIL** — no live payment since ${activatedAt.toISOString()}.`);
        expect(run.stdout).toContain("| its event delivered | its payment_intent.succeeded event with pending_webhooks = 0 | — | not run |");
    });
});

describe("a payment whose event failed delivery", () => {
    it("fails, exit 1, naming the event and the payment", async () => {
        await liveEndpoint();
        const { paymentIntent, event } = payments.succeededPayment(liveKey, { created: activation + 60, pendingWebhooks: 1 });
        const run = await validate();
        expect(run.code).toBe(1);
        expect(run.stdout).toContain(
            `**Result: FAIL** — event ${event.id} (payment_intent.succeeded for ${paymentIntent.id}) failed delivery: 1 of 1 subscribed live endpoint(s)`,
        );
        expect(run.stdout).toContain(`| ${event.id}, pending_webhooks = 1 | fail |`);
    });

    it("fails when the payment has no event at all", async () => {
        await liveEndpoint();
        const paymentIntent = payments.addPaymentIntent(liveKey, { created: activation + 60 });
        const run = await validate();
        expect(run.code).toBe(1);
        expect(run.stdout).toContain(`no payment_intent.succeeded event for ${paymentIntent.id}`);
    });

    it("fails when the event predates the endpoint (it was never sent there)", async () => {
        const { event } = payments.succeededPayment(liveKey, { created: activation + 60 });
        clockMs = activatedAt.getTime() + 3_600_000;
        await liveEndpoint();
        const run = await validate();
        expect(run.code).toBe(1);
        expect(run.stdout).toContain(`event ${event.id} (payment_intent.succeeded for`);
        expect(run.stdout).toContain("predates webhook endpoint");
    });
});

describe("the endpoint and the key", () => {
    it("fails when the stack's endpoint does not exist in live mode", async () => {
        await client(testKey).webhookEndpoints.create({ url: webhookUrl, enabled_events: ["payment_intent.succeeded"] });
        payments.succeededPayment(liveKey, { created: activation + 60 });
        const run = await validate();
        expect(run.code).toBe(1);
        expect(run.stdout).toContain(`no live webhook endpoint at ${webhookUrl}`);
    });

    it("fails when the endpoint does not receive payment_intent.succeeded, or is disabled", async () => {
        const endpoint = await liveEndpoint(["charge.refunded"]);
        payments.succeededPayment(liveKey, { created: activation + 60 });
        expect((await validate()).stdout).toContain(`webhook endpoint ${endpoint.id} does not receive payment_intent.succeeded`);
        await client().webhookEndpoints.update(endpoint.id, { enabled_events: ["*"], disabled: true });
        expect((await validate()).stdout).toContain(`webhook endpoint ${endpoint.id} is disabled`);
    });

    it("refuses a test-mode key without calling Stripe, and never prints a key", async () => {
        const run = await validate([], { STRIPE_SECRET_KEY: testKey, REVENUE_ACTIVATED_AT: activatedAt.toISOString() });
        expect(run.code).toBe(1);
        expect(run.stdout).toContain("the Stripe key is a test-mode key");
        expect(double.requests).toHaveLength(0);
        for (const text of [run.stdout, run.stderr, (await validate()).stdout]) {
            expect(text).not.toContain(testKey);
            expect(text).not.toContain(liveKey);
        }
    });

    it("exits 2 without a key, naming where the key comes from", async () => {
        const run = await validate([], { REVENUE_ACTIVATED_AT: activatedAt.toISOString() });
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("set STRIPE_SECRET_KEY");
    });

    it("says what Stripe's API cannot prove", async () => {
        await liveEndpoint();
        payments.succeededPayment(liveKey, { created: activation + 60 });
        const { stdout } = await validate();
        expect(stdout).toContain("## What Stripe's API proves here, and what it cannot");
        expect(stdout).toContain("per-endpoint delivery attempts");
    });
});

describe("npm run validate -- first-payment", () => {
    it("is dispatched by cli/validate.ts to this command", async () => {
        const [{ dispatch }, { validations }] = await Promise.all([import("../../../cli/dispatch.js"), import("../../../cli/commands.js")]);
        expect([...validations.keys()]).toContain("first-payment");
        let written = "";
        expect(
            await dispatch("validate", ["first-payment", "--no-such-option"], {
                stdout: () => undefined,
                stderr: (text) => {
                    written += text;
                },
            }),
        ).toBe(2);
        expect(written).toContain("validate first-payment:");
        expect(written).toContain("--no-such-option");
    });
});

describe("bounded reads of Stripe's answers", () => {
    it("an API answer streaming without end stops at the limit: exit 2 within seconds, every connection closed", async () => {
        const endless = await startEndlessServer();
        try {
            const port = Number(new URL(endless.url).port);
            let stderr = "";
            const started = Date.now();
            const before = process.memoryUsage().rss;
            const code = await firstPaymentCommand([], {
                env: { STRIPE_SECRET_KEY: liveKey, REVENUE_ACTIVATED_AT: activatedAt.toISOString() },
                projectDir,
                stackOutput: async () => undefined,
                configValue: async () => undefined,
                apiBase: { host: "127.0.0.1", port, protocol: "http" },
                stdout: () => undefined,
                stderr: (text) => {
                    stderr += text;
                },
            });
            expect(code).toBe(2);
            expect(stderr).toContain(`the answer's body is larger than ${stripeAnswerLimitBytes} bytes; stopped reading it and closed the connection`);
            expect(Date.now() - started).toBeLessThan(20_000);
            expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
            expect(endless.requests()).toBe(1);
            await expect.poll(() => endless.closedEarly()).toBe(1);
            expect(endless.written()).toBeLessThan(stripeAnswerLimitBytes + 16 * 1024 * 1024);
        } finally {
            await endless.stop();
        }
    });
});

describe("first-payment never prints a password from a URL", () => {
    it("refuses userinfo in --url (exit 2), the URL shown without it", async () => {
        const run = await validate(["--url", "https://hook:Canary-P4ss@api.vauntico.com/webhooks/stripe"]);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain('--url "https://api.vauntico.com/webhooks/stripe" carries a user name or password');
        expect(run.stderr + run.stdout).not.toContain("Canary-P4ss");
    });
});
