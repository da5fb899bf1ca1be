import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { deliveredSecretNames, type PaymentMode } from "../../policy/protocol/contract.js";
import type { SecretDeliveryTarget } from "../stripe/index.js";
import { publicWebhookUrlProblem, refusedUrl } from "../urls/index.js";

/**
 * Paystack has no API for webhook URLs (its OpenAPI description has no webhook path): the URL is entered in
 * the Paystack dashboard, once for test and once for live. So this is a criterion a person checks.
 */
export const paystackWebhookManualCriterion = "webhook URL set in the Paystack dashboard (test and live)";

export interface PaystackWebhookArgs {
    /** The https URL Paystack must post events to: the value to enter in the dashboard. */
    webhookUrl: pulumi.Input<string>;
    /** Paystack secret key (`sk_test_…`/`sk_live_…`), also the webhook signing key; always a Pulumi secret. */
    secretKey: pulumi.Input<string>;
    /** The stack's payment mode; the key's prefix must match it. */
    mode: pulumi.Input<PaymentMode>;
    /** Deliver PAYSTACK_SECRET_KEY to this GitHub environment. Default: not delivered. */
    delivery?: SecretDeliveryTarget;
}

/** The GitHub environment secrets the component delivers when given a delivery target. */
export const paystackDeliveredSecretNames = [deliveredSecretNames.paystackSecretKey] as const;

/** The payment mode of a Paystack secret key, or undefined when it is none. */
export function modeOfPaystackKey(secretKey: string): PaymentMode | undefined {
    const match = /^sk_(test|live)_[A-Za-z0-9]+$/.exec(secretKey);
    if (!match) return undefined;
    return match[1] === "live" ? "live" : "test";
}

/** Why the key does not fit the mode, or undefined when it does. Never includes the key. */
export function paystackKeyProblem(secretKey: string, mode: PaymentMode): string | undefined {
    const keyMode = modeOfPaystackKey(secretKey);
    if (keyMode === undefined) return "secretKey: not a Paystack secret key; expected sk_test_… or sk_live_…";
    return keyMode === mode ? undefined : `secretKey: a ${keyMode}-mode key was given but the payment mode is "${mode}"`;
}

/** Why Paystack could not deliver to the URL (see `publicWebhookUrlProblem`), or undefined; the URL shown without userinfo. */
export function paystackUrlProblem(url: string): string | undefined {
    return refusedUrl("webhookUrl", url, publicWebhookUrlProblem);
}

/** What the person doing the manual check must do, for the reports. */
export function paystackDashboardInstruction(webhookUrl: string, mode: PaymentMode): string {
    return `In the Paystack dashboard (Settings → API Keys & Webhooks), set the ${mode} webhook URL to ${webhookUrl}.`;
}

function modeProblem(mode: unknown): string | undefined {
    return mode === "test" || mode === "live" ? undefined : `mode: ${JSON.stringify(mode)} given; expected "test" or "live"`;
}

/**
 * The Paystack side of payments: holds the secret key, delivers it to the application's environment, and
 * states the webhook URL the Paystack dashboard must hold, with the manual criterion that checks it.
 */
export class PaystackWebhook extends pulumi.ComponentResource {
    public static readonly type = "vauntico:paystack:Webhook";

    /** The URL the Paystack dashboard must hold. */
    public readonly webhookUrl: pulumi.Output<string>;
    public readonly mode: pulumi.Output<PaymentMode>;
    /** The secret key, a Pulumi secret. */
    public readonly secretKey: pulumi.Output<string>;
    /** The protocol's manual criterion this component leaves open. */
    public readonly manualCriterion = paystackWebhookManualCriterion;
    /** GitHub environment secret names delivered. */
    public readonly deliveredSecretNames: string[] = [];

    constructor(name: string, args: PaystackWebhookArgs, opts?: pulumi.ComponentResourceOptions) {
        super(PaystackWebhook.type, name, {}, opts);

        const problems = [
            typeof args.webhookUrl === "string" ? paystackUrlProblem(args.webhookUrl) : undefined,
            typeof args.mode === "string" ? modeProblem(args.mode) : undefined,
            typeof args.secretKey === "string" && (args.mode === "test" || args.mode === "live") ? paystackKeyProblem(args.secretKey, args.mode) : undefined,
        ].filter((p): p is string => p !== undefined);
        if (problems.length > 0) throw new pulumi.ResourceError(`Invalid Paystack webhook "${name}": ${problems.join("; ")}`, this);

        const fail = (problem: string | undefined): void => {
            if (problem) throw new pulumi.ResourceError(problem, this);
        };
        this.mode = pulumi.output(args.mode).apply((mode) => {
            fail(modeProblem(mode));
            return mode;
        });
        this.webhookUrl = pulumi.output(args.webhookUrl).apply((url) => {
            fail(paystackUrlProblem(url));
            return url;
        });
        this.secretKey = pulumi.all([pulumi.secret(args.secretKey), this.mode]).apply(([key, mode]) => {
            fail(paystackKeyProblem(key, mode));
            return key;
        });

        if (args.delivery) {
            new github.ActionsEnvironmentSecret(
                `${name}-secret-key`,
                {
                    repository: args.delivery.repository,
                    environment: args.delivery.environment,
                    secretName: paystackDeliveredSecretNames[0],
                    plaintextValue: pulumi.secret(this.secretKey),
                },
                { parent: this },
            );
            this.deliveredSecretNames.push(...paystackDeliveredSecretNames);
        }

        this.registerOutputs({ webhookUrl: this.webhookUrl, mode: this.mode });
    }
}
