import { execFile } from "node:child_process";
import { IncomingWebhook } from "@slack/webhook";
import { UsageError } from "./github.js";

/** Sends one message to the stack's Slack webhook. */
export type SlackSender = (text: string) => Promise<void>;

/**
 * The webhook URL: `SLACK_WEBHOOK_URL`, else the stack's `vauntico:slackWebhookUrl` decrypted by the Pulumi
 * CLI (`pulumi config get`, as in CI where the stack's secrets provider is reachable). Never printed.
 */
export async function slackWebhookUrl(stack: string, env: NodeJS.ProcessEnv = process.env, pulumiConfigGet = pulumiConfigValue): Promise<string> {
    const fromEnv = env["SLACK_WEBHOOK_URL"];
    const url = fromEnv !== undefined && fromEnv !== "" ? fromEnv : await pulumiConfigGet(stack, "vauntico:slackWebhookUrl");
    if (url === undefined || url === "") {
        throw new UsageError(
            `no Slack webhook: set SLACK_WEBHOOK_URL, or vauntico:slackWebhookUrl on stack ${stack} (pulumi config set --secret vauntico:slackWebhookUrl https://hooks.slack.com/services/…) with the Pulumi CLI logged in`,
        );
    }
    if (!/^https?:\/\//.test(url)) throw new UsageError("Slack webhook URL: expected an http(s) URL (value not shown: it is a credential)");
    return url;
}

/** A config value through the Pulumi CLI; undefined when the CLI, the stack or the key is not there. */
export function pulumiConfigValue(stack: string, key: string): Promise<string | undefined> {
    return new Promise((resolve) => {
        execFile("pulumi", ["config", "get", key, "--stack", stack], { timeout: 60_000, windowsHide: true }, (error, stdout) => {
            resolve(error ? undefined : stdout.trim());
        });
    });
}

export interface SlackOptions {
    /** Retries of a 5xx or dropped connection (default 2). */
    retries?: number;
    /** First retry wait in ms (default 1000). */
    minRetryMs?: number;
}

/** `@slack/webhook` with errors that never carry the URL (a credential). */
export function slackSender(url: string, options: SlackOptions = {}): SlackSender {
    const webhook = new IncomingWebhook(url, {
        timeout: 30_000,
        retryConfig: { retries: options.retries ?? 2, minTimeout: options.minRetryMs ?? 1000, maxTimeout: 10_000 },
    });
    return async (text) => {
        try {
            await webhook.send({ text });
        } catch (error) {
            const status = typeof error === "object" && error !== null && "statusCode" in error ? ` (HTTP ${String(error.statusCode)})` : "";
            throw new Error(`Slack webhook: the message was not delivered${status}`);
        }
    };
}
