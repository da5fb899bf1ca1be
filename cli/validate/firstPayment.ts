import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import Stripe from "stripe";
import { revenueActivatedAtOutput } from "../../components/revenue/outputs.js";
import { modeOfApiKey, pinnedClientApiVersion, type StripeApiBase } from "../../components/stripe/endpointProvider.js";
import { userinfoProblem, withoutUserinfo } from "../../components/urls/index.js";
import { readStackFile } from "../plan/stackFile.js";
import { type BodyTooLargeError, boundedFetch, stripeAnswerLimitBytes } from "../../components/shared/boundedFetch.js";
import { checkFirstPayment } from "./firstPaymentCheck.js";
import { firstPaymentReport } from "./firstPaymentReport.js";
import { processStackAccess, stackOutputOf, type StackAccess } from "./stackAccess.js";

/** The stack output the revenue activation records, read when no time is given. */
export const activationOutputName = revenueActivatedAtOutput;
/** Where the time may be given instead: `--since`, or this environment variable. */
export const activationEnvName = "REVENUE_ACTIVATED_AT";
export const stripeKeyEnvName = "STRIPE_SECRET_KEY";
const stripeKeyConfig = "vauntico:stripeSecretKey";

export interface FirstPaymentDeps extends StackAccess {
    /** `pulumi stack output NAME`; undefined when the CLI, the stack or the output is not there. */
    stackOutput(stack: string, name: string): Promise<string | undefined>;
    /** Stripe API location; only tests set it (a local double). */
    apiBase?: StripeApiBase;
}

export function defaultDeps(): FirstPaymentDeps {
    return { ...processStackAccess(), stackOutput: (stack, name) => stackOutputOf(stack, name) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `vauntico:payments.stripe.webhookUrl` from the stack file. */
export function stackWebhookUrl(projectDir: string, stack: string): string | undefined {
    const text = readStackFile(projectDir, stack).config["vauntico:payments"];
    if (text === undefined) return undefined;
    const payments: unknown = JSON.parse(text);
    const stripe = isRecord(payments) ? payments["stripe"] : undefined;
    return isRecord(stripe) && typeof stripe["webhookUrl"] === "string" ? stripe["webhookUrl"] : undefined;
}

function parseTime(text: string): Date | undefined {
    const time = new Date(text);
    return Number.isNaN(time.getTime()) ? undefined : time;
}

export const firstPaymentOptions = {
    stack: { type: "string", default: "prod" },
    since: { type: "string" },
    url: { type: "string" },
} satisfies ParseArgsOptionsConfig;

/**
 * `npm run validate -- first-payment [--stack prod] [--since ISO-TIME] [--url URL]`: exit 0 when the first live
 * payment since revenue activation had its event delivered, 1 when not, 2 when the check could not run.
 */
export async function firstPaymentCommand(argv: string[], deps: FirstPaymentDeps = defaultDeps()): Promise<number> {
    const { values } = parseArgs({
        args: argv,
        options: firstPaymentOptions,
        strict: true,
    });
    const stack = values.stack;
    const usage = (message: string): number => {
        deps.stderr(`validate first-payment: ${message}\n`);
        return 2;
    };

    const sinceText = values.since ?? deps.env[activationEnvName] ?? (await deps.stackOutput(stack, activationOutputName));
    if (sinceText === undefined) {
        return usage(
            `no revenue activation time: pass --since ISO-TIME, set ${activationEnvName}, or run where \`pulumi stack output ${activationOutputName} --stack ${stack}\` answers`,
        );
    }
    const since = parseTime(sinceText);
    if (!since) return usage(`activation time ${JSON.stringify(sinceText)} is not a date; expected ISO 8601 such as 2026-11-20T09:00:00Z`);

    let webhookUrl = values.url;
    if (webhookUrl === undefined) {
        try {
            webhookUrl = stackWebhookUrl(deps.projectDir, stack);
        } catch (error) {
            return usage(error instanceof Error ? error.message : String(error));
        }
    }
    if (webhookUrl === undefined) return usage(`stack ${stack} has no vauntico:payments.stripe.webhookUrl; pass --url URL`);
    const userinfo = userinfoProblem(webhookUrl);
    if (userinfo !== undefined) {
        const where = values.url !== undefined ? "--url" : `vauntico:payments.stripe.webhookUrl of stack ${stack}`;
        return usage(`${where} ${JSON.stringify(withoutUserinfo(webhookUrl))} ${userinfo}`);
    }

    const apiKey = deps.env[stripeKeyEnvName] || (await deps.configValue(stack, stripeKeyConfig));
    if (apiKey === undefined || apiKey === "") {
        return usage(
            `no Stripe key: set ${stripeKeyEnvName} (the stack's key, as delivered to the production environment) or run where \`pulumi config get ${stripeKeyConfig}\` answers`,
        );
    }

    let cut: BodyTooLargeError | undefined;
    const stripe = new Stripe(apiKey, {
        apiVersion: pinnedClientApiVersion,
        maxNetworkRetries: 2,
        telemetry: false,
        httpClient: Stripe.createFetchHttpClient(
            boundedFetch(stripeAnswerLimitBytes, (error) => {
                cut = error;
            }),
        ),
        ...deps.apiBase,
    });
    try {
        const result = await checkFirstPayment({ stripe, keyMode: modeOfApiKey(apiKey), since, webhookUrl });
        deps.stdout(firstPaymentReport(result, stack));
        return result.passed ? 0 : 1;
    } catch (error) {
        // Stripe's own messages mask keys; nothing else here holds one.
        const message = error instanceof Stripe.errors.StripeError ? `${error.type}: ${error.message}` : error instanceof Error ? error.message : String(error);
        if (cut !== undefined) return usage(`Stripe API: ${message} (${cut.message})`);
        return usage(`Stripe API: ${message}`);
    }
}
