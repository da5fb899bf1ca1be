import type { GateId } from "./gateIds.js";
import type { PhaseNumber, TeamName } from "./teams.js";

/** Checked by machine: the gates that must all hold for the item to count as passed. */
export interface AutomatedCheck {
    kind: "automated";
    gates: readonly GateId[];
}

/**
 * A manual item's stable id, `p<phase>.<slug>`: what a sign-off in the handoff ledger names. Never reuse or
 * rename one: signed ledger entries refer to it.
 */
export type ManualItemId = `p${PhaseNumber}.${string}`;

/** No machine can check it: the team that confirms it, and how. It is reported open until confirmed. */
export interface ManualCheck {
    kind: "manual";
    id: ManualItemId;
    confirmedBy: TeamName;
    how: string;
}

export type Check = AutomatedCheck | ManualCheck;

/** A responsibility or a handoff criterion, worded as the protocol words it. */
export interface ProtocolItem {
    text: string;
    check: Check;
}

/** Where an artifact comes from. */
export type ArtifactSource =
    | { kind: "report"; command: string }
    | { kind: "stack"; gates: readonly GateId[] }
    | { kind: "manual"; id: ManualItemId; producedBy: TeamName; how: string };

export interface Artifact {
    name: string;
    source: ArtifactSource;
}

export interface Phase {
    number: PhaseNumber;
    name: string;
    objective: string;
    owner: TeamName;
    handedTo: TeamName;
    responsibilities: readonly ProtocolItem[];
    criteria: readonly ProtocolItem[];
    artifacts: readonly Artifact[];
    /** The Handoff Tracking Matrix's short wording of this phase's artifacts and validation criteria. */
    matrix: { name: string; keyArtifacts: readonly string[]; validationCriteria: readonly string[] };
    /** "Critical phases" need a formal handoff meeting; the others may hand off asynchronously. */
    formalMeeting: boolean;
}
