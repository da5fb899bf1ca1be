import type { PolicyResource } from "@pulumi/policy";
import type { GateContext } from "./context.js";
import { type GateMetadata, type StackGate, violationMessage } from "./gate.js";

export interface PresenceRule {
    /** What must exist, for the message: `branch protection for main`. */
    what: string;
    found(resource: PolicyResource): boolean;
    fix: string;
}

/**
 * A resource gate checks each resource it is given and so passes on a stack that has none; its presence
 * twin turns "nothing to check" into a violation.
 */
export function presenceGate(metadata: GateMetadata, rule: (context: GateContext) => PresenceRule): StackGate {
    const gate: StackGate = {
        ...metadata,
        kind: "stack",
        validateStack: (context) => {
            const { what, found, fix } = rule(context);
            return (args, reportViolation) => {
                if (!args.resources.some(found)) reportViolation(violationMessage(gate, `no ${what} in the stack`, fix));
            };
        },
    };
    return gate;
}
