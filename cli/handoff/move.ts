import { parseArgs } from "node:util";
import { type PhaseMove, membersText, openItems, otherTeam, phaseByNumber, phaseMoveProblem, phaseNumbers, teamOf } from "../../policy/protocol/index.js";
import { HandoffUsageError, type HandoffSession, isoSeconds, newEntryId, openSession, runVerb } from "./session.js";
import { appendEntryEdit, applyEdits, stackFileEdit } from "./write.js";

export const advanceOptions = {
    stack: { type: "string", default: "prod" },
    by: { type: "string" },
    note: { type: "string" },
} as const;

export const rollbackOptions = {
    stack: { type: "string", default: "prod" },
    by: { type: "string" },
    second: { type: "string" },
    reason: { type: "string" },
} as const;

/** The declared phase must already be the ledger's: a move starts from agreement. */
function requireAgreement(session: HandoffSession): void {
    if (session.config.phase !== session.state.phase) {
        throw new HandoffUsageError(
            "--stack",
            `vauntico:phase is ${session.config.phase} in Pulumi.${session.stack}.yaml but the ledger's phase is ${session.state.phase}; set vauntico:phase back to ${session.state.phase} first`,
        );
    }
}

function write(session: HandoffSession, entry: PhaseMove, argument: string): void {
    const problem = phaseMoveProblem(entry, "phase-moves.yaml", session.state.phase, session.config.teams);
    if (problem) throw new HandoffUsageError(argument, `${problem.problem}; valid: ${problem.valid}`);
    applyEdits([appendEntryEdit(session, entry), stackFileEdit(session, (document) => document.setIn(["config", "vauntico:phase"], entry.to))]);
}

/** `handoff advance --by LOGIN`: the receiving team moves the stack to the next phase once the current one is accepted and signed. */
export async function advance(argv: string[]): Promise<number> {
    return runVerb("advance", () => {
        const { values, positionals } = parseArgs({ args: argv, options: advanceOptions, allowPositionals: true, strict: true });
        if (positionals.length > 0)
            throw new HandoffUsageError("<arguments>", `advance takes no positional argument (got ${positionals.join(" ")}); it moves to the next phase`);
        if (values.by === undefined) throw new HandoffUsageError("--by", "required: the login of a member of the team that received the current phase");
        const session = openSession(values.stack);
        requireAgreement(session);
        const from = session.state.phase;
        const to = phaseNumbers.find((p) => p === from + 1);
        if (to === undefined) throw new HandoffUsageError(undefined, `the stack is at phase ${from}, the last one`);
        const phase = phaseByNumber(from);
        const teams = session.config.teams;
        if (teamOf(values.by, teams) !== phase.handedTo)
            throw new HandoffUsageError("--by", `${values.by} is not ${membersText(phase.handedTo, teams)}, who received phase ${from}`);
        const open = openItems(session.state, from);
        const accepted = session.state.acceptances.has(from);
        if (open.length > 0 || !accepted) {
            const gaps = [
                ...(accepted ? [] : [`phase ${from} is not accepted by ${phase.handedTo} (npm run handoff -- accept ${from} …)`]),
                ...(open.length > 0 ? [`open items: ${open.map((i) => `${i.id} (${i.owner})`).join(", ")}`] : []),
            ];
            throw new HandoffUsageError(undefined, `cannot leave phase ${from}: ${gaps.join("; ")}`);
        }
        const entry: PhaseMove = {
            id: newEntryId(session, "phase-move", `${from}-to-${to}`),
            kind: "phase-move",
            by: values.by,
            at: isoSeconds(session.now),
            from,
            to,
            ...(values.note !== undefined ? { note: values.note } : {}),
        };
        write(session, entry, "advance");
        process.stdout.write(`Stack ${session.stack} advanced from phase ${from} to ${to} by ${entry.by}: entry ${entry.id}; vauntico:phase is now ${to}\n`);
        return 0;
    });
}

/** `handoff rollback <phase> --by LOGIN --second LOGIN --reason TEXT`: two people, one from each team, move the stack back. */
export async function rollback(argv: string[]): Promise<number> {
    return runVerb("rollback", () => {
        const { values, positionals } = parseArgs({ args: argv, options: rollbackOptions, allowPositionals: true, strict: true });
        const to = phaseNumbers.find((p) => String(p) === positionals[0]);
        if (positionals.length !== 1 || to === undefined)
            throw new HandoffUsageError(
                "<phase>",
                `got ${JSON.stringify(positionals.join(" ") || "nothing")}; expected the phase number (1–4) to roll back to`,
            );
        if (values.by === undefined) throw new HandoffUsageError("--by", "required: the login of a Kilo or Cline member");
        if (values.second === undefined) throw new HandoffUsageError("--second", "required: a second person, from the other team");
        if (values.reason === undefined || values.reason.trim() === "") throw new HandoffUsageError("--reason", "required: why the stack goes back, as text");
        const session = openSession(values.stack);
        requireAgreement(session);
        const from = session.state.phase;
        if (to >= from)
            throw new HandoffUsageError(
                "<phase>",
                `${to} is not below the current phase ${from}; expected one of ${phaseNumbers.filter((p) => p < from).join(", ") || "(none: the stack is at phase 1)"}`,
            );
        const teams = session.config.teams;
        const team = teamOf(values.by, teams);
        if (team === undefined)
            throw new HandoffUsageError(
                "--by",
                `${values.by} is in neither team; expected a member of Kilo (${teams.Kilo.members.join(", ")}) or Cline (${teams.Cline.members.join(", ")})`,
            );
        if (teamOf(values.second, teams) !== otherTeam(team))
            throw new HandoffUsageError(
                "--second",
                `${values.second} is not ${membersText(otherTeam(team), teams)}; a rollback needs a second person from the other team`,
            );
        const entry: PhaseMove = {
            id: newEntryId(session, "phase-move", `${from}-to-${to}`),
            kind: "phase-move",
            by: values.by,
            at: isoSeconds(session.now),
            from,
            to,
            reason: values.reason,
            second: values.second,
        };
        write(session, entry, "rollback");
        process.stdout.write(
            `Stack ${session.stack} rolled back from phase ${from} to ${to} by ${entry.by} with ${values.second}: entry ${entry.id}; vauntico:phase is now ${to}\n`,
        );
        return 0;
    });
}
