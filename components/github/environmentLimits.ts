import { repeatedIndexes } from "../shared/index.js";

/*
 * GitHub's limits on one deployment environment, checked before anything is created (GitHub would refuse the
 * 101st secret halfway through an update):
 * - "You can store up to 1,000 organization secrets, 100 repository secrets, and 100 environment secrets.
 *   Secrets are limited to 48 KB in size." (https://docs.github.com/en/actions/reference/secrets-reference#limits-for-secrets)
 * - "You can store up to 1,000 organization variables, 500 variables per repository, and 100 variables per
 *   environment. Individual variables are limited to 48 KB in size."
 *   (https://docs.github.com/en/actions/reference/variables-reference#limits-for-configuration-variables)
 * - Required reviewers: "You can list up to six users or teams as reviewers."
 *   (https://docs.github.com/en/actions/managing-workflow-deployments/managing-environments-for-deployment#required-reviewers)
 * - Names: letters, digits and underscores, not starting with a digit or GITHUB_; GitHub stores secret names
 *   upper-cased, so names compare case-insensitively. Logins and team slugs compare case-insensitively too.
 */
export const maxEnvironmentSecrets = 100;
export const maxEnvironmentVariables = 100;
/** 48 KB, in bytes of the UTF-8 value. */
export const maxEnvironmentValueBytes = 48 * 1024;
export const maxEnvironmentReviewers = 6;
/** Secret and variable names: letters, digits and underscores, not starting with a digit or GITHUB_ (upper case by house rule). */
export const environmentValueNamePattern = /^(?!GITHUB_)[A-Z_][A-Z0-9_]*$/;

/** The size GitHub counts for a secret or variable value. */
export function valueBytes(value: string): number {
    return Buffer.byteLength(value, "utf8");
}

/** Reviewers listed twice in the same list (case-insensitively), as `teams[i]`/`users[i]` with the index they repeat. */
export function repeatedReviewers(reviewers: {
    teams: readonly string[];
    users: readonly string[];
}): { list: "teams" | "users"; index: number; first: number }[] {
    return (["teams", "users"] as const).flatMap((list) =>
        repeatedIndexes(reviewers[list], (name) => name.toLowerCase()).map((repeat) => ({ list, ...repeat })),
    );
}

/** Secret names delivered more than once to one environment (GitHub stores names upper-cased). */
export function repeatedSecretNames(names: readonly string[]): { index: number; first: number }[] {
    return repeatedIndexes(names, (name) => name.toUpperCase());
}
