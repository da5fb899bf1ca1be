import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stripeAnswerLimitBytes } from "../../../components/shared/boundedFetch.js";
import { pinnedClientApiVersion } from "../../../components/stripe/endpointProvider.js";
import { activationOutputName, defaultDeps, type FirstPaymentDeps, firstPaymentCommand, stackWebhookUrl } from "../../../cli/validate/firstPayment.js";
import { startEndlessServer } from "../../doubles/endlessServer.js";
import { useEchoingPulumi } from "../../support/echoingPulumi.js";
import { projectDir } from "../../support/stackFiles.js";

// The command's own paths (arguments, stack file, key, Stripe client options, errors) against a few canned
// answers: firstPayment.stripeDouble.test.ts drives it against the spec-checked Stripe double, too slow to run per mutant.

const liveKey = "sk_live_vaunticoFastTests1";
const since = "2026-11-20T09:00:00.000Z";
const sinceSeconds = Date.parse(since) / 1000;
const prodWebhookUrl = "https://api.vauntico.com/webhooks/stripe";

interface Recorded {
    method: string;
    path: string;
    headers: IncomingHttpHeaders;
}

type Answer = { status: number; body: unknown };

/** A canned Stripe API on 127.0.0.1: each path answers what `answers` holds for it, else 404. */
let answers: Map<string, Answer | Answer[]>;
const requests: Recorded[] = [];
let server: ReturnType<typeof createServer>;
let apiBase: { host: string; port: number; protocol: "http" };

beforeAll(async () => {
    server = createServer((request, response) => {
        request.resume();
        const path = new URL(request.url ?? "/", "http://localhost").pathname;
        requests.push({ method: request.method ?? "", path, headers: request.headers });
        const planned = answers.get(path);
        const answer = (Array.isArray(planned) ? planned.shift() : planned) ?? {
            status: 404,
            body: { error: { type: "invalid_request_error", message: "no route" } },
        };
        // A request-id is what makes the SDK report a request's telemetry on the next one, when telemetry is on.
        response.writeHead(answer.status, { "content-type": "application/json", "request-id": `req_${requests.length}` });
        response.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port }: AddressInfo = JSON.parse(JSON.stringify(server.address()));
    apiBase = { host: "127.0.0.1", port, protocol: "http" };
});

afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
});

const folders: string[] = [];
afterEach(() => {
    answers = new Map();
    requests.length = 0;
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
answers = new Map();

/** A project folder whose stack files hold the given text under `config:`. */
function project(stacks: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "vauntico-first-payment-"));
    folders.push(dir);
    writeFileSync(join(dir, "Pulumi.yaml"), "name: vauntico-deploy\nruntime: nodejs\n");
    for (const [stack, config] of Object.entries(stacks)) writeFileSync(join(dir, `Pulumi.${stack}.yaml`), `config:\n${config}`);
    return dir;
}

const list = (url: string, data: unknown[]): Answer => ({ status: 200, body: { object: "list", url, has_more: false, data } });

const endpoint = {
    id: "we_1",
    object: "webhook_endpoint",
    url: prodWebhookUrl,
    livemode: true,
    status: "enabled",
    enabled_events: ["*"],
    created: sinceSeconds - 86_400,
};
const payment = { id: "pi_1", object: "payment_intent", livemode: true, status: "succeeded", created: sinceSeconds + 60, amount: 4900, currency: "usd" };
const event = {
    id: "evt_1",
    object: "event",
    type: "payment_intent.succeeded",
    created: sinceSeconds + 61,
    pending_webhooks: 0,
    data: { object: { id: "pi_1" } },
};

function delivered(): void {
    answers.set("/v1/webhook_endpoints", list("/v1/webhook_endpoints", [endpoint]));
    answers.set("/v1/payment_intents", list("/v1/payment_intents", [payment]));
    answers.set("/v1/events", list("/v1/events", [event]));
}

interface Run {
    code: number;
    stdout: string;
    stderr: string;
    asked: string[];
}

async function validate(argv: string[], overrides: Partial<FirstPaymentDeps> = {}): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const asked: string[] = [];
    const deps: FirstPaymentDeps = {
        env: { STRIPE_SECRET_KEY: liveKey, REVENUE_ACTIVATED_AT: since },
        projectDir,
        stackOutput: async (stack, name) => {
            asked.push(`output ${stack} ${name}`);
            return undefined;
        },
        configValue: async (stack, key) => {
            asked.push(`config ${stack} ${key}`);
            return undefined;
        },
        apiBase,
        stdout: (text) => {
            stdout += text;
        },
        stderr: (text) => {
            stderr += text;
        },
        ...overrides,
    };
    const code = await firstPaymentCommand(argv, deps);
    return { code, stdout, stderr, asked };
}

describe("stackWebhookUrl", () => {
    it("reads vauntico:payments.stripe.webhookUrl, undefined when any level is missing or not what it should be", () => {
        const dir = project({
            full: "  vauntico:payments:\n    stripe:\n      webhookUrl: https://pay.example/stripe\n",
            none: "  vauntico:other: 1\n",
            list: "  vauntico:payments:\n    - stripe\n",
            scalar: '  vauntico:payments: "5"\n',
            stripeList: "  vauntico:payments:\n    stripe:\n      - webhookUrl\n",
            stripeNull: "  vauntico:payments:\n    stripe: null\n",
            numberUrl: "  vauntico:payments:\n    stripe:\n      webhookUrl: 5\n",
        });
        expect(stackWebhookUrl(dir, "full")).toBe("https://pay.example/stripe");
        for (const stack of ["none", "list", "scalar", "stripeList", "stripeNull", "numberUrl"]) expect(stackWebhookUrl(dir, stack), stack).toBeUndefined();
    });
});

describe("where the activation time comes from", () => {
    it("--since first, then REVENUE_ACTIVATED_AT, then the stack output of the named stack", async () => {
        const bySince = await validate(["--since", "2026-01-01T00:00:00Z", "--url", prodWebhookUrl], {
            env: { STRIPE_SECRET_KEY: "sk_test_x", REVENUE_ACTIVATED_AT: "not a date" },
        });
        expect(bySince.stdout).toContain("revenue activated at 2026-01-01T00:00:00.000Z");
        expect(bySince.asked).toEqual([]);
        const byEnv = await validate(["--url", prodWebhookUrl], { env: { STRIPE_SECRET_KEY: "sk_test_x", REVENUE_ACTIVATED_AT: "2026-02-01T00:00:00Z" } });
        expect(byEnv.stdout).toContain("revenue activated at 2026-02-01T00:00:00.000Z");
        expect(byEnv.asked).toEqual([]);
        let asked = "";
        const byOutput = await validate(["--stack", "prod"], {
            env: { STRIPE_SECRET_KEY: "sk_test_x" },
            stackOutput: async (stack, name) => {
                asked = `${stack} ${name}`;
                return "2026-03-01T00:00:00Z";
            },
        });
        expect(asked).toBe(`prod ${activationOutputName}`);
        expect(byOutput.stdout).toContain("revenue activated at 2026-03-01T00:00:00.000Z");
    });

    it("none of them: exit 2, naming all three with the stack", async () => {
        const run = await validate(["--stack", "staging"], { env: {} });
        expect(run.code).toBe(2);
        expect(run.stderr).toBe(
            `validate first-payment: no revenue activation time: pass --since ISO-TIME, set REVENUE_ACTIVATED_AT, or run where \`pulumi stack output ${activationOutputName} --stack staging\` answers\n`,
        );
        expect(run.stdout).toBe("");
    });

    it("a time that is not a date: exit 2, quoting it", async () => {
        const run = await validate(["--since", "yesterday"]);
        expect(run.code).toBe(2);
        expect(run.stderr).toBe('validate first-payment: activation time "yesterday" is not a date; expected ISO 8601 such as 2026-11-20T09:00:00Z\n');
    });
});

describe("where the webhook URL comes from", () => {
    it("--url over the stack file; else the stack file's, named with its stack", async () => {
        const dir = project({ alt: "  vauntico:payments:\n    stripe:\n      webhookUrl: https://alt.example/stripe\n" });
        const byUrl = await validate(["--url", "https://given.example/hook"], {
            env: { STRIPE_SECRET_KEY: "sk_test_x", REVENUE_ACTIVATED_AT: since },
            projectDir: dir,
        });
        expect(byUrl.stdout).toContain("webhook endpoint https://given.example/hook.");
        const byStack = await validate(["--stack", "alt"], { env: { STRIPE_SECRET_KEY: "sk_test_x", REVENUE_ACTIVATED_AT: since }, projectDir: dir });
        expect(byStack.stdout).toContain("Stack `alt`, revenue activated at 2026-11-20T09:00:00.000Z, webhook endpoint https://alt.example/stripe.");
    });

    it("a stack file without one: exit 2, asking for --url", async () => {
        const dir = project({ bare: "  vauntico:other: 1\n" });
        const run = await validate(["--stack", "bare"], { projectDir: dir });
        expect(run.code).toBe(2);
        expect(run.stderr).toBe("validate first-payment: stack bare has no vauntico:payments.stripe.webhookUrl; pass --url URL\n");
    });

    it("a stack file that cannot be read: exit 2 with the reader's message", async () => {
        const run = await validate(["--stack", "absent"], { projectDir: project({}) });
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(
            /^validate first-payment: stack file .*Pulumi\.absent\.yaml not found; expected Pulumi\.<stack>\.yaml for --stack absent\n$/,
        );
    });

    it("userinfo in the stack file's URL: exit 2, naming the key and stack, the URL shown without it", async () => {
        const dir = project({ alt: "  vauntico:payments:\n    stripe:\n      webhookUrl: https://hook:Canary-P4ss@alt.example/stripe\n" });
        const run = await validate(["--stack", "alt"], { projectDir: dir });
        expect(run.code).toBe(2);
        expect(run.stderr).toBe(
            'validate first-payment: vauntico:payments.stripe.webhookUrl of stack alt "https://alt.example/stripe" carries a user name or password (user:password@); credentials go in Pulumi secrets, never in a URL\n',
        );
        expect(requests).toEqual([]);
    });
});

describe("arguments", () => {
    it("an unknown option is refused before anything is read", async () => {
        await expect(validate(["--no-such-option"])).rejects.toThrow(/--no-such-option/);
        expect(requests).toEqual([]);
    });

    it("userinfo in --url: exit 2, naming --url, the URL shown without it", async () => {
        const run = await validate(["--url", "https://hook:Canary-P4ss@given.example/hook"]);
        expect(run.code).toBe(2);
        expect(run.stderr).toBe(
            'validate first-payment: --url "https://given.example/hook" carries a user name or password (user:password@); credentials go in Pulumi secrets, never in a URL\n',
        );
    });
});

describe("the Stripe key", () => {
    it("STRIPE_SECRET_KEY first, else the stack's vauntico:stripeSecretKey", async () => {
        delivered();
        const byConfig = await validate(["--stack", "prod"], {
            env: { REVENUE_ACTIVATED_AT: since },
            configValue: async (stack, key) => (stack === "prod" && key === "vauntico:stripeSecretKey" ? liveKey : undefined),
        });
        expect(byConfig.code).toBe(0);
        expect(requests.every((r) => r.headers.authorization === `Bearer ${liveKey}`)).toBe(true);
        const byEnv = await validate([], { configValue: async () => "sk_test_fromConfig" });
        expect(byEnv.code).toBe(0);
    });

    it("an empty STRIPE_SECRET_KEY (as CI sets an unset secret) counts as none: the stack's key is asked", async () => {
        delivered();
        const run = await validate([], { env: { STRIPE_SECRET_KEY: "", REVENUE_ACTIVATED_AT: since }, configValue: async () => liveKey });
        expect(run.stderr).toBe("");
        expect(run.code).toBe(0);
    });

    it.each([
        ["absent", {}, undefined],
        ["empty", { STRIPE_SECRET_KEY: "" }, undefined],
        ["empty in the config too", { STRIPE_SECRET_KEY: "" }, ""],
    ])("%s: exit 2, naming both sources, before any request", async (_title, env, configured) => {
        const asked: string[] = [];
        const run = await validate([], {
            env: { REVENUE_ACTIVATED_AT: since, ...env },
            configValue: async (stack, key) => {
                asked.push(`config ${stack} ${key}`);
                return configured;
            },
        });
        expect(run.code).toBe(2);
        expect(run.stderr).toBe(
            "validate first-payment: no Stripe key: set STRIPE_SECRET_KEY (the stack's key, as delivered to the production environment) or run where `pulumi config get vauntico:stripeSecretKey` answers\n",
        );
        expect(asked).toEqual(["config prod vauntico:stripeSecretKey"]);
        expect(requests).toEqual([]);
    });
});

describe("the check's outcome", () => {
    it("a delivered first payment: the report on stdout, exit 0, the pinned API version and no telemetry", async () => {
        delivered();
        const run = await validate([]);
        expect(run.code).toBe(0);
        expect(run.stderr).toBe("");
        expect(run.stdout).toContain("**Result: PASS**");
        expect(run.stdout).toContain("Stack `prod`,");
        expect(requests.map((r) => r.path)).toEqual(["/v1/webhook_endpoints", "/v1/payment_intents", "/v1/events"]);
        for (const request of requests) {
            expect(request.headers["stripe-version"]).toBe(pinnedClientApiVersion);
            expect(request.headers["x-stripe-client-telemetry"]).toBeUndefined();
        }
    });

    it("a failed check: the report on stdout, exit 1", async () => {
        answers.set("/v1/webhook_endpoints", list("/v1/webhook_endpoints", []));
        const run = await validate([]);
        expect(run.code).toBe(1);
        expect(run.stdout).toContain(`**Result: FAIL** — no live webhook endpoint at ${prodWebhookUrl}.`);
    });

    it("a Stripe error: exit 2 with its type and message", async () => {
        answers.set("/v1/webhook_endpoints", { status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key provided" } } });
        const run = await validate([]);
        expect(run.code).toBe(2);
        expect(run.stderr).toBe("validate first-payment: Stripe API: StripeAuthenticationError: Invalid API Key provided\n");
        expect(run.stdout).toBe("");
    });

    it("retries a server error twice, then exit 2", async () => {
        const unavailable = { status: 500, body: { error: { type: "api_error", message: "down" } } };
        answers.set("/v1/webhook_endpoints", [unavailable, unavailable, unavailable, unavailable]);
        const run = await validate([]);
        expect(run.code).toBe(2);
        expect(run.stderr).toBe("validate first-payment: Stripe API: StripeAPIError: down\n");
        expect(requests).toHaveLength(3);
    });

    it("an answer the check cannot read: exit 2 with the error's message", async () => {
        answers.set("/v1/webhook_endpoints", list("/v1/webhook_endpoints", [{ ...endpoint, enabled_events: undefined }]));
        const run = await validate([]);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/^validate first-payment: Stripe API: Cannot read properties of undefined \(reading 'includes'\)\n$/);
    });

    it("an answer cut at the limit: exit 2, the error followed by why it was cut", async () => {
        const endless = await startEndlessServer();
        try {
            const run = await validate([], { apiBase: { host: "127.0.0.1", port: Number(new URL(endless.url).port), protocol: "http" } });
            expect(run.code).toBe(2);
            expect(run.stderr).toMatch(
                new RegExp(
                    `^validate first-payment: Stripe API: .+ \\(the answer's body is larger than ${stripeAnswerLimitBytes} bytes; stopped reading it and closed the connection\\)\n$`,
                ),
            );
        } finally {
            await endless.stop();
        }
    });
});

describe("defaultDeps", () => {
    useEchoingPulumi();

    it("asks the Pulumi CLI for the stack output, plain", async () => {
        const deps = defaultDeps();
        expect(await deps.stackOutput("prod", activationOutputName)).toBe(`stack output ${activationOutputName} --stack prod`);
        expect(deps.apiBase).toBeUndefined();
        expect(deps.env).toBe(process.env);
    });
});
