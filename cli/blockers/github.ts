import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";

type ThrottlingOptionsBase = Omit<
    Extract<NonNullable<ConstructorParameters<typeof Octokit>[0]>["throttle"], { onRateLimit: unknown }>,
    "onRateLimit" | "onSecondaryRateLimit"
>;

const ThrottledOctokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof ThrottledOctokit>;

export const defaultApiUrl = "https://api.github.com";

/** How often a rate-limited request is tried again before the command gives up. */
const rateLimitRetries = 3;

export interface GitHubClientOptions {
    token: string;
    /** `GITHUB_API_URL` in GitHub Actions; default the public API. */
    baseUrl?: string;
    /** Tests only: shorter waits (the throttling plugin's spacing of writes and of notifying writes, its retry-after unit). */
    throttle?: Pick<ThrottlingOptionsBase, "write" | "notifications" | "retryAfterBaseValue">;
    /** Tests only: the retry plugin's base wait in ms (default 1000). */
    retryAfterBaseValue?: number;
    /** Where the plugins' warnings go (default stderr). */
    warn?: (message: string) => void;
}

/**
 * Octokit with the throttling plugin (GitHub's write spacing; primary and secondary rate limits waited out as
 * `retry-after` says) and the retry plugin (5xx and dropped connections tried again).
 */
export function githubClient(options: GitHubClientOptions): GitHubClient {
    const warn = options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
    // The plugin retries when the handler returns true (its type says void).
    const onLimit =
        (kind: string) =>
        (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
            warn(`GitHub ${kind} rate limit on ${request.method} ${request.url}: retrying after ${retryAfter} s`);
            return retryCount < rateLimitRetries;
        };
    return new ThrottledOctokit({
        auth: options.token,
        baseUrl: (options.baseUrl ?? defaultApiUrl).replace(/\/+$/, ""),
        userAgent: "vauntico-deploy-blockers",
        log: { debug: () => undefined, info: () => undefined, warn, error: warn },
        throttle: { onRateLimit: onLimit("primary"), onSecondaryRateLimit: onLimit("secondary"), ...options.throttle },
        retry: options.retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue: options.retryAfterBaseValue },
    });
}

/** `owner/name` from `--repo`, or an error naming the flag. */
export function parseRepo(value: string): { owner: string; repo: string } {
    const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(value);
    if (!match?.[1] || !match[2]) throw new UsageError(`--repo: expected OWNER/NAME (e.g. vauntico/vauntico-deploy), got ${JSON.stringify(value)}`);
    return { owner: match[1], repo: match[2] };
}

/** A usage or configuration error: exit code 2. */
export class UsageError extends Error {
    override name = "UsageError";
}
