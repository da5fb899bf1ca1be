/**
 * The one exit-code map of every command (README, "Exit codes"). A command returns one of these; the process
 * wrapper (`cli/process.ts`) turns any error it did not expect into `unusable`.
 */
export const exitCodes = {
    /** Every gate and check passed (or the report was written). */
    passed: 0,
    /** A gate or check failed: the deployment is blocked, or a validation saw a wrong answer. */
    failed: 1,
    /** Usage error, bad config, missing or unreadable stack file, or the command could not run. */
    unusable: 2,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
