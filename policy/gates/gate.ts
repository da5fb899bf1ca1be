import type { EnforcementLevel, Severity, ResourceValidation, StackValidation } from "@pulumi/policy";
import { type CriticalBlockerCategory, type GateId, type PhaseNumber, type TeamName, phaseByNumber } from "../protocol/index.js";
import type { GateContext } from "./context.js";

/** What the protocol says about a gate: where it sits and what a violation blocks. */
export interface GateMetadata {
    id: GateId;
    /** One sentence: what the gate checks. */
    description: string;
    phase: PhaseNumber;
    /** The protocol criterion or responsibility (verbatim) the gate checks. */
    criterion: string;
    /** The team that owns the phase and must fix a violation. */
    owner: TeamName;
    /** The protocol artifact a violation blocks. */
    artifact: string;
    severity: Severity;
    /** The protocol's critical blocker category a violation falls under. */
    blockerCategory: CriticalBlockerCategory;
    /** Mandatory at every phase, not only from its own (live payment keys, a declared phase). */
    alwaysMandatory?: boolean;
}

export interface ResourceGate extends GateMetadata {
    kind: "resource";
    validateResource(context: GateContext): ResourceValidation;
}

export interface StackGate extends GateMetadata {
    kind: "stack";
    validateStack(context: GateContext): StackValidation;
}

export type Gate = ResourceGate | StackGate;

/** The protocol's rule: gates of the stack's phase and earlier ones are mandatory, later ones advisory. */
export function enforcementFor(gate: GateMetadata, context: GateContext): Extract<EnforcementLevel, "mandatory" | "advisory"> {
    return gate.alwaysMandatory === true || gate.phase <= context.phase ? "mandatory" : "advisory";
}

/** A violation message that names the phase, the criterion, the owning team, the blocked artifact and the fix. */
export function violationMessage(gate: GateMetadata, problem: string, fix: string): string {
    const phase = phaseByNumber(gate.phase);
    return (
        `[${gate.id}] phase ${gate.phase} (${phase.name}), criterion "${gate.criterion}", owner ${gate.owner}: ${problem}. ` +
        `Blocks artifact "${gate.artifact}". To fix: ${fix}.`
    );
}

/** The problem and the fix of a `violationMessage` (its inverse); another message is all problem. */
export function messageParts(message: string): { problem: string; fix: string } {
    const match = /^\[[^\]]+\] [^:]*?owner \w+: ([\s\S]*?)\. Blocks artifact "[^"]*"\. To fix: ([\s\S]*?)\.?$/.exec(message);
    return match?.[1] !== undefined && match[2] !== undefined ? { problem: match[1], fix: match[2] } : { problem: message, fix: "see the message" };
}
