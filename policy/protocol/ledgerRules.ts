import type { GateId } from "./gateIds.js";
import { type Acceptance, type LedgerRecord, type PhaseMove, type SignOff, type Waiver, isWaivable, isoTime, maximumWaiverDays } from "./ledger.js";
import { type ManualProtocolItem, manualProtocolItems, phaseByNumber } from "./lookup.js";
import { type PhaseNumber, type TeamName, phaseNumbers } from "./teams.js";

/** The logins of each team, as `vauntico:teams` lists them. */
export type TeamRoster = Readonly<Record<TeamName, { readonly lead: string; readonly members: readonly string[] }>>;

/** What the rules need to know about a gate (from the gate registry, which the protocol cannot import). */
export interface GateFacts {
    owner: TeamName;
    blockerCategory: string;
}

export interface LedgerContext {
    teams: TeamRoster;
    /** Milliseconds since the epoch: the one clock (see `handoffNow`). */
    now: number;
    /** Evidence file → its SHA-256 now (computed by the program), or null when the file is missing. */
    evidence: Readonly<Record<string, string | null>>;
    gate(id: GateId): GateFacts | undefined;
}

/** An entry that breaks a rule: which entry, what is wrong, and what would be valid. */
export interface EntryFinding {
    entry: string;
    file: string;
    problem: string;
    valid: string;
}

export interface WaiverState {
    record: LedgerRecord & { entry: Waiver };
    /** Follows the rules (approver, gate, expiry within the limit). */
    valid: boolean;
    /** Valid and `now` is not past `expires`. */
    active: boolean;
}

/** What the ledger says at `now`. */
export interface LedgerState {
    /** The phase the last valid phase move reached; 1 when the ledger has none. */
    phase: PhaseNumber;
    /** The phase move that reached `phase`, if any. */
    lastMove: PhaseMove | undefined;
    /** Valid sign-offs by item (the first one confirms it). */
    confirmations: ReadonlyMap<string, SignOff>;
    /** Valid acceptances by phase (the latest one counts). */
    acceptances: ReadonlyMap<PhaseNumber, Acceptance>;
    waivers: readonly WaiverState[];
    /** Valid phase moves, in order. */
    moves: readonly PhaseMove[];
    /** Entries that break a rule (they count for nothing). */
    findings: readonly EntryFinding[];
    /** Records in history order (by `at`, then file order). */
    history: readonly LedgerRecord[];
}

/** The team a login belongs to (logins compare case-insensitively), if any. */
export function teamOf(login: string, teams: TeamRoster): TeamName | undefined {
    const lower = login.toLowerCase();
    if (teams.Kilo.members.some((m) => m.toLowerCase() === lower)) return "Kilo";
    if (teams.Cline.members.some((m) => m.toLowerCase() === lower)) return "Cline";
    return undefined;
}

export function otherTeam(team: TeamName): TeamName {
    return team === "Kilo" ? "Cline" : "Kilo";
}

export function membersText(team: TeamName, teams: TeamRoster): string {
    return `a member of ${team} (${teams[team].members.join(", ")})`;
}

function who(login: string, teams: TeamRoster): string {
    const team = teamOf(login, teams);
    return `${login} (${team ?? "in neither team"})`;
}

const dayMs = 24 * 3600 * 1000;

/** Why a sign-off does not count, or undefined. */
export function signOffProblem(
    entry: SignOff,
    file: string,
    context: LedgerContext,
    item: ManualProtocolItem | undefined,
    ownerFile: string | undefined,
): EntryFinding | undefined {
    const finding = (problem: string, valid: string): EntryFinding => ({ entry: entry.id, file, problem, valid });
    if (item === undefined) return finding(`sign-off of unknown item ${entry.item}`, "the id of a manual protocol item");
    if (teamOf(entry.by, context.teams) !== item.owner) {
        return finding(
            `sign-off of ${item.id} by ${who(entry.by, context.teams)}, but ${item.id} is owned by ${item.owner}`,
            membersText(item.owner, context.teams),
        );
    }
    if (ownerFile !== undefined && file !== ownerFile) {
        return finding(`sign-off of ${item.owner}'s item ${item.id} recorded in ${file}`, `recorded in ${ownerFile} (the file ${item.owner} owns)`);
    }
    if (entry.evidence !== undefined && "path" in entry.evidence) {
        const actual = context.evidence[entry.evidence.path];
        if (actual === undefined || actual === null) {
            return finding(
                `evidence file ${entry.evidence.path} of the sign-off of ${item.id} is missing`,
                `the file ${entry.evidence.path} with SHA-256 ${entry.evidence.sha256}`,
            );
        }
        if (actual !== entry.evidence.sha256) {
            return finding(
                `evidence file ${entry.evidence.path} of the sign-off of ${item.id} has SHA-256 ${actual}, not the ${entry.evidence.sha256} signed`,
                "the evidence file unchanged since it was signed, or a new sign-off of the changed file",
            );
        }
    }
    return undefined;
}

/** Why an acceptance does not count, or undefined. */
export function acceptanceProblem(entry: Acceptance, file: string, teams: TeamRoster): EntryFinding | undefined {
    const phase = phaseByNumber(entry.phase);
    const finding = (problem: string, valid: string): EntryFinding => ({ entry: entry.id, file, problem, valid });
    const team = teamOf(entry.by, teams);
    if (team !== phase.handedTo) {
        const role = team === phase.owner ? "the handing team" : "not the receiving team";
        return finding(
            `acceptance of phase ${phase.number} by ${who(entry.by, teams)}, ${role}`,
            `an acceptance by ${membersText(phase.handedTo, teams)}, the team phase ${phase.number} is handed to`,
        );
    }
    if (phase.formalMeeting) {
        if (entry.meeting === undefined) {
            return finding(
                `acceptance of phase ${phase.number} records no handoff meeting; phase ${phase.number} is a critical phase`,
                "a meeting with its date and attendees from both teams (--meeting DATE --attendees LOGIN,LOGIN)",
            );
        }
        const strangers = entry.meeting.attendees.filter((a) => teamOf(a, teams) === undefined);
        if (strangers.length > 0) return finding(`meeting attendees ${strangers.join(", ")} are in neither team`, "attendees who are members of Kilo or Cline");
        const present = new Set(entry.meeting.attendees.map((a) => teamOf(a, teams)));
        if (!present.has("Kilo") || !present.has("Cline")) {
            return finding(
                `the phase ${phase.number} handoff meeting had attendees from ${[...present].join(" and ")} only`,
                "attendees from both Kilo and Cline",
            );
        }
    }
    return undefined;
}

/** Why a waiver is not valid (expiry aside), or undefined. */
export function waiverProblem(entry: Waiver, file: string, context: Pick<LedgerContext, "teams" | "gate">): EntryFinding | undefined {
    const finding = (problem: string, valid: string): EntryFinding => ({ entry: entry.id, file, problem, valid });
    const gate = context.gate(entry.gate);
    if (gate === undefined) return finding(`waiver of unknown gate ${entry.gate}`, "a gate id the pack defines");
    if (!isWaivable(entry.gate, gate.blockerCategory)) {
        return finding(
            `waiver of ${entry.gate}, which can never be waived (${entry.gate === "p5-live-payment-keys-only-at-phase-5" ? "live payment keys" : `blocker category "${gate.blockerCategory}"`})`,
            "fix the violation; security, compliance and live-key gates admit no waiver",
        );
    }
    const team = teamOf(entry.by, context.teams);
    if (team !== otherTeam(gate.owner)) {
        return finding(
            `waiver of ${entry.gate} approved by ${who(entry.by, context.teams)}; ${gate.owner} owns the gate`,
            `approval by ${membersText(otherTeam(gate.owner), context.teams)}`,
        );
    }
    const at = isoTime(entry.at) ?? 0;
    const expires = isoTime(entry.expires) ?? 0;
    if (expires <= at) return finding(`waiver expires at ${entry.expires}, not after it was written (${entry.at})`, "an expiry after the waiver's time");
    if (expires - at > maximumWaiverDays * dayMs) {
        return finding(
            `waiver expires at ${entry.expires}, more than ${maximumWaiverDays} days after ${entry.at}`,
            `an expiry at most ${maximumWaiverDays} days after the waiver is written`,
        );
    }
    return undefined;
}

/** True when `resource` (a waiver's) names the violation's resource: its URN, its name, or `stack` for a stack-wide one. */
export function waiverCovers(resource: string, urn: string | undefined, name: string | undefined): boolean {
    if (urn === undefined || urn === "") return resource === "stack";
    if (resource === urn) return true;
    const resourceName = name ?? urn.split("::").pop();
    return resourceName !== undefined && resource === resourceName;
}

function historyOrder(records: readonly LedgerRecord[]): LedgerRecord[] {
    return records
        .map((record, index) => ({ record, index, at: isoTime(record.entry.at) ?? 0 }))
        .sort((a, b) => a.at - b.at || a.index - b.index)
        .map(({ record }) => record);
}

/**
 * Judges a stack's ledger: which entries follow the rules (the others are findings and count for nothing),
 * the phase the moves reached, the confirmed items, the accepted phases and the waivers with their state.
 * Pure: the same records, teams, evidence hashes and `now` give the same state.
 */
export function ledgerState(records: readonly LedgerRecord[], context: LedgerContext): LedgerState {
    const items = new Map(manualProtocolItems().map((item) => [item.id, item]));
    const history = historyOrder(records);
    const findings: EntryFinding[] = [];
    const confirmations = new Map<string, SignOff>();
    const acceptances = new Map<PhaseNumber, Acceptance>();
    const waivers: WaiverState[] = [];
    const moves: PhaseMove[] = [];
    let phase: PhaseNumber = 1;
    let lastMove: PhaseMove | undefined;
    for (const record of history) {
        const { entry, file } = record;
        switch (entry.kind) {
            case "sign-off": {
                const item = items.get(entry.item);
                const ownerFile = item ? `${file.slice(0, file.lastIndexOf("/sign-offs/") + 1)}sign-offs/${item.owner.toLowerCase()}.yaml` : undefined;
                const problem = signOffProblem(entry, file, context, item, file.includes("/sign-offs/") ? ownerFile : undefined);
                if (problem) findings.push(problem);
                else if (!confirmations.has(entry.item)) confirmations.set(entry.item, entry);
                break;
            }
            case "acceptance": {
                const problem = acceptanceProblem(entry, file, context.teams);
                if (problem) findings.push(problem);
                else acceptances.set(entry.phase, entry);
                break;
            }
            case "waiver": {
                const problem = waiverProblem(entry, file, context);
                if (problem) findings.push(problem);
                waivers.push({
                    record: { file, entry },
                    valid: problem === undefined,
                    active: problem === undefined && context.now <= (isoTime(entry.expires) ?? 0),
                });
                break;
            }
            case "phase-move": {
                const problem = phaseMoveProblem(entry, file, phase, context.teams);
                if (problem) {
                    findings.push(problem);
                } else {
                    moves.push(entry);
                    phase = entry.to;
                    lastMove = entry;
                }
                break;
            }
        }
    }
    return { phase, lastMove, confirmations, acceptances, waivers, moves, findings, history };
}

/** Why a phase move does not follow from the phase before it, or undefined. */
export function phaseMoveProblem(entry: PhaseMove, file: string, current: PhaseNumber, teams: TeamRoster): EntryFinding | undefined {
    const finding = (problem: string, valid: string): EntryFinding => ({ entry: entry.id, file, problem, valid });
    if (entry.from !== current)
        return finding(`phase move from ${entry.from}, but the ledger's phase was ${current} at ${entry.at}`, `a move from phase ${current}`);
    const team = teamOf(entry.by, teams);
    if (entry.to > entry.from) {
        if (entry.to !== entry.from + 1) return finding(`advance from ${entry.from} to ${entry.to} skips a phase`, `an advance to ${entry.from + 1}`);
        const receiving = phaseByNumber(entry.from).handedTo;
        if (team !== receiving)
            return finding(
                `advance past phase ${entry.from} by ${who(entry.by, teams)}`,
                `an advance by ${membersText(receiving, teams)}, who received phase ${entry.from}`,
            );
        return undefined;
    }
    if (team === undefined) return finding(`rollback by ${entry.by}, who is in neither team`, "a rollback by a member of Kilo or Cline");
    if (entry.second === undefined || teamOf(entry.second, teams) !== otherTeam(team)) {
        return finding(
            `rollback to phase ${entry.to} by ${who(entry.by, teams)} with ${entry.second === undefined ? "no second person" : `second ${who(entry.second, teams)}`}`,
            `a second person who is ${membersText(otherTeam(team), teams)}`,
        );
    }
    if (entry.reason === undefined || entry.reason.trim() === "") return finding("rollback without a reason", "a rollback with its reason");
    return undefined;
}

/** What keeps the stack from being in `phase`: each earlier phase's acceptance and its manual items' sign-offs. */
export function phasePrerequisites(state: LedgerState, phase: PhaseNumber): { phase: PhaseNumber; accepted: boolean; unsigned: ManualProtocolItem[] }[] {
    const missing: { phase: PhaseNumber; accepted: boolean; unsigned: ManualProtocolItem[] }[] = [];
    const items = manualProtocolItems();
    for (const earlier of phaseNumbers.filter((p) => p < phase)) {
        const unsigned = items.filter((item) => item.phase === earlier && !state.confirmations.has(item.id));
        const accepted = state.acceptances.has(earlier);
        if (!accepted || unsigned.length > 0) missing.push({ phase: earlier, accepted, unsigned });
    }
    return missing;
}

/** Open manual items of phases up to `phase` (not confirmed by a valid sign-off). */
export function openItems(state: LedgerState, phase: PhaseNumber): ManualProtocolItem[] {
    return manualProtocolItems().filter((item) => item.phase <= phase && !state.confirmations.has(item.id));
}

/**
 * The Handoff Quality Score: the receiving teams' mean acceptance score as a share of the best (5), so that
 * the protocol's "90%+ satisfaction from receiving team" reads as a mean of 4.5 or more. Null before any
 * phase is accepted.
 */
export function handoffQualityScore(state: LedgerState): number | null {
    const scores = [...state.acceptances.values()].map((a) => a.score);
    if (scores.length === 0) return null;
    return scores.reduce((sum, s) => sum + s, 0) / scores.length / 5;
}

export const handoffQualityTarget = 0.9;
