/**
 * The credentials the stack takes, which settings need which, and how a user sets each. Imports nothing, so
 * the stack file reader (`cli/plan/stackFile.ts`, loaded before anything heavy) and the config schema share it.
 */

/** Credentials: accepted only as Pulumi secrets (`pulumi config set --secret`), never printed. */
export const credentialKeys = [
    "vauntico:stripeSecretKey",
    "vauntico:paystackSecretKey",
    "vauntico:slackWebhookUrl",
    "github:token",
    "grafana:auth",
    "grafana:oncallAccessToken",
    "sentry:token",
] as const;
export type CredentialKey = (typeof credentialKeys)[number];

/** What each credential looks like, for the command that sets it. */
const examples: Record<CredentialKey, string> = {
    "vauntico:stripeSecretKey": "sk_test_…",
    "vauntico:paystackSecretKey": "sk_test_…",
    "vauntico:slackWebhookUrl": "https://hooks.slack.com/services/…",
    "github:token": "ghp_…",
    "grafana:auth": "glsa_…",
    "grafana:oncallAccessToken": "<Grafana IRM API token>",
    "sentry:token": "sntrys_…",
};

/** Environment variables a provider reads when its config key is unset (the github provider reads GITHUB_TOKEN). */
export const credentialEnvironment: Partial<Record<CredentialKey, string>> = { "github:token": "GITHUB_TOKEN" };

/** The command that sets a credential, with the environment variable that may stand in for it. */
export function setCredentialCommand(key: CredentialKey): string {
    const variable = credentialEnvironment[key];
    return `\`pulumi config set --secret ${key} ${examples[key]}\`${variable === undefined ? "" : ` (or export ${variable})`}`;
}

export interface NeededCredential {
    key: CredentialKey;
    /** The setting that needs it. */
    neededBy: string;
}

function hasObjectKey(json: string | undefined, key: string): boolean {
    if (json === undefined) return false;
    try {
        const value: unknown = JSON.parse(json);
        return typeof value === "object" && value !== null && key in value;
    } catch {
        return false;
    }
}

/** The credentials a stack's settings need (raw config: every value a string, structured values as JSON). */
export function neededCredentials(raw: Readonly<Record<string, string>>): NeededCredential[] {
    const needed: NeededCredential[] = [{ key: "github:token", neededBy: "the github provider (every stack)" }];
    const payments = raw["vauntico:payments"];
    if (hasObjectKey(payments, "stripe")) needed.push({ key: "vauntico:stripeSecretKey", neededBy: "vauntico:payments.stripe" });
    if (hasObjectKey(payments, "paystack")) needed.push({ key: "vauntico:paystackSecretKey", neededBy: "vauntico:payments.paystack" });
    if (raw["vauntico:monitoring"] !== undefined) {
        needed.push(
            { key: "grafana:auth", neededBy: "vauntico:monitoring (the grafana provider)" },
            { key: "grafana:oncallAccessToken", neededBy: "vauntico:monitoring.alerting.escalation (Grafana IRM)" },
            { key: "vauntico:slackWebhookUrl", neededBy: "vauntico:monitoring (alert notifications)" },
        );
    }
    if (raw["vauntico:sentry"] !== undefined) needed.push({ key: "sentry:token", neededBy: "vauntico:sentry (the sentry provider)" });
    return needed;
}
