import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { dispatch } from "../../../cli/dispatch.js";
import { isManualItemId } from "../../../policy/protocol/lookup.js";
import { evidenceFileName } from "../../../cli/validate/evidence.js";
import { defaultWebhooksDeps, runCase, webhooksCommand, type WebhooksDeps } from "../../../cli/validate/webhooks.js";
import { startEndlessServer } from "../../doubles/endlessServer.js";
import { startWebhookReceiver, type WebhookReceiver } from "../../doubles/webhookReceiver.js";
import { useEchoingPulumi } from "../../support/echoingPulumi.js";
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
        stdout: (text) => {
            stdout += text;
        },
        stderr: (text) => {
            stderr += text;
        },
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

describe("validate webhooks reads a bounded answer", () => {
    it("a receiver streaming an endless body: each case is cut at 64 KiB, its connection closed, and reported", async () => {
        const endless = await startEndlessServer();
        try {
            const run = capture();
            const started = Date.now();
            const before = process.memoryUsage().rss;
            expect(await webhooksCommand(["--provider", "stripe", "--url", endless.url], run.deps)).toBe(1);
            expect(Date.now() - started).toBeLessThan(8_000);
            expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
            expect(endless.requests()).toBe(4);
            expect(run.stdout().match(/\| 200 \(answer over 65536 bytes, not read further\) \| \*\*FAIL\*\* \|/g)).toHaveLength(4);
            expect(run.stdout()).toContain("the receiver streamed an answer larger than a webhook sender reads");
            await expect.poll(() => endless.closedEarly()).toBe(4);
        } finally {
            await endless.stop();
        }
    });
});

describe("validate webhooks never prints a password from a URL", () => {
    it.each([
        [
            "--url",
            (run: Captured) => webhooksCommand(["--provider", "stripe", "--url", "https://hook:Canary-P4ss@api.vauntico.com/webhooks/stripe"], run.deps),
            '--url "https://api.vauntico.com/webhooks/stripe" carries a user name or password',
        ],
        [
            "an unparsable --url",
            (run: Captured) => webhooksCommand(["--provider", "stripe", "--url", "https://hook:Canary-P4ss@api vauntico.com/"], run.deps),
            '--url "https://api vauntico.com/" is not a URL',
        ],
        [
            "a stack output",
            (run: Captured) =>
                webhooksCommand([], {
                    ...run.deps,
                    stackOutput: async (_stack, name) =>
                        name === "webhookEndpoints" ? JSON.stringify([{ provider: "paystack", url: "https://ops:Canary-P4ss@api.vauntico.com/p" }]) : undefined,
                }),
            'the paystack endpoint from the `webhookEndpoints` output of stack prod "https://api.vauntico.com/p" carries a user name or password',
        ],
    ])("refuses userinfo in %s (exit 2), the URL shown without it", async (_title, command, message) => {
        const run = capture();
        expect(await command(run)).toBe(2);
        expect(run.stderr()).toContain(message);
        expect(run.stderr() + run.stdout()).not.toContain("Canary-P4ss");
    });
});

describe("validate webhooks for the whole stack", () => {
    it("takes the endpoints from the stack outputs and the secrets from the stack when the environment has none", async () => {
        const asked: string[] = [];
        const run = capture({
            env: {},
            stackOutput: async (stack, name, showSecrets) => {
                asked.push(`${stack}:${name}:${showSecrets}`);
                if (name === "webhookEndpoints")
                    return JSON.stringify([
                        { provider: "stripe", url: verifying.stripeUrl },
                        { provider: "paystack", url: verifying.paystackUrl },
                    ]);
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
        expect(
            await dispatch("validate", ["webhook"], {
                stdout: () => undefined,
                stderr: (text) => {
                    written += text;
                },
            }),
        ).toBe(2);
        expect(written).toContain('unknown kind "webhook"; expected one of: webhooks, monitoring, first-payment');
    });
});

describe("a case passes on its status class only, at each edge", () => {
    const webhookCase = (expected: "2xx" | "4xx") => ({ name: "edge", expected, body: "{}", headers: { "content-type": "application/json" } });
    it.each([
        ["2xx", 200, true],
        ["2xx", 201, true],
        ["2xx", 299, true],
        ["2xx", 300, false],
        ["2xx", 301, false],
        ["2xx", 302, false],
        ["2xx", 307, false],
        ["2xx", 400, false],
        ["2xx", 500, false],
        ["4xx", 399, false],
        ["4xx", 400, true],
        ["4xx", 401, true],
        ["4xx", 499, true],
        ["4xx", 500, false],
        ["4xx", 200, false],
        ["4xx", 302, false],
    ] as const)("expected %s, answered %i → passed %s", async (expected, status, passed) => {
        const result = await runCase({ provider: "stripe", url: `${statusBase}/${status}` }, webhookCase(expected));
        expect(result).toMatchObject({ got: String(status), passed });
    });
});

describe("validate webhooks --record", () => {
    it("writes the report under handoff/evidence/ with its SHA-256; signs payment flows only when every case passed", async () => {
        const dir = mkdtempSync(join(tmpdir(), "vauntico-webhooks-evidence-"));
        try {
            const at = new Date();
            const passing = capture({ projectDir: dir, now: () => at });
            expect(await webhooksCommand(["--provider", "stripe", "--url", verifying.stripeUrl, "--record"], passing.deps)).toBe(0);
            const file = `handoff/evidence/${evidenceFileName("webhooks", at)}`;
            const bytes = readFileSync(join(dir, file));
            expect(bytes.toString("utf8")).toBe(passing.stdout());
            expect(passing.stderr()).toContain(`evidence: ${file} (sha256 ${createHash("sha256").update(bytes).digest("hex")})`);
            expect(passing.stderr()).toContain(`npm run handoff -- sign p2.payment-flows-tested --by <LOGIN> --evidence ${file}`);
            expect(passing.stderr()).toContain(`npm run handoff -- sign p2.validation-results-documented --by <LOGIN> --evidence ${file}`);
            const failing = capture({ projectDir: dir, now: () => new Date(at.getTime() + 1000) });
            expect(await webhooksCommand(["--provider", "stripe", "--url", acceptingEverything.stripeUrl, "--record"], failing.deps)).toBe(1);
            expect(failing.stderr()).not.toMatch(/sign p2\.payment-flows-tested/);
            expect(failing.stderr()).toContain("# p2.payment-flows-tested: a webhook case failed");
            for (const id of [...passing.stderr().matchAll(/sign (p\d\.[a-z-]+)/g)].map((m) => m[1] ?? "")) expect(isManualItemId(id), id).toBe(true);
            expectNoSecrets(passing.stdout(), passing.stderr(), failing.stdout(), failing.stderr());
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
    it("--by LOGIN and a stack other than prod go into the sign lines; a bad login is refused before any request", async () => {
        const dir = mkdtempSync(join(tmpdir(), "vauntico-webhooks-evidence-"));
        try {
            const at = new Date();
            const file = `handoff/evidence/${evidenceFileName("webhooks", at)}`;
            const staging = capture({ projectDir: dir, now: () => at });
            expect(
                await webhooksCommand(
                    ["--stack", "staging", "--provider", "stripe", "--url", verifying.stripeUrl, "--record", "--by", "kilo-dev-lead"],
                    staging.deps,
                ),
            ).toBe(0);
            const lines = staging
                .stderr()
                .split("\n")
                .filter((l) => l.startsWith("npm run handoff -- sign "));
            expect(lines).toEqual([
                `npm run handoff -- sign p2.validation-results-documented --stack staging --by kilo-dev-lead --evidence ${file}`,
                `npm run handoff -- sign p2.payment-flows-tested --stack staging --by kilo-dev-lead --evidence ${file}`,
            ]);
            const prod = capture({ projectDir: dir, now: () => new Date(at.getTime() + 1000) });
            expect(
                await webhooksCommand(
                    ["--stack", "prod", "--provider", "stripe", "--url", verifying.stripeUrl, "--record", "--by", "kilo-dev-lead"],
                    prod.deps,
                ),
            ).toBe(0);
            expect(prod.stderr()).toContain("npm run handoff -- sign p2.payment-flows-tested --by kilo-dev-lead --evidence ");
            expect(prod.stderr()).not.toContain("--stack");
            const before = verifying.accepted.length;
            const bad = capture({ projectDir: dir });
            expect(await webhooksCommand(["--provider", "stripe", "--url", verifying.stripeUrl, "--record", "--by", "not a login"], bad.deps)).toBe(2);
            expect(bad.stderr()).toContain('--by "not a login": expected a GitHub username');
            const unrecorded = capture({ projectDir: dir });
            expect(await webhooksCommand(["--provider", "stripe", "--url", verifying.stripeUrl, "--by", "kilo-dev-lead"], unrecorded.deps)).toBe(2);
            expect(unrecorded.stderr()).toContain("applies with --record only");
            expect(verifying.accepted.length).toBe(before);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("runCase says why there was no answer", () => {
    const signed = { name: "signed event", expected: "2xx" as const, body: "{}", headers: { "content-type": "application/json" } };

    it("a connection closed in the middle of the answer: the socket error's code, and the case fails", async () => {
        const server = createServer((request, response) => {
            request.resume();
            response.writeHead(200, { "content-length": "100" });
            response.write("{");
            setTimeout(() => response.socket?.destroy(), 20);
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const { port }: AddressInfo = JSON.parse(JSON.stringify(server.address()));
            const result = await runCase({ provider: "stripe", url: `http://127.0.0.1:${port}/` }, signed);
            expect(result).toEqual({
                provider: "stripe",
                url: `http://127.0.0.1:${port}/`,
                caseName: "signed event",
                expected: "2xx",
                got: "no response (UND_ERR_SOCKET)",
                passed: false,
            });
        } finally {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        }
    });

    it("a cause without a code: the cause's message", async () => {
        const result = await runCase({ provider: "paystack", url: "ftp://127.0.0.1/webhooks" }, signed);
        expect(result).toMatchObject({ got: "no response (unknown scheme)", passed: false });
    });
});

describe("validate webhooks: where the endpoints and the secrets come from", () => {
    const endpoints = () =>
        JSON.stringify([
            { provider: "stripe", url: verifying.stripeUrl },
            { provider: "paystack", url: verifying.paystackUrl },
        ]);

    it("--provider narrows the stack's endpoints to that provider", async () => {
        const run = capture({ stackOutput: async (_stack, name) => (name === "webhookEndpoints" ? endpoints() : undefined) });
        expect(await webhooksCommand(["--provider", "paystack"], run.deps)).toBe(0);
        expect(run.stdout()).toContain("3 of 3 cases passed on 1 endpoint.");
        expect(run.stdout()).not.toContain(verifying.stripeUrl);
    });

    it("asks the named stack, and no stack at all when --url is given", async () => {
        const asked: string[] = [];
        const run = capture({
            env: {},
            stackOutput: async (stack, name) => {
                asked.push(`${stack}:${name}`);
                return undefined;
            },
            configValue: async (stack, key) => {
                asked.push(`${stack}:${key}`);
                return undefined;
            },
        });
        expect(await webhooksCommand(["--stack", "prod", "--provider", "stripe"], run.deps)).toBe(2);
        expect(asked).toEqual(["prod:webhookEndpoints", "prod:stripeWebhookSigningSecret"]);
        asked.length = 0;
        expect(await webhooksCommand(["--provider", "stripe", "--url", verifying.stripeUrl], run.deps)).toBe(2);
        expect(await webhooksCommand(["--provider", "paystack", "--url", verifying.paystackUrl], run.deps)).toBe(2);
        expect(asked).toEqual([]);
        expect(run.stderr()).toContain(`validate webhooks: no stripe secret for ${verifying.stripeUrl}: set STRIPE_WEBHOOK_SECRET\n`);
        expect(run.stderr()).toContain(`validate webhooks: no paystack secret for ${verifying.paystackUrl}: set PAYSTACK_SECRET_KEY\n`);
    });

    it("an endpoints output that is not a list of endpoints: the stack file's vauntico:payments instead", async () => {
        const run = capture({ env: {}, stackOutput: async (_stack, name) => (name === "webhookEndpoints" ? JSON.stringify({ stripe: "x" }) : undefined) });
        expect(await webhooksCommand(["--provider", "stripe"], run.deps)).toBe(2);
        expect(run.stderr()).toBe(
            "validate webhooks: no stripe secret for https://api.vauntico.com/webhooks/stripe: set STRIPE_WEBHOOK_SECRET or run where the stack output stripeWebhookSigningSecret answers\n",
        );
    });

    it("the Paystack secret from the stack is the config key, named when it does not answer", async () => {
        const run = capture({ env: {} });
        expect(await webhooksCommand(["--provider", "paystack"], run.deps)).toBe(2);
        expect(run.stderr()).toBe(
            "validate webhooks: no paystack secret for https://api.vauntico.com/webhooks/paystack: set PAYSTACK_SECRET_KEY or run where `pulumi config get vauntico:paystackSecretKey` answers\n",
        );
    });

    it("an empty secret in the environment counts as none; a signing-secret output that is not a string too", async () => {
        const run = capture({
            env: { STRIPE_WEBHOOK_SECRET: "" },
            stackOutput: async (_stack, name) => (name === "stripeWebhookSigningSecret" ? JSON.stringify(42) : undefined),
        });
        expect(await webhooksCommand(["--provider", "stripe"], run.deps)).toBe(2);
        expect(run.stderr()).toContain("no stripe secret for https://api.vauntico.com/webhooks/stripe");
        const empty = capture({ env: { STRIPE_WEBHOOK_SECRET: "" }, stackOutput: async () => JSON.stringify("") });
        expect(await webhooksCommand(["--provider", "stripe"], empty.deps)).toBe(2);
        expect(empty.stderr()).toContain("no stripe secret for");
    });

    it("a stack without endpoints, or without the provider's, is a usage error naming what is missing", async () => {
        const none = capture({ stackOutput: async (_stack, name) => (name === "webhookEndpoints" ? "[]" : undefined) });
        expect(await webhooksCommand([], none.deps)).toBe(2);
        expect(none.stderr()).toBe("validate webhooks: stack prod has no webhook endpoint; pass --provider stripe|paystack --url URL\n");
        const noStripe = capture({
            stackOutput: async (_stack, name) =>
                name === "webhookEndpoints" ? JSON.stringify([{ provider: "paystack", url: verifying.paystackUrl }]) : undefined,
        });
        expect(await webhooksCommand(["--provider", "stripe"], noStripe.deps)).toBe(2);
        expect(noStripe.stderr()).toBe("validate webhooks: stack prod has no stripe endpoint; pass --provider stripe|paystack --url URL\n");
        expect(noStripe.stdout()).toBe("");
    });

    it("endpoints that cannot be read are a usage error with the reason", async () => {
        const run = capture({ stackOutput: async () => "not json" });
        expect(await webhooksCommand([], run.deps)).toBe(2);
        expect(run.stderr()).toMatch(/^validate webhooks: cannot read the endpoints of stack prod: .*JSON/);
        expect(run.stdout()).toBe("");
    });
});

describe("validate webhooks: vauntico:payments in the stack file", () => {
    let dir: string;
    beforeAll(() => {
        dir = mkdtempSync(join(tmpdir(), "vauntico-webhooks-stacks-"));
        writeFileSync(join(dir, "Pulumi.yaml"), "name: vauntico-deploy\nruntime: nodejs\n");
        const payments = (providers: Record<string, string>) =>
            `config:\n  vauntico:payments:\n${Object.entries(providers)
                .map(([provider, url]) => `    ${provider}:\n      webhookUrl: ${url}\n`)
                .join("")}`;
        writeFileSync(join(dir, "Pulumi.bare.yaml"), "config:\n  vauntico:other: 1\n");
        writeFileSync(join(dir, "Pulumi.stripe.yaml"), payments({ stripe: verifying.stripeUrl }));
        writeFileSync(join(dir, "Pulumi.paystack.yaml"), payments({ paystack: verifying.paystackUrl }));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("without it the stack has no endpoint (exit 2)", async () => {
        const run = capture({ projectDir: dir });
        expect(await webhooksCommand(["--stack", "bare"], run.deps)).toBe(2);
        expect(run.stderr()).toBe("validate webhooks: stack bare has no webhook endpoint; pass --provider stripe|paystack --url URL\n");
    });

    it.each([
        ["stripe", 4],
        ["paystack", 3],
    ] as const)("with only %s: that endpoint alone, the stack file named as the source", async (stack, cases) => {
        const run = capture({ projectDir: dir });
        expect(await webhooksCommand(["--stack", stack], run.deps)).toBe(0);
        expect(run.stdout()).toContain(`Endpoints from vauntico:payments in Pulumi.${stack}.yaml. `);
        expect(run.stdout()).toContain(`${cases} of ${cases} cases passed on 1 endpoint.`);
    });
});

describe("validate webhooks: arguments", () => {
    it("names the command line as the source of a --url endpoint", async () => {
        const run = capture();
        expect(await webhooksCommand(["--provider", "stripe", "--url", verifying.stripeUrl], run.deps)).toBe(0);
        expect(run.stdout()).toContain("Endpoints from the command line. ");
    });

    it("refuses an unknown option and a positional argument before any request", async () => {
        const before = verifying.accepted.length;
        await expect(webhooksCommand(["--provider", "stripe", "--url", verifying.stripeUrl, "--no-such-option"], capture().deps)).rejects.toThrow(
            /--no-such-option/,
        );
        await expect(webhooksCommand(["--provider", "stripe", "--url", verifying.stripeUrl, "extra"], capture().deps)).rejects.toThrow(/extra/);
        expect(verifying.accepted.length).toBe(before);
    });
});

describe("runCase gives a silent endpoint 10 s", () => {
    it("then reports the time-out", async () => {
        const silent = createServer((request) => request.resume());
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
        // The real 10 s would slow every run; the signal is asked for 10 s and handed one that times out at once.
        const timeout = vi.spyOn(AbortSignal, "timeout").mockImplementation(() => {
            const controller = new AbortController();
            controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
            return controller.signal;
        });
        try {
            const { port }: AddressInfo = JSON.parse(JSON.stringify(silent.address()));
            const result = await runCase(
                { provider: "stripe", url: `http://127.0.0.1:${port}/` },
                { name: "signed event", expected: "2xx", body: "{}", headers: { "content-type": "application/json" } },
            );
            expect(timeout).toHaveBeenCalledWith(10_000);
            expect(result).toMatchObject({ got: "no response (timed out after 10000 ms)", passed: false });
        } finally {
            timeout.mockRestore();
            silent.closeAllConnections();
            await new Promise((resolve) => silent.close(resolve));
        }
    });
});

describe("runCase names why a request was abandoned (the signal's reason is what fetch rejects with)", () => {
    const timedOutWith = (reason: unknown) =>
        vi.spyOn(AbortSignal, "timeout").mockImplementation(() => {
            const controller = new AbortController();
            controller.abort(reason);
            return controller.signal;
        });
    it.each([
        ["an error without a cause: its message", new Error("stopped"), "stopped"],
        ["a null cause: the error's message", new Error("stopped", { cause: null }), "stopped"],
        ["a cause whose code is not a string: the error's message", new Error("stopped", { cause: { code: 5 } }), "stopped"],
        ["a cause that is not an Error: the error's message", new Error("stopped", { cause: { message: "inner" } }), "stopped"],
        ["not an Error at all", "stopped", "error"],
    ])("%s", async (_title, reason, why) => {
        const timeout = timedOutWith(reason);
        try {
            const result = await runCase(
                { provider: "stripe", url: `${statusBase}/200` },
                { name: "signed event", expected: "2xx", body: "{}", headers: { "content-type": "application/json" } },
            );
            expect(result).toMatchObject({ got: `no response (${why})`, passed: false });
        } finally {
            timeout.mockRestore();
        }
    });
});

describe("defaultWebhooksDeps", () => {
    useEchoingPulumi();

    it("asks the Pulumi CLI for a stack output as JSON, secrets shown only when asked; now() is the clock", async () => {
        const deps = defaultWebhooksDeps();
        expect(await deps.stackOutput("prod", "webhookEndpoints", false)).toBe("stack output webhookEndpoints --json --stack prod");
        expect(await deps.stackOutput("prod", "stripeWebhookSigningSecret", true)).toBe(
            "stack output stripeWebhookSigningSecret --json --stack prod --show-secrets",
        );
        const before = Date.now();
        const now = deps.now().getTime();
        expect(now).toBeGreaterThanOrEqual(before);
        expect(now).toBeLessThanOrEqual(Date.now());
        expect(deps.env).toBe(process.env);
    });
});
