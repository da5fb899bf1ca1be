import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { type GateFacts, type GateId, gateIds } from "../protocol/index.js";
import type { GateContext } from "./context.js";
import { type Gate, enforcementFor } from "./gate.js";
import { phase1Gates } from "./phase1.js";
import { phase2Gates } from "./phase2.js";
import { phase3Gates } from "./phase3.js";
import { phase4Gates } from "./phase4.js";
import { phase5Gates } from "./phase5.js";
import { handoffPhaseDeclared } from "./phaseDeclared.js";
import { ledgerGates } from "./ledger.js";
import { withWaivers } from "./waivers.js";

/** Every gate, in phase order: the one list the pack is assembled from. */
export const gates: readonly Gate[] = [
    handoffPhaseDeclared,
    ...ledgerGates(gateFacts),
    ...phase1Gates,
    ...phase2Gates,
    ...phase3Gates,
    ...phase4Gates,
    ...phase5Gates,
];

/** What the ledger rules need to know about a gate a waiver names; undefined for an id no gate has. */
export function gateFacts(id: GateId): GateFacts | undefined {
    const gate = gates.find((g) => g.id === id);
    return gate ? { owner: gate.owner, blockerCategory: gate.blockerCategory } : undefined;
}

export function gateById(id: GateId): Gate {
    const gate = gates.find((g) => g.id === id);
    if (!gate) throw new Error(`no gate ${id} in the registry`);
    return gate;
}

/** Every gate id the protocol names has a gate, and no gate is unnamed: checked at assembly. */
function assertRegistryMatchesProtocol(): void {
    const registered = gates.map((g) => g.id).sort();
    const named = [...gateIds].sort();
    if (registered.join(",") !== named.join(",")) {
        throw new Error(`gate registry (${registered.join(", ")}) differs from the protocol's gate ids (${named.join(", ")})`);
    }
}

/** One CrossGuard policy per gate, its enforcement level set from the stack's phase (waivers: see waivers.ts). */
export function policyFor(gate: Gate, context: GateContext): ResourceValidationPolicy | StackValidationPolicy {
    const common: Policy = {
        name: gate.id,
        description: gate.description,
        enforcementLevel: enforcementFor(gate, context),
        severity: gate.severity,
    };
    return gate.kind === "resource"
        ? { ...common, validateResource: gate.validateResource(context) }
        : { ...common, validateStack: gate.validateStack(context) };
}

export function assemblePolicies(context: GateContext): (ResourceValidationPolicy | StackValidationPolicy)[] {
    assertRegistryMatchesProtocol();
    return gates.flatMap((gate) => withWaivers(gate, policyFor(gate, context), context, gateFacts));
}
