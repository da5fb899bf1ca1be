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
/**
 * The stack gate that reports "no X in the stack" for a resource gate (which has nothing to say when its
 * subject is absent): same phase, criterion, owner, artifact, severity and blocker category as its partner.
 */
export function presenceGate(partner: GateMetadata, twin: Pick<GateMetadata, "id" | "description">, rule: (context: GateContext) => PresenceRule): StackGate {
    const { phase, criterion, owner, artifact, severity, blockerCategory } = partner;
    const gate: StackGate = {
        phase,
        criterion,
        owner,
        artifact,
        severity,
        blockerCategory,
        ...twin,
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
