import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { z } from "zod";
import { userinfoProblem, withoutUserinfo } from "../../components/urls/index.js";
import { paymentsOutputNames } from "../../stacks/payments.js";
import { readStackFile } from "../plan/stackFile.js";
import { BodyTooLargeError, boundedFetch, webhookAnswerLimitBytes } from "../../components/shared/boundedFetch.js";
import { processStackAccess, stackOutputOf, type StackAccess } from "./stackAccess.js";
import { casesFor, type WebhookCase, type WebhookProvider } from "./webhookCases.js";
import { evidenceLines, recordEvidence, signerProblem } from "./evidence.js";
import { answerTooLarge, webhookEvidenceItems, webhookValidationReport, type WebhookCaseResult } from "./webhookReport.js";

/** Where each provider's secret is read from when it is not taken from the stack. */
export const secretEnvNames: Record<WebhookProvider, string> = {
    stripe: "STRIPE_WEBHOOK_SECRET",
    paystack: "PAYSTACK_SECRET_KEY",
};

const paystackKeyConfig = "vauntico:paystackSecretKey";
const requestTimeoutMs = 10_000;

export interface WebhooksDeps extends StackAccess {
    /** `pulumi stack output NAME --json [--show-secrets]`; undefined when unavailable. Never printed. */
    stackOutput(stack: string, name: string, showSecrets: boolean): Promise<string | undefined>;
    now(): Date;
}

export function defaultWebhooksDeps(): WebhooksDeps {
    return {
        ...processStackAccess(),
        stackOutput: (stack, name, showSecrets) => stackOutputOf(stack, name, { json: true, showSecrets }),
        now: () => new Date(),
    };
}

export interface WebhookTarget {
    provider: WebhookProvider;
    url: string;
}

const providerSchema = z.enum(["stripe", "paystack"]);
const targetsSchema = z.array(z.object({ provider: providerSchema, url: z.string() }));
const paymentsSchema = z.object({
    stripe: z.object({ webhookUrl: z.string() }).optional(),
    paystack: z.object({ webhookUrl: z.string() }).optional(),
});

/** The endpoints of the stack: its `webhookEndpoints` output, else `vauntico:payments` in the stack file. */
export async function stackTargets(deps: WebhooksDeps, stack: string): Promise<{ targets: WebhookTarget[]; source: string }> {
    const output = await deps.stackOutput(stack, paymentsOutputNames.webhookEndpoints, false);
    if (output !== undefined) {
        const parsed = targetsSchema.safeParse(JSON.parse(output));
        if (parsed.success) return { targets: parsed.data, source: `the \`${paymentsOutputNames.webhookEndpoints}\` output of stack ${stack}` };
    }
    const text = readStackFile(deps.projectDir, stack).config["vauntico:payments"];
    const payments = text === undefined ? undefined : paymentsSchema.safeParse(JSON.parse(text));
    const targets: WebhookTarget[] = [];
    if (payments?.success && payments.data.stripe) targets.push({ provider: "stripe", url: payments.data.stripe.webhookUrl });
    if (payments?.success && payments.data.paystack) targets.push({ provider: "paystack", url: payments.data.paystack.webhookUrl });
    return { targets, source: `vauntico:payments in Pulumi.${stack}.yaml` };
}

/** The provider's secret: the environment first, then the stack (signing-secret output, Paystack key config). */
async function secretFor(provider: WebhookProvider, deps: WebhooksDeps, stack: string | undefined): Promise<string | undefined> {
    const fromEnv = deps.env[secretEnvNames[provider]];
    if (fromEnv) return fromEnv;
    if (stack === undefined) return undefined;
    if (provider === "paystack") return deps.configValue(stack, paystackKeyConfig);
    const output = await deps.stackOutput(stack, paymentsOutputNames.stripeWebhookSigningSecret, true);
    const parsed = output === undefined ? undefined : z.string().safeParse(JSON.parse(output));
    return parsed?.success ? parsed.data : undefined;
}

function statusMatches(expected: WebhookCase["expected"], status: number): boolean {
    return expected === "2xx" ? status >= 200 && status < 300 : status >= 400 && status < 500;
}

function reasonOf(error: unknown): string {
    if (error instanceof Error) {
        const cause = error.cause;
        if (typeof cause === "object" && cause !== null) {
            if ("code" in cause && typeof cause.code === "string") return cause.code;
            if (cause instanceof Error) return cause.message;
        }
        return error.name === "TimeoutError" ? `timed out after ${requestTimeoutMs} ms` : error.message;
    }
    return "error";
}

const fetchBounded = boundedFetch(webhookAnswerLimitBytes);

/** Sends one case and says what came back; reads at most `webhookAnswerLimitBytes` of the answer. */
export async function runCase(target: WebhookTarget, webhookCase: WebhookCase): Promise<WebhookCaseResult> {
    let got: string;
    let passed = false;
    try {
        const response = await fetchBounded(target.url, {
            method: "POST",
            headers: webhookCase.headers,
            body: webhookCase.body,
            redirect: "manual",
            signal: AbortSignal.timeout(requestTimeoutMs),
        });
        got = String(response.status);
        try {
            await response.arrayBuffer();
            passed = statusMatches(webhookCase.expected, response.status);
        } catch (error) {
            if (!(error instanceof BodyTooLargeError)) throw error;
            // A provider gives up on a receiver that streams an endless answer: the delivery fails.
            got = `${response.status} ${answerTooLarge(error.limitBytes)}`;
        }
    } catch (error) {
        got = `no response (${reasonOf(error)})`;
    }
    return { provider: target.provider, url: target.url, caseName: webhookCase.name, expected: webhookCase.expected, got, passed };
}

export const webhooksOptions = {
    stack: { type: "string", default: "prod" },
    provider: { type: "string" },
    url: { type: "string" },
    record: { type: "boolean", default: false },
    by: { type: "string" },
} satisfies ParseArgsOptionsConfig;

/**
 * `npm run validate -- webhooks [--stack prod] [--provider stripe|paystack --url URL] [--record [--by LOGIN]]`: exit 0 when every case
 * passed on every endpoint, 1 when one failed, 2 when the check could not run. Secrets are never printed.
 */
export async function webhooksCommand(argv: string[], deps: WebhooksDeps = defaultWebhooksDeps()): Promise<number> {
    const { values } = parseArgs({
        args: argv,
        options: webhooksOptions,
        strict: true,
    });
    const usage = (message: string): number => {
        deps.stderr(`validate webhooks: ${message}\n`);
        return 2;
    };
    const signer = signerProblem(values.by, values.record);
    if (signer !== undefined) return usage(signer);
    const provider = values.provider === undefined ? undefined : providerSchema.safeParse(values.provider);
    if (provider && !provider.success) return usage(`--provider ${JSON.stringify(values.provider)}: expected stripe or paystack`);
    const wantedProvider = provider?.data;

    let targets: WebhookTarget[];
    let source: string;
    let stack: string | undefined;
    if (values.url !== undefined) {
        if (wantedProvider === undefined) return usage("--url needs --provider stripe|paystack");
        if (!URL.canParse(values.url)) return usage(`--url ${JSON.stringify(withoutUserinfo(values.url))} is not a URL`);
        targets = [{ provider: wantedProvider, url: values.url }];
        source = "the command line";
    } else {
        stack = values.stack;
        try {
            ({ targets, source } = await stackTargets(deps, stack));
        } catch (error) {
            return usage(`cannot read the endpoints of stack ${stack}: ${error instanceof Error ? error.message : String(error)}`);
        }
        if (wantedProvider) targets = targets.filter((t) => t.provider === wantedProvider);
        if (targets.length === 0) return usage(`stack ${stack} has no ${wantedProvider ?? "webhook"} endpoint; pass --provider stripe|paystack --url URL`);
    }

    // A password in a URL would be printed in the report; the config refuses it, and so does the command.
    for (const target of targets) {
        const problem = userinfoProblem(target.url);
        if (problem !== undefined) {
            const where = values.url !== undefined ? "--url" : `the ${target.provider} endpoint from ${source}`;
            return usage(`${where} ${JSON.stringify(withoutUserinfo(target.url))} ${problem}`);
        }
    }

    const now = deps.now();
    const results: WebhookCaseResult[] = [];
    for (const target of targets) {
        const secret = await secretFor(target.provider, deps, values.url === undefined ? stack : undefined);
        if (secret === undefined || secret === "") {
            const fromStack =
                target.provider === "stripe"
                    ? `the stack output ${paymentsOutputNames.stripeWebhookSigningSecret}`
                    : `\`pulumi config get ${paystackKeyConfig}\``;
            return usage(
                `no ${target.provider} secret for ${target.url}: set ${secretEnvNames[target.provider]}${values.url === undefined ? ` or run where ${fromStack} answers` : ""}`,
            );
        }
        for (const webhookCase of casesFor(target.provider, secret, now)) {
            results.push(await runCase(target, webhookCase));
        }
    }
    const report = webhookValidationReport(results, source);
    deps.stdout(report);
    const passed = results.every((r) => r.passed);
    if (values.record) {
        const evidence = recordEvidence(deps.projectDir, "webhooks", report, now);
        deps.stderr(evidenceLines(evidence, ...webhookEvidenceItems(passed), { by: values.by, stack: values.stack }));
    }
    return passed ? 0 : 1;
}
