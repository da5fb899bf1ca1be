import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../cli/validate.js";
import { runCase, webhooksCommand, type WebhooksDeps } from "../../../cli/validate/webhooks.js";
import { startWebhookReceiver, type WebhookReceiver } from "../../doubles/webhookReceiver.js";
import { projectDir } from "../../support/stackFiles.js";

const stripeSigningSecret = "whsec_validateTestSecret0123456789abcdef";
const paystackSecretKey = "sk_test_validatePaystackKey0123456789";

let verifying: WebhookReceiver;
let acceptingEverything: WebhookReceiver;
/** Answers every request with the status its path names: POST /302 → 302. */
let statusServer: Server;
let statusBase: string;

beforeAll(async () => {
    verifying = await startWebhookReceiver({ stripeSigningSecret, paystackSecretKey });
    acceptingEverything = await startWebhookReceiver({ stripeSigningSecret, paystackSecretKey, acceptEverything: true });
    statusServer = createServer((request, response) => {
        request.resume();
        request.on("end", () => {
            const status = Number(request.url?.slice(1));
            response.writeHead(status, status >= 300 && status < 400 ? { location: "https://elsewhere.example/" } : {});
            response.end();
        });
    });
    await new Promise<void>((resolve) => statusServer.listen(0, "127.0.0.1", resolve));
    const { port }: AddressInfo = JSON.parse(JSON.stringify(statusServer.address()));
    statusBase = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
    await verifying?.stop();
    await acceptingEverything?.stop();
    await new Promise((resolve) => statusServer?.close(resolve));
});

interface Captured {
    deps: WebhooksDeps;
    stdout: () => string;
    stderr: () => string;
}

function capture(overrides: Partial<WebhooksDeps> = {}): Captured {
    let stdout = "";
    let stderr = "";
    const deps: WebhooksDeps = {
        env: { STRIPE_WEBHOOK_SECRET: stripeSigningSecret, PAYSTACK_SECRET_KEY: paystackSecretKey },
        projectDir,
        stackOutput: async () => undefined,
        configValue: async () => undefined,
        now: () => new Date(),
        stdout: (text) => { stdout += text; },
        stderr: (text) => { stderr += text; },
        ...overrides,
    };
    return { deps, stdout: () => stdout, stderr: () => stderr };
}

function expectNoSecrets(...texts: string[]): void {
    for (const text of texts) {
        expect(text).not.toContain(stripeSigningSecret);
        expect(text).not.toContain(paystackSecretKey);
    }
}

describe("validate webhooks --provider --url against a receiver that verifies", () => {
    it.each([
        ["stripe", () => verifying.stripeUrl, 4],
        ["paystack", () => verifying.paystackUrl, 3],
    ] as const)("%s: every case passes, exit 0", async (provider, url, cases) => {
        const run = capture();
        const code = await webhooksCommand(["--provider", provider, "--url", url()], run.deps);
        expect(run.stderr()).toBe("");
        expect(code).toBe(0);
        expect(run.stdout()).toContain("**Result: PASS**");
        expect(run.stdout().match(/\| pass \|/g)).toHaveLength(cases);
        expectNoSecrets(run.stdout(), run.stderr());
    });
});

describe("validate webhooks against a receiver that accepts everything", () => {
    it("fails, naming each case the receiver should have rejected", async () => {
        const run = capture();
        const code = await webhooksCommand(["--provider", "stripe", "--url", acceptingEverything.stripeUrl], run.deps);
        expect(code).toBe(1);
        const report = run.stdout();
        expect(report).toContain("**Result: FAIL**");
        for (const name of ["forged signature", "stale timestamp (600 s old)", "missing signature header"]) {
            expect(report).toMatch(new RegExp(`\\| ${name.replace(/[()]/g, "\\$&")} \\| 4xx \\| 200 \\| \\*\\*FAIL\\*\\* \\|`));
            expect(report).toContain(`${name}: expected 4xx, got 200; the receiver accepted a request it must reject`);
        }
        expect(report).toMatch(/\| signed event \| 2xx \| 200 \| pass \|/);
        expectNoSecrets(report);
    });

    it("fails the Paystack cases too", async () => {
        const run = capture();
        expect(await webhooksCommand(["--provider", "paystack", "--url", acceptingEverything.paystackUrl], run.deps)).toBe(1);
        expect(run.stdout()).toContain("paystack");
        expect(run.stdout()).toMatch(/forged signature \| 4xx \| 200 \| \*\*FAIL\*\*/);
    });
});

describe("validate webhooks reports a receiver that rejects good events or is down", () => {
    it("a receiver verifying with another secret rejects the signed event", async () => {
        const run = capture({ env: { STRIPE_WEBHOOK_SECRET: "whsec_notTheReceiversSecret000" } });
        expect(await webhooksCommand(["--provider", "stripe", "--url", verifying.stripeUrl], run.deps)).toBe(1);
        expect(run.stdout()).toContain("signed event: expected 2xx, got 400; the receiver rejected a correctly signed event");
    });

    it("an endpoint that does not answer fails every case", async () => {
        const down = await startWebhookReceiver({ stripeSigningSecret, paystackSecretKey });
        await down.stop();
        const run = capture();
        expect(await webhooksCommand(["--provider", "stripe", "--url", down.stripeUrl], run.deps)).toBe(1);
        expect(run.stdout()).toContain("no response (ECONNREFUSED)");
    });
});

describe("validate webhooks for the whole stack", () => {
    it("takes the endpoints from the stack outputs and the secrets from the stack when the environment has none", async () => {
        const asked: string[] = [];
        const run = capture({
            env: {},
            stackOutput: async (stack, name, showSecrets) => {
                asked.push(`${stack}:${name}:${showSecrets}`);
                if (name === "webhookEndpoints") return JSON.stringify([{ provider: "stripe", url: verifying.stripeUrl }, { provider: "paystack", url: verifying.paystackUrl }]);
                if (name === "stripeWebhookSigningSecret") return JSON.stringify(stripeSigningSecret);
                return undefined;
            },
            configValue: async (_stack, key) => (key === "vauntico:paystackSecretKey" ? paystackSecretKey : undefined),
        });
        expect(await webhooksCommand([], run.deps)).toBe(0);
        expect(asked).toEqual(["prod:webhookEndpoints:false", "prod:stripeWebhookSigningSecret:true"]);
        expect(run.stdout()).toContain("7 of 7 cases passed on 2 endpoints");
        expect(run.stdout()).toContain("the `webhookEndpoints` output of stack prod");
        expect(verifying.accepted).toEqual(expect.arrayContaining(["payment_intent.succeeded", "charge.success"]));
        expectNoSecrets(run.stdout(), run.stderr());
    });

    it("falls back to vauntico:payments in the stack file, and says which secret is missing (exit 2)", async () => {
        const run = capture({ env: {} });
        expect(await webhooksCommand(["--provider", "paystack"], run.deps)).toBe(2);
        expect(run.stderr()).toContain("no paystack secret for https://api.vauntico.com/webhooks/paystack: set PAYSTACK_SECRET_KEY");
    });

    it("refuses --url without --provider and an unknown provider", async () => {
        const run = capture();
        expect(await webhooksCommand(["--url", verifying.stripeUrl], run.deps)).toBe(2);
        expect(await webhooksCommand(["--provider", "paypal", "--url", verifying.stripeUrl], run.deps)).toBe(2);
        expect(run.stderr()).toContain("--url needs --provider stripe|paystack");
        expect(run.stderr()).toContain('--provider "paypal": expected stripe or paystack');
    });
});

describe("npm run validate -- <kind>", () => {
    it("names the kinds it knows when given another", async () => {
        let written = "";
        expect(await main(["webhook"], (text) => { written += text; })).toBe(2);
        expect(written).toContain("unknown kind webhook; expected one of: webhooks, first-payment");
    });
});

describe("a case passes on its status class only, at each edge", () => {
    const webhookCase = (expected: "2xx" | "4xx") => ({ name: "edge", expected, body: "{}", headers: { "content-type": "application/json" } });
    it.each([
        ["2xx", 200, true], ["2xx", 201, true], ["2xx", 299, true], ["2xx", 300, false], ["2xx", 301, false], ["2xx", 302, false], ["2xx", 307, false],
        ["2xx", 400, false], ["2xx", 500, false],
        ["4xx", 399, false], ["4xx", 400, true], ["4xx", 401, true], ["4xx", 499, true], ["4xx", 500, false], ["4xx", 200, false], ["4xx", 302, false],
    ] as const)("expected %s, answered %i → passed %s", async (expected, status, passed) => {
        const result = await runCase({ provider: "stripe", url: `${statusBase}/${status}` }, webhookCase(expected));
        expect(result).toMatchObject({ got: String(status), passed });
    });
});
