import { gunzipSync } from "node:zlib";
import type { PolicyResource } from "@pulumi/policy";
import {
    type GateFacts,
    type GateId,
    type LedgerRecord,
    type LedgerState,
    type TeamRoster,
    componentTypes,
    ledgerState,
    parseLedgerEntry,
    phaseByNumber,
    phasePrerequisites,
} from "../protocol/index.js";
import type { GateContext } from "./context.js";
import { waiversConfigKey } from "./context.js";
import { type StackGate, violationMessage } from "./gate.js";
import { isRecord, parseJson, recordOf, recordsOf, stringOf } from "./read.js";

/** The ledger the program carried into the stack (`vauntico:protocol:HandoffLedger`). */
export interface CarriedLedger {
    resource: PolicyResource;
    stack: string;
    records: LedgerRecord[];
    evidence: Record<string, string | null>;
}

/** The last carrier text read and what it held: both ledger gates read the same carrier in one `AnalyzeStack`. */
let lastRead: { text: string; records: LedgerRecord[]; evidence: Record<string, string | null> } | undefined;

function readCarried(text: string): { records: LedgerRecord[]; evidence: Record<string, string | null> } {
    if (lastRead?.text === text) return lastRead;
    let json: string | undefined;
    try {
        json = gunzipSync(Buffer.from(text, "base64")).toString("utf8");
    } catch {
        json = undefined;
    }
    const parsed = recordOf(parseJson(json));
    const records = recordsOf(parsed["records"]).flatMap((record, index) => {
        const file = stringOf(record["file"]) ?? "(carried ledger)";
        const entry = parseLedgerEntry(record["entry"], file, index).entry;
        return entry ? [{ file, entry }] : [];
    });
    const evidence: Record<string, string | null> = {};
    for (const [path, hash] of Object.entries(recordOf(parsed["evidence"]))) evidence[path] = typeof hash === "string" ? hash : null;
    lastRead = { text, records, evidence };
    return lastRead;
}

export function carriedLedgers(resources: readonly PolicyResource[]): CarriedLedger[] {
    return resources
        .filter((r) => r.type === componentTypes.handoffLedger)
        .map((resource) => {
            const props = recordOf(resource.props);
            const { records, evidence } = readCarried(stringOf(props["ledger"]) ?? "{}");
            return { resource, stack: stringOf(props["stack"]) ?? "", records, evidence };
        });
}

/** What the ledger rules ask about the gate a waiver names (the registry answers; it lists these gates too). */
export type GateFactsLookup = (id: GateId) => GateFacts | undefined;

/** The ledger's state as the gates judge it: the config's teams, the context's clock, the carried evidence hashes. */
export function judgedLedger(ledger: CarriedLedger, teams: TeamRoster, now: number, facts: GateFactsLookup): LedgerState {
    return ledgerState(ledger.records, {
        teams,
        now,
        evidence: ledger.evidence,
        gate: facts,
    });
}

const signCommand = "npm run handoff -- sign <item-id> --by LOGIN --evidence URL|PATH";

/** Runs `judge` on each carried ledger, or reports why the ledger cannot be judged. */
function eachLedger(
    gate: StackGate,
    context: GateContext,
    resources: readonly PolicyResource[],
    report: (message: string, urn?: string) => void,
    judge: (ledger: CarriedLedger, teams: TeamRoster) => void,
): void {
    const ledgers = carriedLedgers(resources);
    if (ledgers.length === 0) {
        // A stack whose config names the teams is governed by the ledger; the program always carries it.
        if (context.teams !== null) {
            report(
                violationMessage(
                    gate,
                    `the stack carries no handoff ledger (${componentTypes.handoffLedger}) although vauntico:teams is set`,
                    "run the program, which reads handoff/<stack>/ and carries it into the stack",
                ),
            );
        }
        return;
    }
    for (const ledger of ledgers) {
        if (context.teams === null) {
            report(
                violationMessage(
                    gate,
                    "vauntico:teams is not set, so no ledger entry can be judged",
                    "set vauntico:teams (each team's slug, lead and members)",
                ),
                ledger.resource.urn,
            );
            continue;
        }
        judge(ledger, context.teams);
    }
}

/**
 * The declared phase is the ledger's phase, and the ledger reached it legitimately: every phase below it
 * accepted by its receiving team, every manual item of those phases signed off by its owner. (Those phases'
 * automated gates are mandatory at any later phase, so "passes or is waived" is what they already enforce.)
 */
function canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (isRecord(value))
        return `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
            .join(",")}}`;
    return JSON.stringify(value) ?? "null";
}

export function ledgerGates(facts: GateFactsLookup): readonly [StackGate, StackGate] {
    const handoffLedgerPhase: StackGate = {
        kind: "stack",
        id: "handoff-ledger-phase",
        description: "vauntico:phase is the handoff ledger's phase, and every earlier phase was accepted with all its manual items signed off.",
        phase: 1,
        criterion: "Verify all merge requirements are satisfied",
        owner: "Kilo",
        artifact: "Deployment status report template",
        severity: "critical",
        blockerCategory: "Compliance violations",
        alwaysMandatory: true,
        validateStack: (context) => (args, reportViolation) => {
            eachLedger(handoffLedgerPhase, context, args.resources, reportViolation, (ledger, teams) => {
                const state = judgedLedger(ledger, teams, context.now, facts);
                const urn = ledger.resource.urn;
                if (context.declaredPhase !== null && context.declaredPhase !== state.phase) {
                    const reached = state.lastMove ? `phase-move ${state.lastMove.id} (${state.lastMove.from} → ${state.lastMove.to})` : "no phase-move entry";
                    reportViolation(
                        violationMessage(
                            handoffLedgerPhase,
                            `vauntico:phase is ${context.declaredPhase} but the handoff ledger's phase is ${state.phase} (${reached}); no phase-move entry takes the stack to ${context.declaredPhase}`,
                            `move the phase through the ledger (\`npm run handoff -- advance --by LOGIN\` or \`rollback\`, which also set vauntico:phase), or set vauntico:phase back to ${state.phase}`,
                        ),
                        urn,
                    );
                }
                for (const missing of phasePrerequisites(state, state.phase)) {
                    const move = [...state.moves].reverse().find((m) => m.from === missing.phase && m.to === missing.phase + 1);
                    const handedTo = phaseByNumber(missing.phase).handedTo;
                    const gaps = [
                        ...(missing.accepted ? [] : [`phase ${missing.phase} is not accepted by ${handedTo}`]),
                        ...missing.unsigned.map((item) => `${item.id} is not signed off by ${item.owner}`),
                    ];
                    reportViolation(
                        violationMessage(
                            handoffLedgerPhase,
                            `${move ? `phase-move ${move.id}` : "the ledger"} took the stack past phase ${missing.phase} but ${gaps.join("; ")}`,
                            `sign the open items (\`${signCommand}\`) and accept the phase (\`npm run handoff -- accept ${missing.phase} --by LOGIN --score 1-5\`), or roll back`,
                        ),
                        urn,
                    );
                }
            });
        },
    };

    /**
     * Every ledger entry follows the rules: sign-offs by the item's owner team with intact evidence, acceptances
     * by the receiving team (with the meeting of a critical phase), waivers approved by the other team within
     * their limits, phase moves one step forward or rolled back with a second person; and the waiver mirror in
     * the config is the ledger's waivers exactly.
     */
    const handoffLedgerEntries: StackGate = {
        kind: "stack",
        id: "handoff-ledger-entries",
        description: "Every handoff ledger entry is made by someone entitled to it, with intact evidence, and vauntico:waivers mirrors the ledger's waivers.",
        phase: 1,
        criterion: "Verify all merge requirements are satisfied",
        owner: "Kilo",
        artifact: "Deployment status report template",
        severity: "critical",
        blockerCategory: "Compliance violations",
        alwaysMandatory: true,
        validateStack: (context) => (args, reportViolation) => {
            eachLedger(handoffLedgerEntries, context, args.resources, reportViolation, (ledger, teams) => {
                const state = judgedLedger(ledger, teams, context.now, facts);
                const urn = ledger.resource.urn;
                for (const finding of state.findings) {
                    reportViolation(
                        violationMessage(
                            handoffLedgerEntries,
                            `${finding.file}: entry ${finding.entry}: ${finding.problem}`,
                            `valid would be ${finding.valid}; the ledger is append-only, so record a new entry that supersedes it`,
                        ),
                        urn,
                    );
                }
                const mirrored = new Map(context.waivers.map((w) => [w.entry.id, canonical(w.entry)]));
                const ledgerWaivers = state.waivers.map((w) => w.record.entry);
                for (const waiver of ledgerWaivers) {
                    const mirror = mirrored.get(waiver.id);
                    if (mirror === undefined || mirror !== canonical(waiver)) {
                        reportViolation(
                            violationMessage(
                                handoffLedgerEntries,
                                `waiver ${waiver.id} of the ledger is ${mirror === undefined ? "missing from" : "different in"} ${waiversConfigKey}, so the pack cannot honour it as recorded`,
                                `copy the entry into ${waiversConfigKey} unchanged (\`npm run handoff -- waive\` writes both)`,
                            ),
                            urn,
                        );
                    }
                }
                const inLedger = new Set(ledgerWaivers.map((w) => w.id));
                for (const waiver of context.waivers) {
                    if (!inLedger.has(waiver.entry.id)) {
                        reportViolation(
                            violationMessage(
                                handoffLedgerEntries,
                                `${waiversConfigKey} holds waiver ${waiver.entry.id}, which the ledger does not record`,
                                `remove it from ${waiversConfigKey}, or record it with \`npm run handoff -- waive\``,
                            ),
                            urn,
                        );
                    }
                }
            });
        },
    };

    return [handoffLedgerPhase, handoffLedgerEntries];
}
