/**
 * Errors a command reports as one clean line (no stack trace) and exit code 2. Their messages never hold a
 * config value, so they are safe to print in CI logs.
 */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** A stack file (or Pulumi.yaml) that is missing, unreadable, not YAML, or cannot be handed to the pack. */
export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}
