// The errors module alone, not the whole SDK: files that never load Pulumi should not pay for it here.
import { ResourceError, RunError } from "@pulumi/pulumi/errors";

/**
 * Vitest reports an unhandled error by walking every property it can reach. A Pulumi `ResourceError` holds its
 * resource, and through it the program's whole resource graph: walking that took so long (for each of the
 * dozens of errors one bad Output raises) that a faulty component hung the suite instead of failing it.
 * Errors with `toJSON` are reported through it, so these report their name, message and stack only.
 */
for (const errorClass of [ResourceError, RunError]) {
    Object.defineProperty(errorClass.prototype, "toJSON", {
        configurable: true,
        value(this: Error) {
            return { name: this.name, message: this.message, stack: this.stack };
        },
    });
}
